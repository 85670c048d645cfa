package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

// TestMain lets the test binary be a writer process for
// TestConcurrentProcesses: STORE_TEST_WRITER=DIR:W:N writes N records.
func TestMain(m *testing.M) {
	if spec := os.Getenv("STORE_TEST_WRITER"); spec != "" {
		if err := writeRecords(spec); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func writeRecords(spec string) error {
	var dir string
	var w, n int
	if _, err := fmt.Sscanf(spec, "%d:%d:%s", &w, &n, &dir); err != nil {
		return fmt.Errorf("STORE_TEST_WRITER=%s: %v", spec, err)
	}
	s, err := Open(dir)
	if err != nil {
		return err
	}
	defer s.Close()
	for k := range n {
		if _, err := s.Add(record(float64(w*1000+k), 1)); err != nil {
			return err
		}
	}
	return nil
}

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
			r.SweepID, r.Point = new(int64(7)), new(2)
		}
		if _, err := s.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	r, err := s.Get(2)
	if err != nil || r.Constants[0].Value != 1e-3 || r.Constants[0].Unit != "mV" || r.Constants[0].Dim != "volt" ||
		r.Groups[0].RateHz != 5 || !math.IsNaN(r.Groups[0].ISICV) || r.Seed != 1<<63 || r.SweepID != nil || r.Point != nil {
		t.Fatalf("%+v %v", r, err)
	}
	if r, _ := s.Get(4); r.SweepID == nil || *r.SweepID != 7 || *r.Point != 2 {
		t.Errorf("sweep point read back as %v %v", r.SweepID, r.Point)
	}
	recs, err := s.List("we > 1*mV and rate_P < 20*Hz", "")
	if err != nil || len(recs) != 1 || recs[0].ID != 3 {
		t.Errorf("List: %v %v", ids(recs), err)
	}
	if recs, _ := s.List("", "-rate_P"); recs[0].ID != 4 || recs[3].ID != 1 {
		t.Errorf("sorted by -rate_P: %v", ids(recs))
	}
	if _, err := s.List("we >", ""); err == nil {
		t.Error("List took a syntax error")
	}
	if err := s.Remove(1, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(1); !errors.Is(err, ErrNotFound) {
		t.Errorf("removed run: %v", err)
	}
	if err := s.Remove(3, 99); !errors.Is(err, ErrNotFound) {
		t.Errorf("removing an unknown run: %v", err)
	}
	if _, err := s.Get(3); err != nil {
		t.Errorf("a failed Remove removed run 3 all the same: %v", err)
	}
	var n int
	if err := s.db.QueryRow("SELECT count(*) FROM constants WHERE run_id IN (1, 2)").Scan(&n); err != nil || n != 0 {
		t.Errorf("constants of removed runs: %d %v", n, err)
	}
	if err := s.Check(); err != nil {
		t.Error(err)
	}
}

// Many writers at once, each with its own connection, lose no record.
func TestConcurrentWriters(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Go(func() {
			if err := writeRecords(fmt.Sprintf("%d:20:%s", w, dir)); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	checkAll(t, dir, 160)
}

// The same with 8 processes, whose locks only the file system arbitrates.
func TestConcurrentProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	var cmds []*exec.Cmd
	for w := range 8 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "STORE_TEST_WRITER="+strconv.Itoa(w)+":20:"+dir)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("a writer: %v", err)
		}
	}
	checkAll(t, dir, 160)
}

// checkAll finds n distinct records in an intact store.
func checkAll(t *testing.T, dir string, n int) {
	t.Helper()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	recs, err := s.List("", "")
	if err != nil || len(recs) != n {
		t.Fatalf("%d records, want %d: %v", len(recs), n, err)
	}
	seen := map[float64]bool{}
	for _, r := range recs {
		if len(r.Constants) != 2 || len(r.Groups) != 1 {
			t.Fatalf("run %d is incomplete: %+v", r.ID, r)
		}
		seen[r.Constants[0].Value] = true
	}
	if len(seen) != n {
		t.Errorf("%d distinct records, want %d", len(seen), n)
	}
	if err := s.Check(); err != nil {
		t.Error(err)
	}
}

func TestRunningRecordOfDeadProcessIsInterrupted(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	host, _ := os.Hostname()
	dead := record(1, 1)
	dead.Host, dead.PID = host, 1<<30 // no such process
	deadID, err := s.Begin(dead)
	if err != nil {
		t.Fatal(err)
	}
	elsewhere := record(1, 1)
	elsewhere.Host, elsewhere.PID = "another-host", 1<<30
	elsewhereID, _ := s.Begin(elsewhere)
	live := record(1, 1)
	live.Host, live.PID = host, os.Getpid()
	liveID, _ := s.Begin(live)
	// A record of a day ago whose pid is now this young process's.
	recycled := record(1, 1)
	recycled.Host, recycled.PID, recycled.Start = host, os.Getpid(), time.Now().Add(-24*time.Hour)
	recycledID, _ := s.Begin(recycled)

	if got, _ := s.Get(deadID); got.Status != Interrupted || got.Error == "" {
		t.Errorf("a dead run is %s (%q), want interrupted", got.Status, got.Error)
	}
	if got, _ := s.Get(recycledID); runtime.GOOS == "linux" && got.Status != Interrupted {
		t.Errorf("a run whose pid another process took is %s, want interrupted", got.Status)
	}
	if got, _ := s.Get(elsewhereID); got.Status != Running {
		t.Errorf("another host's run is %s: its process cannot be checked from here", got.Status)
	}
	if recs, _ := s.List("running and threads == 1", ""); len(recs) != 2 {
		t.Errorf("running: %v", ids(recs))
	}
	live.Status, live.Wall, live.Groups[0].RateHz = OK, 2, 42
	if err := s.Finish(liveID, live); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Get(liveID); got.Status != OK || got.Wall != 2 || len(got.Groups) != 1 || got.Groups[0].RateHz != 42 {
		t.Errorf("finished: %+v", got)
	}
}

func TestOpenFails(t *testing.T) {
	file := t.TempDir() + "/file"
	os.WriteFile(file, nil, 0o644)
	if _, err := Open(file); err == nil {
		t.Error("a store inside a file")
	}
}

func TestDefaultDir(t *testing.T) {
	t.Setenv("SOMA_STORE", "")
	if d := DefaultDir(); d != "soma-runs" {
		t.Errorf("DefaultDir %q", d)
	}
	t.Setenv("SOMA_STORE", "/x/y")
	if d := DefaultDir(); d != "/x/y" {
		t.Errorf("DefaultDir with SOMA_STORE: %q", d)
	}
}

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
