//go:build !mpi

package dist

import "errors"

// MPI is the communicator of the processes started by mpirun. This build
// has none: soma was built without -tags mpi, OpenMPI returns an error
// and the methods panic; they are here so that callers compile in both
// builds.
type MPI struct{}

var errNoMPI = errors.New("soma was built without MPI: build with -tags mpi against OpenMPI (libopenmpi-dev)")

// OpenMPI returns an error: soma was built without MPI.
func OpenMPI() (*MPI, error) { return nil, errNoMPI }

func (m *MPI) Rank() int { panic(errNoMPI) }
func (m *MPI) Size() int { panic(errNoMPI) }

func (m *MPI) AllgatherInt32(send, recv []int32, counts []int) ([]int32, []int) {
	panic(errNoMPI)
}

func (m *MPI) AllgatherFloat64(send, recv []float64, counts []int) ([]float64, []int) {
	panic(errNoMPI)
}

func (m *MPI) MinInt32(v int32) int32 { panic(errNoMPI) }

func (m *MPI) Close() error { panic(errNoMPI) }
