// Package dist spreads one network over several processes (ranks): the
// communicators that soma.Network.Distribute works with — Local, between
// goroutines of one process, for tests and for trying a partition, and
// MPI, over OpenMPI when soma is built with -tags mpi — and RunModel,
// which runs a model file on one rank of them.
package dist
