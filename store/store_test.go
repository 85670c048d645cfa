package store

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

func record(we float64, rate float64) *Record {
	return &Record{Name: "cuba", ModelFile: "cuba.yaml", ModelText: "x", ModelHash: "h", Seed: 1 << 63, DT: 1e-4, Duration: 0.1,
		Host: "h", PID: 1, Threads: 1, Start: time.Now(), Wall: 0.5, Status: OK,
		Constants: []Constant{{Name: "we", Value: we, Unit: "mV", Dim: "volt"}, {Name: "N", Value: 4000, Dim: "1"}},
		Groups:    []GroupMetrics{{Group: "P", Spikes: 100, RateHz: rate, ISICV: math.NaN()}}}
}

func TestAddGetListRemove(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for k, c := range []struct{ we, rate float64 }{{0.5e-3, 4}, {1e-3, 5}, {2e-3, 11}, {3e-3, 30}} {
		r := record(c.we, c.rate)
		if k == 3 {
			sweep, point := int64(7), 2
			r.SweepID, r.Point = &sweep, &point
		}
		if _, err := s.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	r, err := s.Get(2)
	if err != nil || r.Constants[0].Value != 1e-3 || r.Groups[0].RateHz != 5 || !math.IsNaN(r.Groups[0].ISICV) || r.Seed != 1<<63 {
		t.Fatalf("%+v %v", r, err)
	}
	for _, c := range []struct {
		where string
		ids   []int64
	}{
		{"we > 1*mV and rate_P < 20*Hz", []int64{3}},
		{"we >= 1*mV", []int64{2, 3, 4}},
		{"sweep == 7 and point == 2", []int64{4}},
		{"nosuch > 1", nil},
		{"", []int64{1, 2, 3, 4}},
	} {
		recs, err := s.List(c.where, "")
		if err != nil {
			t.Fatalf("%s: %v", c.where, err)
		}
		var ids []int64
		for _, r := range recs {
			ids = append(ids, r.ID)
		}
		if len(ids) != len(c.ids) || (len(ids) > 0 && ids[0] != c.ids[0]) {
			t.Errorf("--where %q: %v, want %v", c.where, ids, c.ids)
		}
	}
	for _, bad := range []struct{ where, want string }{
		{"we > 1*second", "units"}, {"we +", "we +"}, {"we * 2", "not a condition"},
	} {
		if _, err := s.List(bad.where, ""); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("--where %q: %v, want an error with %q", bad.where, err, bad.want)
		}
	}
	recs, _ := s.List("", "-rate_P")
	if recs[0].ID != 4 || recs[3].ID != 1 {
		t.Errorf("sorted by -rate_P: %d ... %d", recs[0].ID, recs[3].ID)
	}
	if _, err := s.List("", "nosuch"); err == nil {
		t.Error("sorting by an unknown name")
	}
	if err := s.Remove(1, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(1); err == nil {
		t.Error("removed run still there")
	}
	if err := s.Remove(99); err == nil {
		t.Error("removing an unknown run")
	}
}

// Many writers at once, each with its own connection as separate
// processes would have, lose no record.
func TestConcurrentWriters(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(dir)
			if err != nil {
				errs <- err
				return
			}
			defer s.Close()
			for k := range 20 {
				if _, err := s.Add(record(float64(w*100+k), 1)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	s, _ := Open(dir)
	defer s.Close()
	recs, err := s.List("", "")
	if err != nil || len(recs) != 160 {
		t.Fatalf("%d records, %v", len(recs), err)
	}
	seen := map[float64]bool{}
	for _, r := range recs {
		seen[r.Constants[0].Value] = true
	}
	if len(seen) != 160 {
		t.Errorf("%d distinct records", len(seen))
	}
}

func TestRunningRecordOfDeadProcessIsInterrupted(t *testing.T) {
	s, _ := Open(t.TempDir())
	defer s.Close()
	r := record(1, 1)
	r.Host = hostname()
	r.PID = 1 << 30 // no such process
	id, err := s.Begin(r)
	if err != nil {
		t.Fatal(err)
	}
	live := record(1, 1)
	live.Host, live.PID = hostname(), pid()
	liveID, _ := s.Begin(live)
	got, _ := s.Get(id)
	if got.Status != Interrupted {
		t.Errorf("status %s, want interrupted", got.Status)
	}
	if got, _ := s.Get(liveID); got.Status != Running {
		t.Errorf("a live run is %s", got.Status)
	}
	r.Status, r.Wall = OK, 2
	if err := s.Finish(liveID, r); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Get(liveID); got.Status != OK || got.Wall != 2 {
		t.Errorf("finished: %+v", got)
	}
}

func TestMetrics(t *testing.T) {
	// Neuron 0 regular (CV 0), neuron 1 irregular, neuron 2 two spikes only.
	tt := []float64{0.01, 0.02, 0.03, 0.04, 0.01, 0.02, 0.05, 0.1, 0.2}
	ii := []int32{0, 0, 0, 0, 1, 1, 1, 2, 2}
	g := Metrics("P", 4, 1, tt, ii)
	if g.Spikes != 9 || g.RateHz != 9.0/4 {
		t.Errorf("%+v", g)
	}
	// ISIs of neuron 1: 0.01, 0.03: mean 0.02, sd 0.01414: CV 0.7071.
	if math.Abs(g.ISICV-0.7071067811865476/2) > 1e-6 {
		t.Errorf("CV %g", g.ISICV)
	}
	if g := Metrics("P", 4, 1, nil, nil); !math.IsNaN(g.ISICV) || g.RateHz != 0 {
		t.Errorf("no spikes: %+v", g)
	}
}
func hostname() string {
	h, _ := os.Hostname()
	return h
}

func pid() int { return os.Getpid() }

func TestRecordJSON(t *testing.T) {
	r := record(1e-3, 5)
	r.Groups = append(r.Groups, GroupMetrics{Group: "Q", ISICV: 0.5})
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Record
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(back.Groups[0].ISICV) || back.Groups[1].ISICV != 0.5 || back.Constants[0].Value != 1e-3 {
		t.Errorf("%s read back as %+v", b, back)
	}
}
