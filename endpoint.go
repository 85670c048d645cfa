package soma

// endpoint is a population as seen by synapses: the variables of the
// group that owns its neurons, and where its neurons start in that group.
type endpoint interface {
	source
	variables() map[string]*Variable
	offset() int
	// wholeSize is the size of the group that owns the neurons (the
	// parent of a subgroup).
	wholeSize() int
	// writeCondition returns the boolean variable that guards writes to
	// a variable — not_refractory for (unless refractory) variables — or
	// nil when writes are unconditional.
	writeCondition(name string) *Variable
}

func asEndpoint(g Group) (endpoint, bool) {
	e, ok := g.(endpoint)
	return e, ok
}

func (g *NeuronGroup) variables() map[string]*Variable { return g.vars }
func (g *NeuronGroup) offset() int                     { return 0 }
func (s *Subgroup) variables() map[string]*Variable    { return s.parent.vars }
func (s *Subgroup) offset() int                        { return s.start }
func (g *NeuronGroup) wholeSize() int                  { return g.n }
func (s *Subgroup) wholeSize() int                     { return s.parent.n }

func (g *NeuronGroup) writeCondition(name string) *Variable {
	if g.refractory.kind == "" {
		return nil
	}
	if eq, ok := g.eqs.Get(name); ok && eq.HasFlag("unless refractory") {
		return g.vars["not_refractory"]
	}
	return nil
}

func (s *Subgroup) writeCondition(name string) *Variable { return s.parent.writeCondition(name) }
