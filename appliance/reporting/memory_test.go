package reporting

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// allocated is the bytes f allocates: an upper bound of how far the heap
// can grow while it runs, whatever the collector does.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// fill repeats unit inside wrap until the answer is about size bytes.
func fill(head, unit, tail string, size int) []byte {
	var b bytes.Buffer
	b.WriteString(head)
	for b.Len()+len(unit)+len(tail) < size {
		b.WriteString(unit)
	}
	b.WriteString(tail)
	return b.Bytes()
}

// The memory a session costs is bounded by the limits, not only the bytes
// it is: whatever the shape of an answer under the byte limit, decoding it
// allocates at most a fixed multiple of that limit (issue 18, item 12).
func TestMemoryInProportionToTheLimit(t *testing.T) {
	const limit = 512 << 10
	const ratio = 40
	head := `<session_list><session lsid="c69a8e10bea9428f816cfababe9815fe">`
	shapes := map[string][]byte{
		"empty events":   fill(head+`<session_details>`, `<event/>`, `</session_details></session></session_list>`, limit-100),
		"unknown":        fill(head, `<y/>`, `</session></session_list>`, limit-100),
		"unknown nested": fill(head+`<session_details><event>`, `<y/>`, `</event></session_details></session></session_list>`, limit-100),
		"values":         fill(head+`<session_details><event><data>`, `<value/>`, `</data></event></session_details></session></session_list>`, limit-100),
		"fields":         fill(head+`<session_details><event><system_information><category><data><row>`, `<field/>`, `</row></data></category></system_information></event></session_details></session></session_list>`, limit-100),
		"reps":           fill(head+`<rep_list>`, `<representative/>`, `</rep_list></session></session_list>`, limit-100),
		"big text":       []byte(head + `<external_key>` + strings.Repeat("x", limit-200) + `</external_key></session></session_list>`),
	}
	for name, answer := range shapes {
		t.Run(name, func(t *testing.T) {
			var n int
			got := allocated(func() {
				for s, err := range Sessions(bytes.NewReader(answer), Options{MaxElementBytes: limit}) {
					if err != nil {
						break
					}
					n += len(s.Events)
				}
			})
			t.Logf("%s: %d bytes of XML, %.1f MiB allocated (%.1f times the limit)", name, len(answer), float64(got)/(1<<20), float64(got)/limit)
			assert.Less(t, got, uint64(ratio*limit), "allocated %d bytes for a limit of %d", got, limit)
		})
	}
}
