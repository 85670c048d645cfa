package store

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/soma-sim/soma/expr"
	"github.com/soma-sim/soma/units"
)

// Names gives a record's values by name for expressions: its constants
// (with their dimensions), rate_G (Hz), spikes_G and cv_G of each group,
// and id, seed, dt, duration, wall (seconds), threads and sweep, point.
func (r *Record) Names() expr.MapNamespace {
	ns := expr.MapNamespace{}
	num := func(v float64) expr.Symbol { return expr.Symbol{Kind: expr.Constant, Type: expr.Float, Value: v} }
	withDim := func(v float64, d units.Dimension) expr.Symbol {
		return expr.Symbol{Kind: expr.Constant, Type: expr.Float, Value: v, Dim: d}
	}
	for _, c := range r.Constants {
		d, err := units.ParseUnitSpec(dimSpec(c.Dim))
		if err != nil {
			continue
		}
		ns[c.Name] = withDim(c.Value, d)
	}
	for _, g := range r.Groups {
		ns["rate_"+g.Group] = withDim(g.RateHz, hertz)
		ns["spikes_"+g.Group] = num(float64(g.Spikes))
		ns["cv_"+g.Group] = num(g.ISICV)
	}
	ns["id"] = num(float64(r.ID))
	ns["seed"] = num(float64(r.Seed))
	ns["dt"] = withDim(r.DT, second)
	ns["duration"] = withDim(r.Duration, second)
	ns["wall"] = withDim(r.Wall, second)
	ns["threads"] = num(float64(r.Threads))
	if r.SweepID != nil {
		ns["sweep"] = num(float64(*r.SweepID))
	}
	if r.Point != nil {
		ns["point"] = num(float64(*r.Point))
	}
	return ns
}

var (
	second = units.Dimension{units.Time: 1}
	hertz  = units.Dimension{units.Time: -1}
)

// dimSpec turns a stored dimension symbol back into a unit specification
// ("1" and "" are dimensionless).
func dimSpec(sym string) string {
	if sym == "" || sym == "1" {
		return "1"
	}
	return strings.ReplaceAll(sym, "^", "**")
}

// Query is a parsed --where condition.
type Query struct {
	src  string
	node expr.Node
}

// ParseQuery parses a condition in soma's expression language.
func ParseQuery(src string) (*Query, error) {
	n, err := expr.Parse(src)
	if err != nil {
		return nil, fmt.Errorf("--where '%s': %w", src, err)
	}
	return &Query{src: src, node: n}, nil
}

// Match evaluates the condition for a record. A record that lacks a name
// the condition uses does not match; a condition that is not boolean, or
// compares values of different units, is an error.
func (q *Query) Match(r *Record) (bool, error) {
	ns := r.Names()
	for _, name := range expr.Names(q.node) {
		if _, ok := ns[name]; ok {
			continue
		}
		if _, isUnit := units.Lookup(name); isUnit {
			continue
		}
		if _, isConst := expr.LookupConstant(name); isConst {
			continue
		}
		if _, isFunc := expr.LookupFunction(name); isFunc {
			continue
		}
		return false, nil
	}
	info, err := expr.Check(q.node, ns)
	if err != nil {
		return false, fmt.Errorf("--where '%s': %w", q.src, err)
	}
	if info.Type != expr.Boolean {
		return false, fmt.Errorf("--where '%s' is not a condition (it gives a %s, not true or false)", q.src, info.Type)
	}
	v, err := expr.Eval(q.node, ns)
	if err != nil {
		return false, fmt.Errorf("--where '%s': %w", q.src, err)
	}
	return v.Value != 0, nil
}

// List returns the records that match a condition ("" for all), sorted by
// a key (a name as in Names, "-" in front for descending; "" for id).
func (s *Store) List(where, sortKey string) ([]*Record, error) {
	s.markInterrupted()
	var q *Query
	if strings.TrimSpace(where) != "" {
		var err error
		if q, err = ParseQuery(where); err != nil {
			return nil, err
		}
	}
	all, err := s.query("")
	if err != nil {
		return nil, err
	}
	var out []*Record
	for _, r := range all {
		if q != nil {
			ok, err := q.Match(r)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
		}
		out = append(out, r)
	}
	if sortKey != "" {
		if err := sortRecords(out, sortKey); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// sortRecords orders records by a name; records without it go last.
func sortRecords(recs []*Record, key string) error {
	desc := strings.HasPrefix(key, "-")
	key = strings.TrimPrefix(key, "-")
	value := func(r *Record) float64 {
		if key == "start" {
			return float64(r.Start.UnixNano())
		}
		if s, ok := r.Names()[key]; ok {
			return s.Value
		}
		return math.NaN()
	}
	known := key == "start"
	for _, r := range recs {
		if _, ok := r.Names()[key]; ok {
			known = true
		}
	}
	if !known && len(recs) > 0 {
		return fmt.Errorf("--sort %s: no record has '%s' (%s)", key, key, strings.Join(knownNames(recs), ", "))
	}
	sort.SliceStable(recs, func(a, b int) bool {
		x, y := value(recs[a]), value(recs[b])
		switch {
		case math.IsNaN(x):
			return false
		case math.IsNaN(y):
			return true
		case desc:
			return x > y
		}
		return x < y
	})
	return nil
}

// knownNames lists the names records have, for messages.
func knownNames(recs []*Record) []string {
	seen := map[string]bool{}
	for _, r := range recs {
		for n := range r.Names() {
			seen[n] = true
		}
	}
	var out []string
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
