package sweep

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestJobsInTheStoreFolder(t *testing.T) {
	dir := t.TempDir()
	g, _ := ParseGrid("g=1,2,3,4,5")
	pts, _ := Plan{Grid: []Axis{g}, Seed: 1}.Points()
	// Jobs created at once get different numbers.
	var wg sync.WaitGroup
	jobs := make([]*Job, 8)
	for k := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			jobs[k] = &Job{Kind: "sweep", ModelHash: "h", Points: pts}
			if err := jobs[k].Create(dir); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	seen := map[int]bool{}
	for _, j := range jobs {
		if seen[j.ID] {
			t.Errorf("job number %d given twice", j.ID)
		}
		seen[j.ID] = true
	}
	j, err := LoadJob(dir, jobs[3].ID)
	if err != nil || !j.Same(jobs[3]) || len(j.Points) != 5 || j.Points[2].Values[0].Text != "3" {
		t.Fatalf("%+v %v", j, err)
	}
	if _, err := LoadJob(dir, 99); err == nil || !strings.Contains(err.Error(), "no sweep 99") {
		t.Errorf("missing job: %v", err)
	}
	all, _ := Jobs(dir)
	if len(all) != 8 {
		t.Errorf("%d jobs listed", len(all))
	}
	var got []int
	for k := range 2 {
		for _, p := range j.TaskPoints(k, 2) {
			got = append(got, p.Index)
		}
	}
	if len(got) != 5 {
		t.Errorf("two tasks run points %v", got)
	}
	if err := j.WriteRecord(dir, 2, map[string]int{"point": 2}); err != nil {
		t.Fatal(err)
	}
	files, _ := j.RecordFiles(dir)
	if len(files) != 1 || filepath.Base(files[0]) != "000002.json" {
		t.Errorf("record files %v", files)
	}
	leftovers, _ := filepath.Glob(filepath.Join(j.RecordsDir(dir), ".tmp-*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
	script := j.SlurmScript("/usr/bin/soma", dir, SlurmOptions{Partition: "short", Time: "0:10:00", CPUs: 2, Tasks: 4})
	for _, want := range []string{"#SBATCH --array=0-3", "#SBATCH --partition=short", "--task \"$SLURM_ARRAY_TASK_ID\" --tasks 4", "--jobs 2"} {
		if !strings.Contains(script, want) {
			t.Errorf("script lacks %q:\n%s", want, script)
		}
	}
}
