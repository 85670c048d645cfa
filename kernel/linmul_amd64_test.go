//go:build amd64 && !purego

package kernel

import (
	"math/rand/v2"
	"testing"
)

// TestLinMulAVX2: the fused combinations give the Go loops' bits for
// every length, offset and aliasing of the destination with an operand.
func TestLinMulAVX2(t *testing.T) {
	setSIMD(t, true)
	old := simdMin
	simdMin = 0 // reach the assembly for short vectors too
	defer func() { simdMin = old }()
	g := &simdGen{r: rand.New(rand.NewPCG(4, 5))}
	for n := 1; n <= linMulTerms; n++ {
		vecs := n + 2
		for length := 0; length <= 600; length += 1 + length/40 {
			for off := range 3 {
				for alias := -1; alias < vecs; alias++ {
					run := func(exec execFn) []float64 {
						g.r = rand.New(rand.NewPCG(uint64(length), uint64(off*10+alias+1)))
						f := &frame{n: length, scal: g.fill(make([]float64, n+2))}
						in := newInstr(exec)
						for range vecs + 1 {
							f.slot = append(f.slot, g.fill(make([]float64, length+off))[off:])
						}
						in.d = int32(vecs)
						for i := range vecs {
							in.v[i] = int32(i)
						}
						if alias >= 0 {
							in.d = int32(alias)
						}
						for i := range n + 2 {
							in.s[i] = int32(i)
						}
						exec(f, &in)
						return f.slot[in.d]
					}
					want, got := run(linMulGo[n]), run(linMulExec[n])
					for k := range want {
						if !sameResult(got[k], want[k], false) {
							t.Fatalf("%d terms, length %d, offset %d, alias %d: element %d is %v, want %v",
								n, length, off, alias, k, got[k], want[k])
						}
					}
				}
			}
		}
	}
}

// linMulGo holds the Go loops, before init replaced them.
var linMulGo = [linMulTerms + 1]execFn{nil, execLin1CMul, execLin2CMul, execLin3CMul}
