package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/soma-sim/soma/plot"
	"github.com/soma-sim/soma/store"
	"github.com/soma-sim/soma/sweep"
	"github.com/soma-sim/soma/units"
)

// sweepTable is a sweep's points with their records.
type sweepTable struct {
	job     *sweep.Job
	params  []string // the swept constants, in order
	groups  []string // the groups with metrics
	records map[int]*store.Record
}

func newSweepTable(j *sweep.Job, recs []*store.Record) *sweepTable {
	t := &sweepTable{job: j, records: map[int]*store.Record{}}
	if len(j.Points) > 0 {
		for _, v := range j.Points[0].Values {
			t.params = append(t.params, v.Name)
		}
	}
	seen := map[string]bool{}
	for _, r := range recs {
		t.records[*r.Point] = r
		for _, g := range r.Groups {
			if !seen[g.Group] {
				seen[g.Group] = true
				t.groups = append(t.groups, g.Group)
			}
		}
	}
	return t
}

// defaultMetric is the rate of the first group with metrics.
func (t *sweepTable) defaultMetric() string {
	if len(t.groups) == 0 {
		return "wall"
	}
	return "rate_" + t.groups[0]
}

// metric reads rate_G, cv_G, spikes_G or wall from a record.
func metric(r *store.Record, name string) (float64, error) {
	if r == nil || r.Status != "ok" {
		return math.NaN(), nil
	}
	if name == "wall" {
		return r.Wall, nil
	}
	kind, group, ok := strings.Cut(name, "_")
	if ok {
		for _, g := range r.Groups {
			if g.Group != group {
				continue
			}
			switch kind {
			case "rate":
				return g.RateHz, nil
			case "cv":
				return g.ISICV, nil
			case "spikes":
				return float64(g.Spikes), nil
			}
		}
	}
	return 0, fmt.Errorf("unknown metric '%s' (rate_G, cv_G or spikes_G of a monitored group G, or wall)", name)
}

// columns are the metric columns of the table.
func (t *sweepTable) columns() []string {
	var out []string
	for _, g := range t.groups {
		out = append(out, "rate_"+g, "cv_"+g)
	}
	return append(out, "wall")
}

func (t *sweepTable) rows(sep string) []string {
	head := append(append([]string{"point"}, t.params...), "seed", "status")
	head = append(head, t.columns()...)
	out := []string{strings.Join(head, sep)}
	for _, p := range t.job.Points {
		r := t.records[p.Index]
		row := []string{fmt.Sprint(p.Index)}
		for _, v := range p.Values {
			row = append(row, v.Text)
		}
		status := "missing"
		if r != nil {
			status = r.Status
		}
		row = append(row, fmt.Sprint(p.Seed), status)
		for _, c := range t.columns() {
			x, _ := metric(r, c)
			row = append(row, fmt.Sprintf("%.4g", x))
		}
		out = append(out, strings.Join(row, sep))
	}
	return out
}

// write prints the table aligned.
func (t *sweepTable) write(w io.Writer) {
	tw := tabwriter.NewWriter(w, 2, 0, 2, ' ', 0)
	for _, row := range t.rows("\t") {
		fmt.Fprintln(tw, row)
	}
	tw.Flush()
}

// tsv is the table for other programs (rates in Hz, wall in seconds).
func (t *sweepTable) tsv() string { return strings.Join(t.rows("\t"), "\n") + "\n" }

// figure draws the metric, averaged over seeds, against the first swept
// constant, or as a heat map over the first two when they form a grid.
func (t *sweepTable) figure(path, name string) error {
	if len(t.params) == 0 {
		return nil
	}
	if known := t.metricNames(); !slices.Contains(known, name) {
		return fmt.Errorf("--metric %s: the sweep has %s", name, strings.Join(known, ", "))
	}
	type cell struct{ values []float64 }
	key := func(p sweep.Point, n int) string {
		var parts []string
		for _, v := range p.Values[:n] {
			parts = append(parts, v.Text)
		}
		return strings.Join(parts, " ")
	}
	label := func(k int) (string, float64) {
		q := t.job.Points[0].Values[k].Q
		unit, scale := units.Readable(q.Dim)
		if unit == "" {
			return t.params[k], 1
		}
		return fmt.Sprintf("%s (%s)", t.params[k], unit), scale
	}
	xs := map[string]float64{}
	ys := map[string]float64{}
	cells := map[string]*cell{}
	n := min(2, len(t.params))
	_, xScale := label(0)
	yScale := 1.0
	if n == 2 {
		_, yScale = label(1)
	}
	for _, p := range t.job.Points {
		x, err := metric(t.records[p.Index], name)
		if err != nil {
			return err
		}
		k := key(p, n)
		if cells[k] == nil {
			cells[k] = &cell{}
			xs[k] = p.Values[0].Q.Value * xScale
			if n == 2 {
				ys[k] = p.Values[1].Q.Value * yScale
			}
		}
		if !math.IsNaN(x) {
			cells[k].values = append(cells[k].values, x)
		}
	}
	xl, _ := label(0)
	title := fmt.Sprintf("%s: %s (mean over seeds)", t.job.Model[strings.LastIndex(t.job.Model, "/")+1:], name)
	if n == 2 && len(t.job.Points) > 0 && isGrid(xs, ys, len(cells)) {
		xv, yv := distinct(xs), distinct(ys)
		z := make([][]float64, len(yv))
		for r := range z {
			z[r] = make([]float64, len(xv))
			for c := range z[r] {
				z[r][c] = math.NaN()
			}
		}
		for k, c := range cells {
			m, _ := meanSD(c.values)
			z[sort.SearchFloat64s(yv, ys[k])][sort.SearchFloat64s(xv, xs[k])] = m
		}
		yl, _ := label(1)
		return plot.HeatMap(path, title, xl, yl, name+metricUnit(name), xv, yv, z)
	}
	keys := make([]string, 0, len(cells))
	for k := range cells {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool { return xs[keys[a]] < xs[keys[b]] })
	var x, y, e []float64
	for _, k := range keys {
		m, sd := meanSD(cells[k].values)
		x, y, e = append(x, xs[k]), append(y, m), append(e, sd)
	}
	return plot.Curve(path, title, xl, name+metricUnit(name), x, y, e)
}

// metricNames are the metrics the sweep's records have.
func (t *sweepTable) metricNames() []string {
	var out []string
	for _, g := range t.groups {
		out = append(out, "rate_"+g, "cv_"+g, "spikes_"+g)
	}
	return append(out, "wall")
}

// distinct returns the sorted distinct values of a map.
func distinct(m map[string]float64) []float64 {
	seen := map[float64]bool{}
	var out []float64
	for _, v := range m {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	sort.Float64s(out)
	return out
}

// isGrid reports whether the cells fill the product of their x and y values.
func isGrid(xs, ys map[string]float64, cells int) bool {
	return len(distinct(xs))*len(distinct(ys)) == cells
}

// metricUnit names the unit of a metric for labels.
func metricUnit(name string) string {
	switch {
	case strings.HasPrefix(name, "rate_"):
		return " (Hz)"
	case name == "wall":
		return " (s)"
	}
	return ""
}
