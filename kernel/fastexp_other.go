//go:build !amd64 || purego

package kernel

// expSIMD is never set without the amd64 assembly.
var expSIMD = false

// expAVX2 does nothing here: it leaves every element to expSliceGo.
func expAVX2(d, a []float64) int { return 0 }
