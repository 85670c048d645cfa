package ui

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"slices"
	"sort"
)

// arrayInfo describes one array of a data frame.
type arrayInfo struct {
	Key  string `json:"key"`
	Type string `json:"type"` // "f32", "i32" or "u16" (padded to 4 bytes)
	Len  int    `json:"len"`
}

// histInfo is the range of a weight histogram.
type histInfo struct {
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
}

// frameHeader is the JSON header of a data frame (see protocol.md).
type frameHeader struct {
	Type      string              `json:"type"`
	Base      int64               `json:"base"`
	From      int64               `json:"from"`
	To        int64               `json:"to"`
	Status    Status              `json:"status"`
	MeanEvery int64               `json:"meanEvery"`
	GridStep  *int64              `json:"gridStep,omitempty"`
	Hist      map[string]histInfo `json:"hist,omitempty"`
	Arrays    []arrayInfo         `json:"arrays"`
}

// frameBuilder collects the arrays of a data frame.
type frameBuilder struct {
	hdr  frameHeader
	body []byte
}

// grow makes room for n more 4-byte values.
func (b *frameBuilder) grow(n int) { b.body = slices.Grow(b.body, 4*n) }

func (b *frameBuilder) f32(key string, xs []float32) {
	b.grow(len(xs))
	b.hdr.Arrays = append(b.hdr.Arrays, arrayInfo{Key: key, Type: "f32", Len: len(xs)})
	for _, x := range xs {
		b.body = binary.LittleEndian.AppendUint32(b.body, math.Float32bits(x))
	}
}

func (b *frameBuilder) i32(key string, xs []int32) {
	b.grow(len(xs))
	b.hdr.Arrays = append(b.hdr.Arrays, arrayInfo{Key: key, Type: "i32", Len: len(xs)})
	for _, x := range xs {
		b.body = binary.LittleEndian.AppendUint32(b.body, uint32(x))
	}
}

// u16 adds small indices, two bytes each, padded to a multiple of four.
func (b *frameBuilder) u16(key string, xs []int32) {
	b.hdr.Arrays = append(b.hdr.Arrays, arrayInfo{Key: key, Type: "u16", Len: len(xs)})
	b.body = slices.Grow(b.body, 2*len(xs)+2)
	for _, x := range xs {
		b.body = binary.LittleEndian.AppendUint16(b.body, uint16(x))
	}
	if len(xs)%2 == 1 {
		b.body = append(b.body, 0, 0)
	}
}

// spikes adds a group's spikes as runs: the distinct steps, the number of
// spikes in each, and the neurons (two bytes each for groups of up to
// 65 536). A frame thus costs about 2 bytes per spike, not 8.
func (b *frameBuilder) spikes(group string, n int, steps []int64, idx []int32) {
	var at, counts []int32
	for k := 0; k < len(steps); {
		e := k + 1
		for e < len(steps) && steps[e] == steps[k] {
			e++
		}
		at = append(at, int32(steps[k]-b.hdr.Base))
		counts = append(counts, int32(e-k))
		k = e
	}
	b.i32("spikes/"+group+"/steps", at)
	b.i32("spikes/"+group+"/counts", counts)
	if n <= 1<<16 {
		b.u16("spikes/"+group+"/i", idx)
	} else {
		b.i32("spikes/"+group+"/i", idx)
	}
}

// steps adds steps relative to the frame's base.
func (b *frameBuilder) steps(key string, steps []int64) {
	b.grow(len(steps))
	b.hdr.Arrays = append(b.hdr.Arrays, arrayInfo{Key: key, Type: "i32", Len: len(steps)})
	for _, s := range steps {
		b.body = binary.LittleEndian.AppendUint32(b.body, uint32(int32(s-b.hdr.Base)))
	}
}

// bytes lays out the frame: header length, header padded to 8 bytes, arrays.
func (b *frameBuilder) bytes() []byte {
	hdr, _ := json.Marshal(b.hdr)
	for (4+len(hdr))%8 != 0 {
		hdr = append(hdr, ' ')
	}
	out := make([]byte, 0, 4+len(hdr)+len(b.body))
	out = binary.LittleEndian.AppendUint32(out, uint32(len(hdr)))
	out = append(out, hdr...)
	return append(out, b.body...)
}

// sortedKeys returns a map's keys in order, so frames are deterministic.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// frame builds the tab's next data frame: everything since its cursor, and
// the grids, weights and histograms it has not had. It also returns the
// channel that announces the next change.
func (c *client) frame() ([]byte, chan struct{}) {
	b, changed := c.collect()
	return b.bytes(), changed
}

// collect copies what the tab has not had out of the history, under its
// lock, and returns it to be encoded after the lock is released: the
// simulation waits for the lock between chunks, so it is held for copies
// (memmove), not for encoding element by element. Grids, weights and
// histograms are replaced, never changed, and are not copied.
func (c *client) collect() (*frameBuilder, chan struct{}) {
	h := c.srv.sess.hist
	var encode []func(*frameBuilder)
	h.mu.Lock()
	from := c.cursor
	if !c.started || from < h.first {
		from, c.started = h.first, true
	}
	from = min(from, h.now) // after a load the history is shorter
	to := h.now
	b := &frameBuilder{hdr: frameHeader{Type: "data", Base: from, From: from, To: to, Status: h.status,
		MeanEvery: c.srv.sess.rec.meanEvery}}
	for _, g := range c.srv.sess.groups {
		if l := h.spikes[g.info.Name]; l != nil {
			if steps, idx := l.span(from, to); len(steps) > 0 {
				steps, idx := slices.Clone(steps), slices.Clone(idx)
				encode = append(encode, func(b *frameBuilder) { b.spikes(g.info.Name, g.info.N, steps, idx) })
			}
		}
	}
	for _, key := range sortedKeys(h.traces) {
		if steps, vals := h.traces[key].span(from, to); len(steps) > 0 {
			steps, vals := slices.Clone(steps), slices.Clone(vals)
			encode = append(encode, func(b *frameBuilder) {
				b.steps("tracestep/"+key, steps)
				b.f32("trace/"+key, vals)
			})
		}
	}
	c.gridMu.Lock()
	gridDue := c.gridVer != h.gridVer
	c.gridVer = h.gridVer
	c.gridMu.Unlock()
	if gridDue {
		step := h.gridStep
		b.hdr.GridStep = &step
		for _, g := range c.srv.sess.groups {
			for k, v := range g.info.Vars {
				if key := g.info.Name + "/" + v.Name; c.wantsGrid(g.info.Name, v.Name, k == 0) && h.grid[key] != nil {
					vals := h.grid[key]
					encode = append(encode, func(b *frameBuilder) { b.f32("grid/"+key, vals) })
				}
			}
		}
	}
	if c.weighVer != h.weightsVer {
		c.weighVer = h.weightsVer
		for _, key := range sortedKeys(h.weights) {
			vals := h.weights[key]
			encode = append(encode, func(b *frameBuilder) { b.f32("weights/"+key, vals) })
		}
	}
	for _, key := range sortedKeys(h.hists) {
		hg := h.hists[key]
		if c.histVers[key] == hg.version+1 {
			continue
		}
		c.histVers[key] = hg.version + 1
		if b.hdr.Hist == nil {
			b.hdr.Hist = map[string]histInfo{}
		}
		b.hdr.Hist[key] = histInfo{Lo: hg.lo, Hi: hg.hi}
		encode = append(encode, func(b *frameBuilder) { b.i32("hist/"+key, hg.counts) })
	}
	c.cursor = to
	changed := h.changed
	h.mu.Unlock()
	for _, e := range encode {
		e(b)
	}
	return b, changed
}
