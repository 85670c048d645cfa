package main

import (
	"fmt"

	"github.com/soma-sim/soma/dist"
)

// ranks is this process's place in a run over several processes started
// by mpirun: one network split over the ranks (see dist.RunModel), with
// rank 0 writing the results, the record and the summary. Outside
// mpirun, or under mpirun with one process, it is the one rank there is
// and comm is nil.
type ranks struct {
	comm *dist.MPI
}

// openRanks joins the processes mpirun started. A soma built without
// MPI runs as usual under 'mpirun -np 1' and refuses more processes:
// each would run the whole network and write the same files.
func openRanks() (*ranks, error) {
	if !dist.InMPI() {
		return &ranks{}, nil
	}
	c, err := dist.OpenMPI()
	if err != nil {
		if n, ok := dist.LaunchedSize(); ok && n == 1 {
			return &ranks{}, nil
		}
		return nil, fmt.Errorf("started by an MPI launcher (mpirun, srun), but %w", err)
	}
	return &ranks{comm: c}, nil
}

// distributed reports whether the run is split over several ranks.
func (r *ranks) distributed() bool { return r.comm != nil && r.comm.Size() > 1 }

// root reports whether this process writes the results.
func (r *ranks) root() bool { return r.comm == nil || r.comm.Rank() == 0 }

// wrap names the rank an error came from, where there are several.
func (r *ranks) wrap(err error) error {
	if err == nil || !r.distributed() {
		return err
	}
	return fmt.Errorf("rank %d of %d: %w", r.comm.Rank(), r.comm.Size(), err)
}

// close finalises MPI after a run that went well on this rank. After an
// error it is not called: the process exits without finalising, and
// mpirun stops the other ranks instead of leaving them waiting in a
// collective.
func (r *ranks) close() error {
	if r.comm == nil {
		return nil
	}
	return r.comm.Close()
}
