package sweep

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Job is a sweep or an evolution as kept in the store's folder: its
// model, overrides and points. Slurm tasks read it there; records written
// by tasks go into its records folder as one file each, because SQLite's
// locking cannot be trusted on the shared file systems of clusters. The
// records are imported into the database by whoever looks at the job
// (soma sweep status), on one machine.
type Job struct {
	ID        int       `json:"id"`
	Kind      string    `json:"kind"` // "sweep" or "evolve"
	Model     string    `json:"model"`
	ModelText string    `json:"model_text"`
	ModelHash string    `json:"model_hash"`
	Base      []string  `json:"base"`
	Points    []Point   `json:"points"`
	Created   time.Time `json:"created"`
	Slurm     *Slurm    `json:"slurm,omitempty"`
}

// Slurm is how a job was submitted to Slurm.
type Slurm struct {
	JobID  string `json:"job_id"`
	Tasks  int    `json:"tasks"`
	Script string `json:"script"`
}

// jobsDir is the folder of jobs inside a store's folder.
func jobsDir(store string) string { return filepath.Join(store, "sweeps") }

// Dir is the job's folder.
func (j *Job) Dir(store string) string { return filepath.Join(jobsDir(store), strconv.Itoa(j.ID)) }

// RecordsDir is where tasks write their records.
func (j *Job) RecordsDir(store string) string { return filepath.Join(j.Dir(store), "records") }

// Create gives the job the next free number (a new folder: atomic, also on
// network file systems) and writes it.
func (j *Job) Create(store string) error {
	if err := os.MkdirAll(jobsDir(store), 0o755); err != nil {
		return err
	}
	ids, err := jobIDs(store)
	if err != nil {
		return err
	}
	next := 1
	if len(ids) > 0 {
		next = ids[len(ids)-1] + 1
	}
	for ; ; next++ {
		j.ID = next
		err := os.Mkdir(j.Dir(store), 0o755)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	if err := os.Mkdir(j.RecordsDir(store), 0o755); err != nil {
		return err
	}
	return j.Save(store)
}

// Save writes the job's description.
func (j *Job) Save(store string) error {
	b, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(j.Dir(store), "job.json"), b)
}

// LoadJob reads job id of a store.
func LoadJob(store string, id int) (*Job, error) {
	b, err := os.ReadFile(filepath.Join(jobsDir(store), strconv.Itoa(id), "job.json"))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("the store %s has no sweep %d", store, id)
		}
		return nil, err
	}
	j := &Job{}
	if err := json.Unmarshal(b, j); err != nil {
		return nil, fmt.Errorf("sweep %d: %w", id, err)
	}
	return j, nil
}

// Jobs lists the jobs of a store, oldest first.
func Jobs(store string) ([]*Job, error) {
	ids, err := jobIDs(store)
	if err != nil {
		return nil, err
	}
	var out []*Job
	for _, id := range ids {
		j, err := LoadJob(store, id)
		if err != nil {
			continue // a job being created
		}
		out = append(out, j)
	}
	return out, nil
}

func jobIDs(store string) ([]int, error) {
	entries, err := os.ReadDir(jobsDir(store))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ids []int
	for _, e := range entries {
		if id, err := strconv.Atoi(e.Name()); err == nil && e.IsDir() {
			ids = append(ids, id)
		}
	}
	sort.Ints(ids)
	return ids, nil
}

// Same reports whether another job has this one's kind, model and points:
// --resume continues it.
func (j *Job) Same(o *Job) bool {
	if j.Kind != o.Kind || j.ModelHash != o.ModelHash || !slices.Equal(j.Base, o.Base) || len(j.Points) != len(o.Points) {
		return false
	}
	for k := range j.Points {
		if !slices.Equal(j.Points[k].Sets(), o.Points[k].Sets()) {
			return false
		}
	}
	return true
}

// TaskPoints returns the points task k of n runs: every n-th.
func (j *Job) TaskPoints(k, n int) []Point {
	var out []Point
	for i, p := range j.Points {
		if i%n == k {
			out = append(out, p)
		}
	}
	return out
}

// WriteRecord writes one point's record as a file of the job's records
// folder, whole or not at all.
func (j *Job) WriteRecord(store string, point int, record any) error {
	b, err := json.Marshal(record)
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(j.RecordsDir(store), fmt.Sprintf("%06d.json", point)), b)
}

// RecordFiles lists the record files written so far.
func (j *Job) RecordFiles(store string) ([]string, error) {
	entries, err := os.ReadDir(j.RecordsDir(store))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") {
			out = append(out, filepath.Join(j.RecordsDir(store), e.Name()))
		}
	}
	return out, nil
}

// writeAtomic writes a file through a temporary one and a rename, so that
// a reader sees all of it or none.
func writeAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// SlurmOptions are the resources of each array task.
type SlurmOptions struct {
	Partition string
	Time      string
	CPUs      int
	Tasks     int
}

// SlurmScript returns the job array script: task k runs
// `soma sweep --task k --sweep ID --store STORE` on its share of points.
func (j *Job) SlurmScript(soma, store string, o SlurmOptions) string {
	var b strings.Builder
	b.WriteString("#!/bin/bash\n")
	fmt.Fprintf(&b, "#SBATCH --job-name=soma-sweep-%d\n", j.ID)
	fmt.Fprintf(&b, "#SBATCH --array=0-%d\n", o.Tasks-1)
	fmt.Fprintf(&b, "#SBATCH --cpus-per-task=%d\n", max(1, o.CPUs))
	fmt.Fprintf(&b, "#SBATCH --output=%s\n", filepath.Join(j.Dir(store), "task-%a.log"))
	if o.Partition != "" {
		fmt.Fprintf(&b, "#SBATCH --partition=%s\n", o.Partition)
	}
	if o.Time != "" {
		fmt.Fprintf(&b, "#SBATCH --time=%s\n", o.Time)
	}
	fmt.Fprintf(&b, "exec %s sweep --task \"$SLURM_ARRAY_TASK_ID\" --tasks %d --sweep %d --store %s --jobs %d\n",
		shellQuote(soma), o.Tasks, j.ID, shellQuote(store), max(1, o.CPUs))
	return b.String()
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
