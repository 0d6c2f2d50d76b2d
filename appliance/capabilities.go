package appliance

// CapabilityStatus is a Capability and whether the appliance's API has it.
type CapabilityStatus struct {
	Capability
	Has bool `json:"has"`
}

// CapabilityList says, for each of Capabilities in turn, whether the
// appliance's API version has it.
func (a *APIInfo) CapabilityList() []CapabilityStatus {
	out := make([]CapabilityStatus, 0, len(Capabilities))
	for _, c := range Capabilities {
		out = append(out, CapabilityStatus{c, a.HasCapability(c)})
	}
	return out
}
