package store

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// runs of two models: cuba (we in volt) and coba (we in siemens, no N).
func mixedRuns() []*Record {
	var recs []*Record
	for k, c := range []struct{ we, rate float64 }{{0.5e-3, 4}, {1e-3, 5}, {2e-3, 11}, {3e-3, 30}} {
		r := record(c.we, c.rate)
		r.ID = int64(k + 1)
		recs = append(recs, r)
	}
	coba := record(0, 50)
	coba.ID, coba.Name, coba.Status, coba.Error = 5, "coba", Failed, "boom"
	coba.Constants = []Constant{{Name: "we", Value: 6e-9, Unit: "nS", Dim: "siemens"}}
	coba.Groups[0].ISICV = 0.8
	return append(recs, coba)
}

func ids(recs []*Record) []int64 {
	var out []int64
	for _, r := range recs {
		out = append(out, r.ID)
	}
	return out
}

func TestFilter(t *testing.T) {
	recs := mixedRuns()
	recs[3].SweepID, recs[3].Point = new(int64(7)), new(2)
	for _, c := range []struct {
		where string
		want  []int64
	}{
		{"", []int64{1, 2, 3, 4, 5}},
		{"we > 1*mV and rate_P < 20*Hz", []int64{3}},
		{"we >= 1*mV", []int64{2, 3, 4}},          // coba's we is a conductance: not a match
		{"we > 1*nS", []int64{5}},                 // and the other way round
		{"N == 4000", []int64{1, 2, 3, 4}},        // N is newton too, but the runs have it
		{"sweep == 7 and point == 2", []int64{4}}, // only sweep points have them
		{"failed or interrupted", []int64{5}},     // statuses are booleans
		{"ok and wall < 1*second", []int64{1, 2, 3, 4}},
		{"not (cv_P > 0.5)", []int64{1, 2, 3, 4}}, // NaN compares false
		{"duration == 100*ms and dt == 0.1*ms and seed > 0 and threads == 1", []int64{1, 2, 3, 4, 5}},
	} {
		got, err := Filter(recs, c.where)
		if err != nil {
			t.Errorf("--where %q: %v", c.where, err)
			continue
		}
		if !slices.Equal(ids(got), c.want) {
			t.Errorf("--where %q: %v, want %v", c.where, ids(got), c.want)
		}
	}
}

func TestFilterErrors(t *testing.T) {
	recs := mixedRuns()
	for _, c := range []struct{ where, want string }{
		{"we > 1*second", "inconsistent units in comparison 'we > 1*second'"},
		{"we +", "--where 'we +': line 1, column"},
		{"we * 2", "is not a condition"},
		{"nosuch > 1", "unknown identifier 'nosuch': no run has it (they have N, cv_P, dt,"},
		{"rate_Q > 1*Hz", "unknown identifier 'rate_Q'"},
	} {
		_, err := Filter(recs, c.where)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("--where %q: %v, want an error with %q", c.where, err, c.want)
		}
	}
	if got, err := Filter(nil, "nosuch > 1"); err != nil || got != nil {
		t.Errorf("an empty store: %v %v", got, err)
	}
	if _, err := Filter(nil, "1 +"); err == nil {
		t.Error("a syntax error in an empty store")
	}
}

func TestSort(t *testing.T) {
	recs := mixedRuns()
	for _, c := range []struct {
		key  string
		want []int64
	}{
		{"", []int64{1, 2, 3, 4, 5}},
		{"-rate_P", []int64{5, 4, 3, 2, 1}},
		{"N", []int64{1, 2, 3, 4, 5}},     // coba has no N: last
		{"-N", []int64{1, 2, 3, 4, 5}},    // last either way
		{"cv_P", []int64{5, 1, 2, 3, 4}},  // NaN last
		{"-name", []int64{1, 2, 3, 4, 5}}, // text: cuba > coba
		{"name", []int64{5, 1, 2, 3, 4}},
		{"status", []int64{5, 1, 2, 3, 4}},
	} {
		got := slices.Clone(recs)
		if err := Sort(got, c.key); err != nil {
			t.Errorf("--sort %s: %v", c.key, err)
			continue
		}
		if !slices.Equal(ids(got), c.want) {
			t.Errorf("--sort %s: %v, want %v", c.key, ids(got), c.want)
		}
	}
	if err := Sort(recs, "nosuch"); err == nil || !strings.Contains(err.Error(), "no run has 'nosuch' (they have N,") {
		t.Errorf("sorting by an unknown name: %v", err)
	}
}

// FuzzWhere feeds arbitrary conditions to the --where path: it must answer
// with records or an error, never panic, and match only records that have
// every name the condition uses beyond units.
func FuzzWhere(f *testing.F) {
	for _, s := range []string{"we > 1*mV and rate_P < 20*Hz", "failed or not ok", "N == 4000", "sweep == 7",
		"we * 2", "we +", "cv_P != cv_P", "exp(we/mV) > 2", "-rate_P", "rate_P/Hz % 2 == 1", "(we > 1*mV) == true"} {
		f.Add(s)
	}
	recs := mixedRuns()
	f.Fuzz(func(t *testing.T, where string) {
		got, err := Filter(recs, where)
		if err != nil {
			if got != nil {
				t.Fatalf("%q: records and an error", where)
			}
			return
		}
		if strings.TrimSpace(where) == "" {
			return
		}
		q, err := ParseQuery(where)
		if err != nil {
			t.Fatalf("%q: Filter took it, ParseQuery: %v", where, err)
		}
		for _, r := range got {
			for _, name := range q.free {
				if _, ok := r.Names()[name]; !ok {
					t.Fatalf("%q matched run %d, which lacks %s", where, r.ID, name)
				}
			}
		}
	})
}

func TestNamesShadowing(t *testing.T) {
	r := record(1, 1)
	r.Constants = append(r.Constants, Constant{Name: "ok", Value: 2, Dim: "1"}, Constant{Name: "rate_P", Value: 3, Dim: "1"})
	ns := r.Names()
	if ns["ok"].Value != 2 || ns["rate_P"].Value != 3 {
		t.Errorf("a model's constants should win: ok %v, rate_P %v", ns["ok"], ns["rate_P"])
	}
	if !math.IsNaN(ns["cv_P"].Value) {
		t.Errorf("cv_P %v", ns["cv_P"])
	}
}
