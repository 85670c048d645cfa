//go:build amd64 && !purego

package kernel

import "golang.org/x/sys/cpu"

// expSIMD selects the AVX2 version of expSlice; tests turn it off to
// compare with expSliceGo.
var expSIMD = cpu.X86.HasAVX2

// expAVX2 sets d[i] = exp(a[i]) four elements at a time, from the start
// of d, and stops before the first group of four that holds an argument
// outside (-707, 693) or a NaN, or when fewer than four are left. It
// returns the number of elements done, a multiple of four, and writes
// nothing beyond them. len(a) must be at least len(d). Above 693 the scale
// by 2^e needs the two steps of expSliceGo, which the assembly leaves to
// it.
//
//go:noescape
func expAVX2(d, a []float64) int
