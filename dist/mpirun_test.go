//go:build mpi

package dist_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/soma-sim/soma/dist"
)

// TestMpirunGivesIdenticalFiles builds soma with MPI and runs Brunel
// (delays, PoissonInput) and an STDP network (saved and recorded weights)
// under 'mpirun -np 1, 2 and 4': rank 0 must write the same files as
// soma run in one process, byte for byte (the summary up to its wall
// time), which is stronger than equal sorted spike tables.
func TestMpirunGivesIdenticalFiles(t *testing.T) {
	mpirun, err := exec.LookPath("mpirun")
	if err != nil {
		t.Skip("mpirun is not on PATH: install OpenMPI (openmpi-bin) to run soma under mpirun")
	}
	if dist.InMPI() {
		t.Skip("already under mpirun: this test starts mpirun itself")
	}
	bin := filepath.Join(t.TempDir(), "soma")
	build := exec.Command("go", "build", "-tags", "mpi", "-o", bin, "github.com/soma-sim/soma/cmd/soma")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -tags mpi: %v\n%s", err, out)
	}
	cases := []struct {
		name string
		file string
		sets []string
	}{
		{"brunel", "../examples/brunel/brunel.yaml", []string{"duration=0.1*second"}},
		{"stdp", "testdata/stdp.yaml", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := []string{"run", c.file, "--no-store", "--quiet", "--threads", "1"}
			for _, s := range c.sets {
				args = append(args, "--set", s)
			}
			ref := filepath.Join(t.TempDir(), "one")
			runCommand(t, bin, append(args, "--out", ref)...)
			for _, np := range []int{1, 2, 4} {
				out := filepath.Join(t.TempDir(), "np"+strconv.Itoa(np))
				runCommand(t, mpirun, append(append(dist.MpirunArgs(np), bin), append(args, "--out", out)...)...)
				sameOutputs(t, ref, out, np)
			}
		})
	}
}

func runCommand(t *testing.T, name string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = os.Environ()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}
