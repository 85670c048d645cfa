//go:build amd64 && !purego

package kernel

// AVX2 loops for the fused combinations of fuse.go (simd_amd64.s), under
// the rules of simd_amd64.go: the same bits as the Go loops.

func init() {
	if haveSIMD {
		linMulExec[1], linMulExec[2], linMulExec[3] = execLin1CMulAVX2, execLin2CMulAVX2, execLin3CMulAVX2
	}
}

//go:noescape
func linear1cMulAVX2(d, x1, p, q []float64, c0, c1, cp float64)

//go:noescape
func linear2cMulAVX2(d, x1, x2, p, q []float64, c0, c1, c2, cp float64)

//go:noescape
func linear3cMulAVX2(d, x1, x2, x3, p, q []float64, c0, c1, c2, c3, cp float64)

func execLin1CMulAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execLin1CMul(f, in)
		return
	}
	linear1cMulAVX2(d, f.slot[in.v[0]][:len(d)], f.slot[in.v[1]][:len(d)], f.slot[in.v[2]][:len(d)],
		f.scal[in.s[0]], f.scal[in.s[1]], f.scal[in.s[2]])
}

func execLin2CMulAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execLin2CMul(f, in)
		return
	}
	linear2cMulAVX2(d, f.slot[in.v[0]][:len(d)], f.slot[in.v[1]][:len(d)], f.slot[in.v[2]][:len(d)],
		f.slot[in.v[3]][:len(d)], f.scal[in.s[0]], f.scal[in.s[1]], f.scal[in.s[2]], f.scal[in.s[3]])
}

func execLin3CMulAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execLin3CMul(f, in)
		return
	}
	linear3cMulAVX2(d, f.slot[in.v[0]][:len(d)], f.slot[in.v[1]][:len(d)], f.slot[in.v[2]][:len(d)],
		f.slot[in.v[3]][:len(d)], f.slot[in.v[4]][:len(d)],
		f.scal[in.s[0]], f.scal[in.s[1]], f.scal[in.s[2]], f.scal[in.s[3]], f.scal[in.s[4]])
}
