package dist

import (
	"time"

	"github.com/soma-sim/soma"
	"github.com/soma-sim/soma/model"
)

// RunModel runs a model as one rank of c: every rank loads the same model
// file with the same settings, and RunModel distributes the network (see
// soma.Network.Distribute), runs the model's segments and gathers the
// results, after which rank 0's model holds what a run in one process
// would have: its outputs are written as usual (Model.WriteOutputs), by
// rank 0 alone. The network may have been distributed over c already.
// Only rank 0 reports progress and streams monitors.
func RunModel(m *model.Model, c soma.Comm, opts model.RunOptions) (time.Duration, error) {
	if m.Net.Comm() != c {
		if err := m.Net.Distribute(c); err != nil {
			return 0, err
		}
	}
	if c.Rank() != 0 {
		opts.Progress, opts.StreamDir, opts.MemoryBudget, opts.Streaming = nil, nil, 0, nil
	}
	wall, err := m.Run(opts)
	if err != nil {
		return wall, err
	}
	var saved []*soma.Synapses
	for _, s := range m.Synapses {
		if len(s.Spec.Save) > 0 {
			saved = append(saved, s.Syn)
		}
	}
	return wall, m.Net.Gather(saved...)
}
