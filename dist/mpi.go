//go:build mpi

package dist

/*
#cgo pkg-config: ompi-c
#include <stdint.h>
#include <mpi.h>

// OpenMPI's MPI_COMM_WORLD, MPI_INT, ... are macros over addresses, which
// cgo cannot name: these wrappers hold them.

static int soma_mpi_state(int *initialized, int *finalized) {
	int rc = MPI_Initialized(initialized);
	if (rc != MPI_SUCCESS) return rc;
	return MPI_Finalized(finalized);
}

static int soma_mpi_init(int required, int *provided) {
	return MPI_Init_thread(NULL, NULL, required, provided);
}

static int soma_mpi_rank_size(int *rank, int *size) {
	int rc = MPI_Comm_rank(MPI_COMM_WORLD, rank);
	if (rc != MPI_SUCCESS) return rc;
	return MPI_Comm_size(MPI_COMM_WORLD, size);
}

static int soma_mpi_allgather_count(int n, int *counts) {
	return MPI_Allgather(&n, 1, MPI_INT, counts, 1, MPI_INT, MPI_COMM_WORLD);
}

// soma_mpi_dummy stands for the buffers of zero-length slices, which have
// no address in Go: nothing is read from it or written to it.
static double soma_mpi_dummy[1];

// kind 0 is int32, 1 is float64.
static int soma_mpi_allgatherv(int kind, void *send, int n, void *recv, int *counts, int *displs) {
	MPI_Datatype t = kind == 0 ? MPI_INT32_T : MPI_DOUBLE;
	if (send == NULL) send = soma_mpi_dummy;
	if (recv == NULL) recv = soma_mpi_dummy;
	return MPI_Allgatherv(send, n, t, recv, counts, displs, t, MPI_COMM_WORLD);
}

static int soma_mpi_min_int32(int32_t v, int32_t *out) {
	return MPI_Allreduce(&v, out, 1, MPI_INT32_T, MPI_MIN, MPI_COMM_WORLD);
}

static int soma_mpi_error_string(int code, char *buf, int *len) {
	return MPI_Error_string(code, buf, len);
}

static int soma_mpi_finalize(void) { return MPI_Finalize(); }
*/
import "C"

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"unsafe"
)

// MPI is the communicator of the processes started by mpirun
// (MPI_COMM_WORLD). It is not safe for concurrent use: one goroutine
// makes all the calls, and where MPI gave less than MPI_THREAD_SERIALIZED
// (see OpenMPI) it must be the goroutine that called OpenMPI.
type MPI struct {
	rank, size int
	// locked: OpenMPI locked the calling goroutine to its OS thread.
	locked bool
	closed bool
	// counts and displs are the per-rank element counts and offsets given
	// to MPI_Allgatherv, kept between calls: Go memory without Go
	// pointers, which C may be given.
	counts, displs []C.int
}

// OpenMPI initialises MPI and returns the world communicator. It can be
// called once per process, and Close must be called before the process
// exits (mpirun reports a rank that exits without it as failed).
//
// It asks for MPI_THREAD_SERIALIZED, under which any OS thread may make
// the calls, one at a time. When MPI gives only MPI_THREAD_FUNNELED (or
// less), OpenMPI leaves the calling goroutine locked to its OS thread
// (runtime.LockOSThread), the one MPI was initialised on, until Close,
// and that goroutine must make every call on the communicator.
func OpenMPI() (*MPI, error) {
	var initialized, finalized C.int
	if rc := C.soma_mpi_state(&initialized, &finalized); rc != C.MPI_SUCCESS {
		return nil, mpiError("MPI_Initialized", rc)
	}
	if finalized != 0 {
		return nil, errors.New("dist: MPI was finalised and cannot be initialised again")
	}
	if initialized != 0 {
		return nil, errors.New("dist: MPI is initialised already (OpenMPI is called once per process)")
	}
	runtime.LockOSThread()
	var provided C.int
	if rc := C.soma_mpi_init(C.MPI_THREAD_SERIALIZED, &provided); rc != C.MPI_SUCCESS {
		runtime.UnlockOSThread()
		return nil, mpiError("MPI_Init_thread", rc)
	}
	m := &MPI{locked: true}
	if provided >= C.MPI_THREAD_SERIALIZED {
		runtime.UnlockOSThread()
		m.locked = false
	}
	var rank, size C.int
	if rc := C.soma_mpi_rank_size(&rank, &size); rc != C.MPI_SUCCESS {
		panic(mpiError("MPI_Comm_rank/MPI_Comm_size", rc))
	}
	m.rank, m.size = int(rank), int(size)
	m.counts = make([]C.int, m.size)
	m.displs = make([]C.int, m.size)
	return m, nil
}

// Rank is the rank of this process, 0..Size()-1.
func (m *MPI) Rank() int { return m.rank }

// Size is the number of ranks.
func (m *MPI) Size() int { return m.size }

// AllgatherInt32 sends this rank's send and returns the concatenation, in
// rank order, of every rank's send, and how many elements each rank sent.
// recv and counts are buffers it reuses, grown when too small; the result
// must not overlap send. Every rank must call it, in the same order as
// the other collectives.
func (m *MPI) AllgatherInt32(send, recv []int32, counts []int) ([]int32, []int) {
	return allgatherv(m, 0, send, recv, counts)
}

// AllgatherFloat64 is AllgatherInt32 for float64 values.
func (m *MPI) AllgatherFloat64(send, recv []float64, counts []int) ([]float64, []int) {
	return allgatherv(m, 1, send, recv, counts)
}

// MinInt32 returns the smallest of every rank's v (MPI_Allreduce with
// MPI_MIN). Every rank must call it, in the same order as the other
// collectives.
func (m *MPI) MinInt32(v int32) int32 {
	if m.closed {
		panic("dist: MPI collective after Close")
	}
	var out C.int32_t
	if rc := C.soma_mpi_min_int32(C.int32_t(v), &out); rc != C.MPI_SUCCESS {
		panic(mpiError("MPI_Allreduce", rc))
	}
	return int32(out)
}

// allgatherv gathers the counts (MPI_Allgather), then the elements
// (MPI_Allgatherv at the offsets of the counts). kind is the C side's
// datatype: 0 for int32, 1 for float64.
func allgatherv[T int32 | float64](m *MPI, kind C.int, send, recv []T, counts []int) ([]T, []int) {
	if m.closed {
		panic("dist: MPI collective after Close")
	}
	if len(send) > math.MaxInt32 {
		panic(fmt.Sprintf("dist: MPI allgather of %d elements: more than MPI's int count", len(send)))
	}
	if rc := C.soma_mpi_allgather_count(C.int(len(send)), &m.counts[0]); rc != C.MPI_SUCCESS {
		panic(mpiError("MPI_Allgather", rc))
	}
	if cap(counts) < m.size {
		counts = make([]int, m.size)
	}
	counts = counts[:m.size]
	total := 0
	for r, c := range m.counts {
		m.displs[r] = C.int(total) // wraps only where total ends past MaxInt32
		counts[r] = int(c)
		total += int(c)
	}
	if total > math.MaxInt32 {
		panic(fmt.Sprintf("dist: MPI allgather of more than %d elements in all: past MPI's int offsets", math.MaxInt32))
	}
	if cap(recv) < total {
		recv = make([]T, total)
	}
	recv = recv[:total]
	if overlap(send, recv) {
		// MPI forbids send and receive buffers that overlap.
		send = append([]T(nil), send...)
	}
	var sp, rp unsafe.Pointer
	if len(send) > 0 {
		sp = unsafe.Pointer(&send[0])
	}
	if total > 0 {
		rp = unsafe.Pointer(&recv[0])
	}
	if rc := C.soma_mpi_allgatherv(kind, sp, C.int(len(send)), rp, &m.counts[0], &m.displs[0]); rc != C.MPI_SUCCESS {
		panic(mpiError("MPI_Allgatherv", rc))
	}
	runtime.KeepAlive(send)
	return recv, counts
}

// overlap reports whether a and b share memory.
func overlap[T any](a, b []T) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	size := unsafe.Sizeof(a[0])
	a0, b0 := uintptr(unsafe.Pointer(&a[0])), uintptr(unsafe.Pointer(&b[0]))
	return a0 < b0+uintptr(len(b))*size && b0 < a0+uintptr(len(a))*size
}

// Close finalises MPI (MPI_Finalize): every rank calls it, after its last
// collective. MPI cannot be initialised again in this process.
func (m *MPI) Close() error {
	if m.closed {
		return nil
	}
	m.closed = true
	rc := C.soma_mpi_finalize()
	if m.locked {
		runtime.UnlockOSThread()
		m.locked = false
	}
	if rc != C.MPI_SUCCESS {
		return mpiError("MPI_Finalize", rc)
	}
	return nil
}

// mpiError names the MPI call that failed and MPI's message for its code.
func mpiError(call string, rc C.int) error {
	buf := make([]C.char, C.MPI_MAX_ERROR_STRING)
	var n C.int
	if C.soma_mpi_error_string(rc, &buf[0], &n) != C.MPI_SUCCESS || n <= 0 {
		return fmt.Errorf("dist: %s failed: MPI error %d", call, int(rc))
	}
	return fmt.Errorf("dist: %s failed: %s", call, C.GoStringN(&buf[0], n))
}
