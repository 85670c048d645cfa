package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"
)

// Report is a whole run of the suite: what the tables are made of. The
// runner saves it as JSON, so the tables can be printed again later.
type Report struct {
	Machine    Machine       `json:"machine"`
	Reps       int           `json:"reps"`
	LargeReps  int           `json:"large_reps,omitempty"`
	Threads    int           `json:"threads"`
	OpenMP     bool          `json:"openmp"`
	NoBrian    bool          `json:"no_brian,omitempty"`
	Elapsed    time.Duration `json:"elapsed_ns"`
	LoadBefore string        `json:"load_before,omitempty"`
	LoadAfter  string        `json:"load_after,omitempty"`
	Results    []Result      `json:"results"`
}

// WriteMarkdown writes the report: a line on how it was measured, the
// tables, and the machine.
func (r *Report) WriteMarkdown(w io.Writer) error {
	runs := fmt.Sprint(r.Reps)
	if r.LargeReps > 0 && r.LargeReps != r.Reps {
		runs = fmt.Sprintf("%d (large scaling points: %d)", r.Reps, r.LargeReps)
	}
	threads := fmt.Sprintf("%d thread(s) for soma (--threads and GOMAXPROCS)", r.Threads)
	if r.OpenMP {
		threads += " and Brian2 OpenMP"
	}
	if _, err := fmt.Fprintf(w, "Medians of %s alternating runs per simulator (%s in all); %s.\n\n",
		runs, r.Elapsed.Round(time.Second), threads); err != nil {
		return err
	}
	if err := WriteTables(w, r.Results, TableOptions{Threads: r.Threads, Brian: !r.NoBrian, OpenMP: r.OpenMP}); err != nil {
		return err
	}
	if _, err := fmt.Fprintf(w, "\n%s", r.Machine); err != nil {
		return err
	}
	if r.LoadBefore != "" {
		if _, err := fmt.Fprintf(w, "- load average (1, 5, 15 min) before: %s; after: %s\n", r.LoadBefore, r.LoadAfter); err != nil {
			return err
		}
	}
	return nil
}

// Save writes the report as JSON.
func (r *Report) Save(path string) error {
	raw, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(raw, '\n'), 0o644)
}

// LoadReport reads a report saved by Save.
func LoadReport(path string) (*Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &r, nil
}
