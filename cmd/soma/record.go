package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"sync"
	"syscall"
	"time"

	"github.com/soma-sim/soma/model"
	"github.com/soma-sim/soma/store"
	"github.com/soma-sim/soma/units"
)

// storeConstant is a constant as the store keeps it.
func storeConstant(name string, q units.Quantity) store.Constant {
	unit, _ := units.Readable(q.Dim)
	return store.Constant{Name: name, Value: q.Value, Unit: unit, Dim: q.Dim.Name()}
}

func storeConstants(consts []model.Constant) []store.Constant {
	out := make([]store.Constant, len(consts))
	for k, c := range consts {
		out[k] = storeConstant(c.Name, c.Value)
	}
	return out
}

// fillRecord copies a built (and run) model into a record: its name,
// constants, seed, dt, duration and the metrics of every group with a
// spike monitor.
func fillRecord(rec *store.Record, m *model.Model) {
	rec.Name, rec.Seed, rec.DT, rec.Duration = m.Spec.Name, m.Seed, m.DT, m.Duration()
	rec.Constants = storeConstants(m.Constants)
	rec.Groups = nil
	for _, g := range m.Groups {
		for _, mon := range m.Monitors {
			if mon.Spikes != nil && mon.Spec.Type == "spike" && mon.Source == g.Group {
				rec.Groups = append(rec.Groups, store.Metrics(g.Spec.Name, g.Group.Size(), m.Net.T(), mon.Spikes.T(), mon.Spikes.I()))
				break
			}
		}
	}
}

// vcsRevision is the commit soma was built from, when Go recorded it.
var vcsRevision = sync.OnceValue(func() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if dirty && rev != "" {
		rev += "+modified"
	}
	return rev
})

func hostname() string {
	h, _ := os.Hostname()
	return h
}

// runRecorder records one soma run in the store: begun before the run,
// finished after it, so that a killed run stays as interrupted.
type runRecorder struct {
	st      *store.Store
	id      int64
	rec     *store.Record
	signals chan os.Signal
	once    sync.Once
	warn    io.Writer
}

// beginRun opens the store (unless disabled) and records the run as
// running. A store that cannot be opened is reported and skipped: the
// run itself matters more than its record.
func beginRun(dir string, disabled bool, path string, m *model.Model, threads int, out string, warn io.Writer) *runRecorder {
	if disabled {
		return nil
	}
	if dir == "" {
		dir = store.DefaultDir()
	}
	st, err := store.Open(dir)
	if err != nil {
		fmt.Fprintf(warn, "soma: warning: the run is not recorded: %v\n", err)
		return nil
	}
	text, _ := os.ReadFile(path)
	rec := &store.Record{ModelFile: absPath(path), ModelText: string(text), ModelHash: hashOf(string(text)),
		Version: version, Revision: vcsRevision(), Host: hostname(), PID: os.Getpid(), Threads: threads,
		Start: time.Now().UTC(), OutDir: absPath(out)}
	fillRecord(rec, m)
	rec.Groups = nil // nothing has spiked yet: no metrics, not zeros
	r := &runRecorder{st: st, rec: rec, warn: warn, signals: make(chan os.Signal, 1)}
	// Listen before the record exists, so that no signal finds it
	// without a listener.
	signal.Notify(r.signals, os.Interrupt, syscall.SIGTERM)
	if r.id, err = st.Begin(rec); err != nil {
		signal.Stop(r.signals)
		fmt.Fprintf(warn, "soma: warning: the run is not recorded: %v\n", err)
		st.Close()
		return nil
	}
	go r.onSignal(m)
	return r
}

// onSignal records a run stopped by Ctrl-C or SIGTERM (Slurm's time limit)
// as interrupted, then ends the process as the signal would have.
func (r *runRecorder) onSignal(m *model.Model) {
	sig := <-r.signals
	if sig == nil { // finish came first
		return
	}
	r.end(m, time.Since(r.rec.Start), store.Interrupted, "stopped by "+sig.String())
	code := 130
	if s, ok := sig.(syscall.Signal); ok {
		code = 128 + int(s)
	}
	os.Exit(code)
}

// finish records the end of the run: ok, or failed with the error.
func (r *runRecorder) finish(m *model.Model, wall time.Duration, runErr error) {
	if r == nil {
		return
	}
	signal.Stop(r.signals)
	status, msg := store.OK, ""
	if runErr != nil {
		status, msg = store.Failed, runErr.Error()
	}
	r.end(m, wall, status, msg)
	select {
	case r.signals <- nil: // lets onSignal return
	default: // a signal came just before Stop: onSignal ends the process
	}
}

// end writes the record's final state, once: a signal during finish must
// not write it twice. An interrupted run keeps no metrics: its monitors
// are still being written, and a part of a run is not its result.
func (r *runRecorder) end(m *model.Model, wall time.Duration, status, msg string) {
	r.once.Do(func() {
		defer r.st.Close()
		if status != store.Interrupted {
			fillRecord(r.rec, m)
		} else {
			r.rec.Groups = nil
		}
		r.rec.Wall, r.rec.Status, r.rec.Error = wall.Seconds(), status, msg
		if err := r.st.Finish(r.id, r.rec); err != nil {
			fmt.Fprintf(r.warn, "soma: warning: the run's record is incomplete: %v\n", err)
		}
	})
}

func absPath(p string) string {
	if p == "" {
		return ""
	}
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// countBar draws "k/n points" progress on a terminal.
type countBar struct {
	w       io.Writer
	n, done int
	on      bool
	began   time.Time
}

func newCountBar(w io.Writer, n int, on bool) *countBar {
	return &countBar{w: w, n: n, on: on && n > 0, began: time.Now()}
}

func (b *countBar) add(k int) {
	b.done += k
	if !b.on {
		return
	}
	f := float64(b.done) / float64(b.n)
	el := time.Since(b.began)
	left := time.Duration(0)
	if f > 0 {
		left = time.Duration(float64(el) * (1 - f) / f)
	}
	fmt.Fprintf(b.w, "\r\x1b[K%3d%% %s %d/%d points, %s elapsed, %s left", int(100*f), bar(f), b.done, b.n,
		el.Round(time.Second), left.Round(time.Second))
}

func (b *countBar) end() {
	if b.on && b.done > 0 {
		fmt.Fprintln(b.w)
	}
}
