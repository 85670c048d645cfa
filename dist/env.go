package dist

import (
	"os"
	"strconv"
)

// InMPI reports whether this process was started by mpirun (or another
// MPI launcher): whether OMPI_COMM_WORLD_SIZE, PMI_SIZE or PMIX_RANK is
// set. It does not tell whether soma was built with MPI; OpenMPI does.
func InMPI() bool {
	for _, k := range []string{"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"} {
		if _, ok := os.LookupEnv(k); ok {
			return true
		}
	}
	return false
}

// LaunchedSize returns the number of processes the MPI launcher says it
// started (OMPI_COMM_WORLD_SIZE or PMI_SIZE), without MPI; ok is false
// when neither says.
func LaunchedSize() (n int, ok bool) {
	for _, k := range []string{"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"} {
		if n, err := strconv.Atoi(os.Getenv(k)); err == nil {
			return n, true
		}
	}
	return 0, false
}
