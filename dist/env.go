package dist

import "os"

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
