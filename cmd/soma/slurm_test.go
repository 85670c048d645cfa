package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestSlurm runs the scripts of testdata/slurm against a real one-node
// Slurm cluster (Debian's slurm-wlm and munge) that it starts for the test
// and stops afterwards. Without Slurm, or as a user who cannot start its
// daemons, it skips and says why.
func TestSlurm(t *testing.T) {
	for _, cmd := range []string{"slurmctld", "slurmd", "sbatch", "munged"} {
		if _, err := exec.LookPath(cmd); err != nil {
			if _, err := os.Stat("/usr/sbin/" + cmd); err != nil {
				t.Skipf("Slurm is not installed (no %s): apt-get install slurm-wlm munge", cmd)
			}
		}
	}
	if os.Geteuid() != 0 {
		t.Skip("starting a Slurm cluster needs root")
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	cluster := filepath.Join(wd, "..", "..", "testdata", "slurm", "cluster.sh")
	dir, err := os.MkdirTemp("", "soma-slurm-")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(cluster, "start", dir).CombinedOutput()
	t.Cleanup(func() {
		exec.Command(cluster, "stop", dir).Run()
		os.RemoveAll(dir)
	})
	if err != nil {
		t.Skipf("the Slurm cluster did not start: %v\n%s", err, out)
	}
	conf := filepath.Join(dir, "slurm.conf")
	testscript.Run(t, testscript.Params{
		Dir: "testdata/slurm",
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"waitfor": waitforCmd,
		},
		Setup: func(env *testscript.Env) error {
			env.Setenv("EXAMPLES", wd+"/../../examples")
			env.Setenv("SLURM_CONF", conf)
			env.Setenv("PATH", os.Getenv("PATH")+":/usr/sbin")
			return nil
		},
	})
}

// waitforCmd runs a command again and again until its output matches a
// pattern, or fails after a number of seconds:
//
//	waitfor SECONDS PATTERN PROGRAM [ARGS...]
func waitforCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 3 {
		ts.Fatalf("usage: waitfor SECONDS PATTERN PROGRAM [ARGS...]")
	}
	secs, err := strconv.Atoi(args[0])
	ts.Check(err)
	re, err := regexp.Compile(args[1])
	ts.Check(err)
	deadline := time.Now().Add(time.Duration(secs) * time.Second)
	var last string
	for time.Now().Before(deadline) {
		err := ts.Exec(args[2], args[3:]...)
		last = ts.ReadFile("stdout") + ts.ReadFile("stderr")
		if err == nil && re.MatchString(last) {
			return
		}
		time.Sleep(time.Second)
	}
	ts.Fatalf("after %d s, %s printed:\n%s\nwhich does not match %s", secs, strings.Join(args[2:], " "), last, args[1])
}
