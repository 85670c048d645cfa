package model

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/soma-sim/soma/output"
)

// Summary is written to summary.json after a run.
type Summary struct {
	Name        string                  `json:"name"`
	Seed        uint64                  `json:"seed"`
	DT          float64                 `json:"dt"`
	Duration    float64                 `json:"duration"`
	WallSeconds float64                 `json:"wall_seconds"`
	Groups      map[string]GroupSummary `json:"groups"`
	Synapses    map[string]SynSummary   `json:"synapses"`
}

// GroupSummary describes one group's activity.
type GroupSummary struct {
	N          int      `json:"N"`
	Spikes     *int     `json:"spikes"`
	MeanRateHz *float64 `json:"mean_rate_hz"`
}

// SynSummary describes one Synapses object.
type SynSummary struct {
	Count int `json:"count"`
}

// Summarize returns the summary of a finished run. Spike counts come from
// a spike monitor of the whole group when there is one.
func (m *Model) Summarize(wall time.Duration) Summary {
	s := Summary{Name: m.Spec.Name, Seed: m.Seed, DT: m.DT, Duration: m.Duration(),
		WallSeconds: wall.Seconds(), Groups: map[string]GroupSummary{}, Synapses: map[string]SynSummary{}}
	for _, syn := range m.Synapses {
		s.Synapses[syn.Spec.Name] = SynSummary{Count: syn.Syn.Total()}
	}
	for _, g := range m.Groups {
		gs := GroupSummary{N: g.Group.Size()}
		for _, mon := range m.Monitors {
			if mon.Spikes != nil && mon.Spec.Type == "spike" && mon.Source == g.Group {
				n := mon.Spikes.NumSpikes()
				rate := 0.0
				if gs.N > 0 && s.Duration > 0 {
					rate = float64(n) / float64(gs.N) / s.Duration
				}
				gs.Spikes, gs.MeanRateHz = &n, &rate
				break
			}
		}
		s.Groups[g.Spec.Name] = gs
	}
	return s
}

// WriteOutputs writes every monitor's arrays and summary.json into dir,
// then calls extra (if not nil) to add more files (figures) through path,
// which maps a file name to where it is to be written. Files are written to
// a staging directory first and moved into place only when all of them
// were written, so a failure leaves nothing behind.
func (m *Model) WriteOutputs(dir string, wall time.Duration, extra func(path func(name string) string) error) error {
	st, err := output.NewStaging(dir)
	if err != nil {
		return err
	}
	if err := m.writeAll(st, wall); err != nil {
		st.Abort()
		return err
	}
	if extra != nil {
		if err := extra(st.Path); err != nil {
			st.Abort()
			return err
		}
	}
	return st.Commit()
}

func (m *Model) writeAll(st *output.Staging, wall time.Duration) error {
	for _, mon := range m.Monitors {
		z := output.NewNPZ()
		arrays := monitorArrays
		if mon.Streamer().Streaming() {
			mem := m.memory
			if mem <= 0 {
				mem = math.MaxInt64
			}
			arrays = func(mon *Monitor, z *output.NPZ) error { return streamedArrays(mon, z, mem) }
		}
		if err := arrays(mon, z); err != nil {
			return fmt.Errorf("monitor '%s': %w", mon.Spec.Name, err)
		}
		if err := output.WriteNPZFile(st.Path(mon.Spec.Name+".npz"), z); err != nil {
			return err
		}
	}
	for _, g := range m.Groups {
		if len(g.Spec.Save) == 0 {
			continue
		}
		z := output.NewNPZ()
		if err := groupArrays(g, z); err != nil {
			return fmt.Errorf("group '%s': %w", g.Spec.Name, err)
		}
		if err := output.WriteNPZFile(st.Path(g.Spec.Name+".npz"), z); err != nil {
			return err
		}
	}
	for _, syn := range m.Synapses {
		if len(syn.Spec.Save) == 0 {
			continue
		}
		z := output.NewNPZ()
		if err := synapseArrays(syn, z); err != nil {
			return fmt.Errorf("synapses '%s': %w", syn.Spec.Name, err)
		}
		if err := output.WriteNPZFile(st.Path(syn.Spec.Name+".npz"), z); err != nil {
			return err
		}
	}
	return output.WriteJSONFile(st.Path("summary.json"), m.Summarize(wall))
}

func synapseArrays(syn *Synapses, z *output.NPZ) error {
	for _, t := range syn.Spec.Save {
		name := strings.TrimSpace(t.S)
		var arr output.Array
		switch name {
		case "in_flight":
			for _, p := range syn.Syn.PathwayNames() {
				syns, steps, err := syn.Syn.InFlight(p)
				if err != nil {
					return err
				}
				for k, xs := range [2][]int32{syns, steps} {
					out := make([]int64, len(xs))
					for n, x := range xs {
						if k == 0 && syn.order != nil {
							x = int32(syn.order[x])
						}
						out[n] = int64(x)
					}
					if err := z.Add(inFlightArray(p, k == 1), output.Array{Data: out}); err != nil {
						return err
					}
				}
			}
			continue
		case "i", "j":
			idx := syn.Syn.I()
			if name == "j" {
				idx = syn.Syn.J()
			}
			out := make([]int64, len(idx))
			for k, x := range idx {
				out[k] = int64(x)
			}
			arr = output.Array{Data: toFile(syn.order, out)}
		default:
			vals, err := syn.Syn.Values(name)
			if err != nil {
				return err
			}
			arr = output.Array{Data: toFile(syn.order, vals)}
		}
		if err := z.Add(name, arr); err != nil {
			return err
		}
	}
	return nil
}

// streamedArrays adds the arrays of a streaming monitor to z as
// monitorArrays does, byte for byte, from its chunks: read one chunk at a
// time, or for state variables, transposed in blocks of at most mem bytes
// when z is written.
func streamedArrays(mon *Monitor, z *output.NPZ, mem int64) error {
	sm := mon.Streamer()
	if err := sm.Flush(); err != nil {
		return err
	}
	files, err := output.Chunks(sm.StreamDir())
	if err != nil {
		return err
	}
	concat := func(name string, typ any) error {
		a, err := output.ConcatChunks(files, name, typ)
		if err != nil {
			return err
		}
		return z.Add(name, a)
	}
	f64, i64 := []float64(nil), []int64(nil)
	switch {
	case mon.Spikes != nil:
		if err := concat("t", f64); err != nil {
			return err
		}
		if err := concat("i", i64); err != nil {
			return err
		}
		if mon.Spec.Type == "spike" {
			if err := z.Add("count", output.Array{Data: toInt64(mon.Spikes.Count())}); err != nil {
				return err
			}
		}
		for _, v := range mon.Spikes.Variables() {
			if err := concat(v, f64); err != nil {
				return err
			}
		}
	case mon.State != nil:
		if err := concat("t", f64); err != nil {
			return err
		}
		rec := toInt64(mon.State.RecordedIndices())
		if err := z.Add("record", output.Array{Data: rec}); err != nil {
			return err
		}
		for _, v := range mon.State.Variables() {
			a, err := output.TransposeChunks(files, v, len(rec), mem)
			if err != nil {
				return err
			}
			if err := z.Add(v, a); err != nil {
				return err
			}
		}
	case mon.Rate != nil:
		if err := concat("t", f64); err != nil {
			return err
		}
		if err := concat("rate", f64); err != nil {
			return err
		}
	}
	return nil
}

func toInt64[T int | int32](x []T) []int64 {
	out := make([]int64, len(x))
	for k, v := range x {
		out[k] = int64(v)
	}
	return out
}

func monitorArrays(mon *Monitor, z *output.NPZ) error {
	add := func(name string, data any, shape ...int) error {
		return z.Add(name, output.Array{Data: data, Shape: shape})
	}
	switch {
	case mon.Spikes != nil:
		i32 := mon.Spikes.I()
		i := make([]int64, len(i32))
		for k, x := range i32 {
			i[k] = int64(x)
		}
		counts := mon.Spikes.Count()
		count := make([]int64, len(counts))
		for k, x := range counts {
			count[k] = int64(x)
		}
		if err := add("t", mon.Spikes.T()); err != nil {
			return err
		}
		if err := add("i", i); err != nil {
			return err
		}
		if mon.Spec.Type == "spike" {
			if err := add("count", count); err != nil {
				return err
			}
		}
		for _, v := range mon.Spikes.Variables() {
			vals, err := mon.Spikes.Values(v)
			if err != nil {
				return err
			}
			if err := add(v, vals); err != nil {
				return err
			}
		}
	case mon.State != nil:
		if err := add("t", mon.State.T()); err != nil {
			return err
		}
		rec := mon.State.RecordedIndices()
		r := make([]int64, len(rec))
		for k, x := range rec {
			if mon.synOrder != nil {
				x = mon.synOrder[x]
			}
			r[k] = int64(x)
		}
		if err := add("record", r); err != nil {
			return err
		}
		nt := len(mon.State.T())
		for _, v := range mon.State.Variables() {
			rows, err := mon.State.Values(v)
			if err != nil {
				return err
			}
			flat := make([]float64, 0, len(rows)*nt)
			for _, row := range rows {
				flat = append(flat, row...)
			}
			if err := add(v, flat, len(rows), nt); err != nil {
				return err
			}
		}
	case mon.Rate != nil:
		if err := add("t", mon.Rate.T()); err != nil {
			return err
		}
		if err := add("rate", mon.Rate.Rate()); err != nil {
			return err
		}
	}
	return nil
}
