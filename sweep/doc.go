// Package sweep explores a model's parameters: grids, random draws and
// seeds of constants (Plan and Point), run on a pool of workers that build
// a model once and run it again for every point that changes nothing
// building used (RunModel), or for networks written in Go, on any function
// that builds and runs a network from a point (Run). Evolve searches
// constants that minimise a score with CMA-ES.
package sweep
