package store

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/soma-sim/soma/expr"
	"github.com/soma-sim/soma/units"
)

// Names gives a record's values by name for expressions: its constants
// (with their dimensions), rate_G (Hz), spikes_G and cv_G of each group,
// id, seed, dt, duration, wall (seconds), threads, sweep and point, and
// the booleans ok, failed, interrupted and running for its status. A
// constant of the model wins over a built-in name it shadows.
func (r *Record) Names() expr.MapNamespace {
	ns := expr.MapNamespace{}
	num := func(v float64) expr.Symbol { return expr.Symbol{Kind: expr.Constant, Type: expr.Float, Value: v} }
	withDim := func(v float64, d units.Dimension) expr.Symbol {
		return expr.Symbol{Kind: expr.Constant, Type: expr.Float, Value: v, Dim: d}
	}
	for _, st := range []string{OK, Failed, Interrupted, Running} {
		ns[st] = expr.Symbol{Kind: expr.Constant, Type: expr.Boolean, Value: b2f(r.Status == st)}
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
	for _, g := range r.Groups {
		ns["rate_"+g.Group] = withDim(g.RateHz, hertz)
		ns["spikes_"+g.Group] = num(float64(g.Spikes))
		ns["cv_"+g.Group] = num(g.ISICV)
	}
	for _, c := range r.Constants {
		d, err := units.ParseUnitSpec(dimSpec(c.Dim))
		if err != nil {
			continue
		}
		ns[c.Name] = withDim(c.Value, d)
	}
	return ns
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

var (
	second = units.Dimension{units.Time: 1}
	hertz  = units.Dimension{units.Time: -1}
)

// dimSpec turns a stored dimension back into a unit specification ("1"
// and "" are dimensionless).
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
	free []string // the names that only a record can give
}

// ParseQuery parses a condition in soma's expression language.
func ParseQuery(src string) (*Query, error) {
	n, err := expr.Parse(src)
	if err != nil {
		return nil, fmt.Errorf("--where '%s': %w", src, err)
	}
	q := &Query{src: src, node: n}
	for _, name := range expr.Names(n) {
		if !builtin(name) {
			q.free = append(q.free, name)
		}
	}
	return q, nil
}

// builtin reports whether a name means something without a record: a
// unit, pi, e, inf, true or false.
func builtin(name string) bool {
	if _, ok := units.Lookup(name); ok {
		return true
	}
	if _, ok := expr.LookupConstant(name); ok {
		return true
	}
	return name == "true" || name == "false"
}

// errLacks is Match's answer for a record without a name the condition uses.
var errLacks = errors.New("the record lacks a name")

// Match evaluates the condition for a record. A record that lacks a name
// the condition uses does not match; a condition that is not boolean, or
// compares values of different units, is an error.
func (q *Query) Match(r *Record) (bool, error) {
	ok, err := q.match(r, q.free)
	if errors.Is(err, errLacks) {
		return false, nil
	}
	return ok, err
}

// match evaluates the condition for a record that has all the required
// names, and answers errLacks for one that does not.
func (q *Query) match(r *Record, required []string) (bool, error) {
	ns := r.Names()
	for _, name := range required {
		if _, ok := ns[name]; !ok {
			return false, errLacks
		}
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

// Filter returns the records a condition selects ("" selects all). A name
// that no record has is an error that lists the names they have. Records
// of other models, without a name the condition uses or with other units
// for it, do not match; the condition is an error only when it fits no
// record at all (wrong units everywhere, or not a condition).
func Filter(recs []*Record, where string) ([]*Record, error) {
	if strings.TrimSpace(where) == "" {
		return recs, nil
	}
	q, err := ParseQuery(where)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, nil
	}
	// A name some run has (a constant N, say) is required of every run,
	// even where it is also a unit (newton).
	var required []string
	for _, name := range expr.Names(q.node) {
		switch {
		case anyHas(recs, name):
			required = append(required, name)
		case !builtin(name):
			return nil, fmt.Errorf("--where '%s': unknown identifier '%s': no run has it (they have %s)",
				where, name, strings.Join(knownNames(recs), ", "))
		}
	}
	var out []*Record
	var firstErr error
	fits := false
	for _, r := range recs {
		ok, err := q.match(r, required)
		switch {
		case errors.Is(err, errLacks):
		case err != nil:
			if firstErr == nil {
				firstErr = err
			}
		default:
			fits = true
			if ok {
				out = append(out, r)
			}
		}
	}
	if !fits && firstErr != nil {
		return nil, firstErr
	}
	return out, nil
}

func anyHas(recs []*Record, name string) bool {
	for _, r := range recs {
		if _, ok := r.Names()[name]; ok {
			return true
		}
	}
	return false
}

// List returns the records that match a condition ("" for all), sorted by
// a key (as in Sort; "" keeps the order of their ids).
func (s *Store) List(where, sortKey string) ([]*Record, error) {
	s.markInterrupted()
	all, err := s.query("")
	if err != nil {
		return nil, err
	}
	out, err := Filter(all, where)
	if err != nil {
		return nil, err
	}
	if err := Sort(out, sortKey); err != nil {
		return nil, err
	}
	return out, nil
}

// textKeys are the keys Sort orders as text.
var textKeys = map[string]func(r *Record) string{
	"name":   func(r *Record) string { return r.Name },
	"status": func(r *Record) string { return r.Status },
	"host":   func(r *Record) string { return r.Host },
	"model":  func(r *Record) string { return r.ModelFile },
	"start":  func(r *Record) string { return r.Start.UTC().Format("2006-01-02T15:04:05.000000000") },
}

// Sort orders records by a key: a name of Names, or name, status, host,
// model or start; "-" in front for descending, "" for none. Records
// without the key, or with NaN for it, go last either way.
func Sort(recs []*Record, key string) error {
	if key == "" {
		return nil
	}
	desc := strings.HasPrefix(key, "-")
	key = strings.TrimPrefix(key, "-")
	if text, ok := textKeys[key]; ok {
		sort.SliceStable(recs, func(a, b int) bool {
			if desc {
				return text(recs[a]) > text(recs[b])
			}
			return text(recs[a]) < text(recs[b])
		})
		return nil
	}
	if len(recs) > 0 && !anyHas(recs, key) {
		return fmt.Errorf("--sort %s: no run has '%s' (they have %s, and name, status, host, model, start)",
			key, key, strings.Join(knownNames(recs), ", "))
	}
	type keyed struct {
		r     *Record
		v     float64
		known bool
	}
	ks := make([]keyed, len(recs))
	for k, r := range recs {
		s, ok := r.Names()[key]
		ks[k] = keyed{r, s.Value, ok && s.Value == s.Value}
	}
	sort.SliceStable(ks, func(a, b int) bool {
		x, y := ks[a], ks[b]
		switch {
		case !x.known || !y.known:
			return x.known && !y.known
		case desc:
			return x.v > y.v
		}
		return x.v < y.v
	})
	for k := range ks {
		recs[k] = ks[k].r
	}
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
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
