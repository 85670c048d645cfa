package ui

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/soma-sim/soma/output"
)

// exportData writes the history between ?from= and ?to= (seconds) as .npz:
// per group G, G_spike_t and G_spike_i; per trace, KEY_t and KEY (SI).
func (srv *Server) exportData(w http.ResponseWriter, r *http.Request) {
	dt := srv.sess.dt
	from, to := math.Inf(-1), math.Inf(1)
	for _, p := range []struct {
		name string
		dst  *float64
	}{{"from", &from}, {"to", &to}} {
		if s := r.URL.Query().Get(p.name); s != "" {
			x, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(x) {
				http.Error(w, fmt.Sprintf("%s must be a time in seconds, got %q", p.name, s), http.StatusBadRequest)
				return
			}
			*p.dst = x
		}
	}
	h := srv.sess.hist
	h.mu.Lock()
	lo, hi := h.first, h.now
	if !math.IsInf(from, -1) {
		lo = max(lo, int64(math.Ceil(from/dt-1e-9)))
	}
	if !math.IsInf(to, 1) {
		hi = min(hi, int64(math.Floor(to/dt+1e-9))+1)
	}
	z := output.NewNPZ()
	add := func(name string, data any) {
		// The names are unique by construction; Add copies nothing.
		_ = z.Add(name, output.Array{Data: data})
	}
	times := func(steps []int64) []float64 {
		t := make([]float64, len(steps))
		for k, s := range steps {
			t[k] = float64(s) * dt
		}
		return t
	}
	for _, name := range sortedKeys(h.spikes) {
		steps, idx := h.spikes[name].span(lo, hi)
		i := make([]int64, len(idx))
		for k, x := range idx {
			i[k] = int64(x)
		}
		add(name+"_spike_t", times(steps))
		add(name+"_spike_i", i)
	}
	for _, key := range sortedKeys(h.traces) {
		steps, vals := h.traces[key].span(lo, hi)
		v := make([]float64, len(vals))
		for k, x := range vals {
			v[k] = float64(x)
		}
		name := strings.ReplaceAll(key, "/", "_")
		add(name+"_t", times(steps))
		add(name, v)
	}
	h.mu.Unlock()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="soma-ui.npz"`)
	if _, err := z.WriteTo(w); err != nil {
		return
	}
}

// exportParams writes the current constants as a model file's constants
// block, and the groups' parameters as a run segment's set block.
func (srv *Server) exportParams(w http.ResponseWriter, r *http.Request) {
	h := srv.sess.hist
	h.mu.Lock()
	params := h.params
	h.mu.Unlock()
	var b strings.Builder
	b.WriteString("# current values in the soma UI\nconstants:\n")
	for _, p := range params {
		if p.Scope == "constant" {
			fmt.Fprintf(&b, "  %s: %s\n", p.Name, p.Value)
		}
	}
	first := true
	for _, p := range params {
		if p.Scope != "variable" {
			continue
		}
		if first {
			b.WriteString("# group parameters (a run segment's set; values that vary per neuron are means)\nset:\n")
			first = false
		}
		fmt.Fprintf(&b, "  %s.%s: %s\n", p.Group, p.Name, p.Value)
	}
	w.Header().Set("Content-Type", "text/yaml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="params.yaml"`)
	w.Write([]byte(b.String()))
}
