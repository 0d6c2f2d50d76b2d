package reporting

// ShellInstances are the instances of the session's command shell
// recordings, each once, in the report's order: a report that lists one
// twice would otherwise have it downloaded twice, and a negative one
// names no recording (instances start at 0).
func (s *Session) ShellInstances() []int {
	var out []int
	seen := map[int]bool{}
	for _, r := range s.ShellRecordings {
		if r.Instance >= 0 && !seen[r.Instance] {
			seen[r.Instance] = true
			out = append(out, r.Instance)
		}
	}
	return out
}
