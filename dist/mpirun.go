package dist

import "strconv"

// MpirunArgs returns the arguments of mpirun (OpenMPI) that start np
// ranks on this machine, before the program and its own arguments:
//
//	mpirun --allow-run-as-root --oversubscribe -np 3 ./soma ...
//
// --allow-run-as-root lets it run as root, in a container (OpenMPI
// refuses otherwise; it does nothing for other users), and
// --oversubscribe lets np exceed the cores (OpenMPI refuses more ranks
// than slots otherwise). They are the flags soma's tests use; on a
// cluster, leave --oversubscribe out and give a hostfile instead.
func MpirunArgs(np int) []string {
	return []string{"--allow-run-as-root", "--oversubscribe", "-np", strconv.Itoa(np)}
}
