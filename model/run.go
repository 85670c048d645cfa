package model

import (
	"fmt"
	"time"

	"github.com/soma-sim/soma"
)

// RunOptions controls a run.
type RunOptions struct {
	// Progress, when set, is called during the run (see soma.Network.Report).
	Progress func(soma.Progress)
	// ProgressPeriod is the wall time between progress reports.
	ProgressPeriod time.Duration
	// Threads is the number of cores the run may use; 0 leaves the
	// network's setting (one unless set otherwise).
	Threads int
}

// Run simulates every segment of the model in order: its assignments,
// then its duration. It returns the wall time spent.
func (m *Model) Run(opts RunOptions) (time.Duration, error) {
	if len(m.Segments) == 0 {
		return 0, &Error{File: m.Spec.File, Msg: "the model has no 'run' duration"}
	}
	if opts.Threads > 0 {
		m.Net.SetThreads(opts.Threads)
	}
	if opts.Progress != nil {
		total, done := m.Duration(), 0.0
		period := opts.ProgressPeriod
		if period == 0 {
			period = time.Second
		}
		var elapsedBefore time.Duration
		var current float64
		m.Net.Report(period, func(p soma.Progress) {
			// Report the progress of the whole model, not of one segment.
			q := p
			q.Duration = total
			q.Elapsed = elapsedBefore + p.Elapsed
			if total > 0 {
				q.Fraction = (done + p.Fraction*current) / total
			}
			if q.Fraction > 0 {
				q.Remaining = time.Duration(float64(q.Elapsed) * (1 - q.Fraction) / q.Fraction)
			}
			opts.Progress(q)
			if p.Fraction == 1 {
				elapsedBefore += p.Elapsed
			}
		})
		defer m.Net.Report(0, nil)
		began := time.Now()
		for _, seg := range m.Segments {
			current = seg.Duration
			if err := m.runSegment(seg); err != nil {
				return 0, err
			}
			done += seg.Duration
		}
		return time.Since(began), nil
	}
	began := time.Now()
	for _, seg := range m.Segments {
		if err := m.runSegment(seg); err != nil {
			return 0, err
		}
	}
	return time.Since(began), nil
}

func (m *Model) runSegment(seg Segment) error {
	if err := m.Apply(seg.Set); err != nil {
		return err
	}
	return m.Net.Run(seg.Duration)
}

// Apply makes the assignments of a run segment's 'set' (GROUP.VAR: EXPR),
// in order, as the run does before the segment's duration.
func (m *Model) Apply(sets []NamedText) error {
	b := &builder{spec: m.Spec, m: m, groups: map[string]*Group{}}
	for _, g := range m.Groups {
		b.groups[g.Spec.Name] = g
	}
	for _, s := range sets {
		g, v, err := b.target(s)
		if err != nil {
			return err
		}
		if err := g.Set(v, s.S); err != nil {
			return b.textErr(s.Text, fmt.Sprintf("set %s", s.Name), err)
		}
	}
	return nil
}
