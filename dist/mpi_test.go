//go:build mpi

package dist

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// mpiTestRanks is how many ranks TestMPIAllgather starts under mpirun.
const mpiTestRanks = 3

// mpiChildEnv marks the test binary that TestMPIAllgather started under
// mpirun, so that it never starts mpirun again.
const mpiChildEnv = "SOMA_DIST_MPI_TEST_CHILD"

// TestMPIAllgather runs itself on mpiTestRanks ranks under mpirun, when
// not started by mpirun, and checks the collectives there.
func TestMPIAllgather(t *testing.T) {
	if !InMPI() {
		if os.Getenv(mpiChildEnv) != "" {
			t.Fatal("started under mpirun, but InMPI is false: none of OMPI_COMM_WORLD_SIZE, PMI_SIZE, PMIX_RANK is set")
		}
		runUnderMpirun(t, mpiTestRanks)
		return
	}
	m, err := OpenMPI()
	if err != nil {
		t.Fatal(err)
	}
	done := false
	defer func() {
		if !done {
			// A t.Fatal or panic before the last collective: MPI_Finalize
			// would wait for the other ranks, which wait in a collective
			// for this one; exiting now makes mpirun end them all.
			os.Exit(1)
		}
		if err := m.Close(); err != nil {
			t.Error(err)
		}
	}()
	// From here, no t.Fatal: every rank must make the same collectives,
	// or the others wait for it.
	testAllgathers(t, m)
	done = true
}

// runUnderMpirun runs this test in np ranks under mpirun and fails unless
// every rank passes.
func runUnderMpirun(t *testing.T, np int) {
	mpirun, err := exec.LookPath("mpirun")
	if err != nil {
		t.Skip("mpirun is not on PATH: install OpenMPI (openmpi-bin) to run the MPI test")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	args := append(MpirunArgs(np), os.Args[0], "-test.run", "^TestMPIAllgather$", "-test.v", "-test.count=1", "-test.timeout=90s")
	cmd := exec.CommandContext(ctx, mpirun, args...)
	cmd.Env = append(os.Environ(), mpiChildEnv+"=1")
	out, err := cmd.CombinedOutput()
	t.Logf("mpirun %s\n%s", strings.Join(args, " "), out)
	if err != nil {
		t.Fatalf("mpirun: %v", err)
	}
	if n := strings.Count(string(out), "--- PASS: TestMPIAllgather"); n != np {
		t.Fatalf("%d of %d ranks passed", n, np)
	}
}

// testAllgathers gathers, in several rounds, int32 and float64 values of
// rank-dependent sizes, reusing the buffers, and checks each rank's part.
func testAllgathers(t *testing.T, m *MPI) {
	size, rank := m.Size(), m.Rank()
	if size != mpiTestRanks {
		t.Errorf("size %d, want %d", size, mpiTestRanks)
	}
	if rank < 0 || rank >= size {
		t.Errorf("rank %d of %d", rank, size)
	}
	// n is how many elements rank r sends in round i.
	n := func(i, r int) int {
		switch i % 5 {
		case 0:
			return r + 1
		case 1: // rank 1 sends none
			if r == 1 {
				return 0
			}
			return r + 1
		case 2: // nobody sends
			return 0
		case 3: // grows the buffers
			return 1000 * (r + 1)
		default: // rank 0 sends none
			if r == 0 {
				return 0
			}
			return 3*r + 2
		}
	}
	var (
		ri []int32
		rf []float64
		ci []int
		cf []int
	)
	for i := range 15 {
		si := make([]int32, n(i, rank))
		sf := make([]float64, n(i, rank))
		for k := range si {
			si[k] = int32(100*rank + k)
			sf[k] = float64(100*rank+k) + 0.5
		}
		want := 0
		for r := range size {
			want += n(i, r)
		}
		prevI, prevF := ri, rf
		ri, ci = m.AllgatherInt32(si, ri, ci)
		rf, cf = m.AllgatherFloat64(sf, rf, cf)
		if cap(prevI) >= want && unsafe.SliceData(ri) != unsafe.SliceData(prevI) ||
			cap(prevF) >= want && unsafe.SliceData(rf) != unsafe.SliceData(prevF) {
			t.Errorf("round %d: recv reallocated though it had room for %d", i, want)
		}
		if len(ri) != want || len(rf) != want || len(ci) != size || len(cf) != size {
			t.Errorf("round %d: got %d int32 and %d float64 in %d and %d counts, want %d in %d",
				i, len(ri), len(rf), len(ci), len(cf), want, size)
			continue
		}
		off := 0
		for r := range size {
			if ci[r] != n(i, r) || cf[r] != n(i, r) {
				t.Errorf("round %d: rank %d sent %d int32 and %d float64, want %d", i, r, ci[r], cf[r], n(i, r))
			}
			for k := range n(i, r) {
				if ri[off+k] != int32(100*r+k) {
					t.Errorf("round %d: rank %d's int32 %d is %d, want %d", i, r, k, ri[off+k], 100*r+k)
				}
				if rf[off+k] != float64(100*r+k)+0.5 {
					t.Errorf("round %d: rank %d's float64 %d is %g, want %g", i, r, k, rf[off+k], float64(100*r+k)+0.5)
				}
			}
			off += n(i, r)
		}
	}
	// With buffers large enough, a call allocates nothing. AllocsPerRun
	// makes the same number of calls on every rank.
	si := []int32{int32(rank)}
	sf := []float64{float64(rank)}
	allocs := testing.AllocsPerRun(20, func() {
		ri, ci = m.AllgatherInt32(si, ri, ci)
		rf, cf = m.AllgatherFloat64(sf, rf, cf)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per pair of calls with reused buffers, want 0", allocs)
	}
	for r := range size {
		if ri[r] != int32(r) || rf[r] != float64(r) || ci[r] != 1 || cf[r] != 1 {
			t.Errorf("one element each: got %v %v counts %v %v", ri, rf, ci, cf)
			break
		}
	}
	t.Logf("rank %d of %d: collectives ok", rank, size)
}
