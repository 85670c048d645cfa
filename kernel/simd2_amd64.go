//go:build amd64 && !purego

package kernel

import "github.com/soma-sim/soma/expr"

// More AVX2 loops, in simd2_amd64.s, under the rules of simd_amd64.go
// (the same bits as the Go loops, chunk boundaries without effect, useSIMD
// and simdMin): the comparisons of binaryExec, which simdVariants lists,
// and the linear combinations with masked coefficients, the chains of
// scalar steps, the selects and the fast exprel, which simd2Variants
// lists.

func init() {
	if haveSIMD {
		installSIMD2()
	}
}

// simd2Kind says which table a variant of simd2Variants replaces an entry
// of, and so which operands it reads.
type simd2Kind uint8

const (
	simd2LinSel    simd2Kind = iota // linSelExec[0][n]
	simd2Chain                      // chainExec[chain]
	simd2SelectVSS                  // selectVSSExec
	simd2Select                     // selectExec
	simd2Exprel                     // functions["exprel"].fast
)

// simd2Variant is a Go exec function and its AVX2 replacement.
type simd2Variant struct {
	name   string
	kind   simd2Kind
	n      int      // linSel: the number of vectors; chains: of steps
	chain  chainKey // chains: the steps
	goExec execFn
	avx2   execFn
}

// simd2Variants lists the replacements, with the Go functions taken from
// the tables before installSIMD2 changes them.
var simd2Variants = func() []simd2Variant {
	vs := []simd2Variant{
		{"LinSel1", simd2LinSel, 1, chainKey{}, linSelExec[0][1], execLinSel1AVX2},
		{"LinSel2", simd2LinSel, 2, chainKey{}, linSelExec[0][2], execLinSel2AVX2},
		{"LinSel3", simd2LinSel, 3, chainKey{}, linSelExec[0][3], execLinSel3AVX2},
		{"LinSel4", simd2LinSel, 4, chainKey{}, linSelExec[0][4], execLinSel4AVX2},
		{"SelectVSS", simd2SelectVSS, 0, chainKey{}, execSelectVSS, execSelectVSSAVX2},
		{"Select", simd2Select, 0, chainKey{}, execSelect, execSelectAVX2},
		{"FastExprel", simd2Exprel, 0, chainKey{}, execFastExprel, execFastExprelAVX2},
	}
	for _, c := range chainAVX2Loops {
		n := 3
		if c.k[2] == opConst {
			n = 2
		}
		name := "Chain"
		for _, o := range c.k[:n] {
			name += map[op]string{opAdd: "Add", opMul: "Mul", opDiv: "Div"}[o]
		}
		goExec := chainExec[c.k]
		vs = append(vs, simd2Variant{name, simd2Chain, n, c.k, goExec, chainAVX2(n, c.asm, goExec)})
	}
	return vs
}()

// installSIMD2 puts the AVX2 loops of simd2Variants in the exec tables.
func installSIMD2() {
	for _, v := range simd2Variants {
		switch v.kind {
		case simd2LinSel:
			linSelExec[0][v.n] = v.avx2
		case simd2Chain:
			chainExec[v.chain] = v.avx2
		case simd2SelectVSS:
			selectVSSExec = v.avx2
		case simd2Select:
			selectExec = v.avx2
		case simd2Exprel:
			functions["exprel"].fast = v.avx2
		}
	}
}

// The assembly loops. Vector operands are at least as long as d.

// linSel1AVX2 and the others compute d = c0 + c1*x1 + ... with ci = ti
// where m is 1 (bit 52 set) and fi where it is 0.
//
//go:noescape
func linSel1AVX2(d, m, x1 []float64, f0, t0, f1, t1 float64)

//go:noescape
func linSel2AVX2(d, m, x1, x2 []float64, f0, t0, f1, t1, f2, t2 float64)

//go:noescape
func linSel3AVX2(d, m, x1, x2, x3 []float64, f0, t0, f1, t1, f2, t2, f3, t3 float64)

//go:noescape
func linSel4AVX2(d, m, x1, x2, x3, x4 []float64, f0, t0, f1, t1, f2, t2, f3, t3, f4, t4 float64)

// selectVSSAVX2 sets d to t where c is 1 (bit 52 set) and e where it is 0.
//
//go:noescape
func selectVSSAVX2(d, c []float64, t, e float64)

// selectVVAVX2 and the others set d to t where c != 0 and e elsewhere.
//
//go:noescape
func selectVVAVX2(d, c, t, e []float64)

//go:noescape
func selectVSAVX2(d, c, t []float64, e float64)

//go:noescape
func selectSVAVX2(d, c []float64, t float64, e []float64)

// exprelDivAVX2 sets d[i] = (d[i] - 1)/a[i] where a[i] is not in
// (-0.5, 0.5), leaving d[i] where it is, and reports whether some a[i] are
// in that interval.
//
//go:noescape
func exprelDivAVX2(d, a []float64) bool

// chainAddAddAVX2 and the others compute d = ((a op s0) op s1) op s2, the
// ops named; the chains of two steps do not read s2.
//
//go:noescape
func chainAddAddAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainAddMulAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainAddDivAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainMulAddAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainMulMulAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainMulDivAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainDivAddAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainDivMulAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainDivDivAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainAddAddAddAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainAddAddMulAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainAddAddDivAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainAddMulAddAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainAddMulMulAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainAddMulDivAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainAddDivAddAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainAddDivMulAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainAddDivDivAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainMulAddAddAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainMulAddMulAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainMulAddDivAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainMulMulAddAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainMulMulMulAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainMulMulDivAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainMulDivAddAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainMulDivMulAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainMulDivDivAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainDivAddAddAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainDivAddMulAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainDivAddDivAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainDivMulAddAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainDivMulMulAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainDivMulDivAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainDivDivAddAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainDivDivMulAVX2(d, a []float64, s0, s1, s2 float64)

//go:noescape
func chainDivDivDivAVX2(d, a []float64, s0, s1, s2 float64)

// chainAVX2Loops are the chains of two and three steps and their loops.
var chainAVX2Loops = []struct {
	k   chainKey
	asm func(d, a []float64, s0, s1, s2 float64)
}{
	{chainKey{opAdd, opAdd, opConst}, chainAddAddAVX2},
	{chainKey{opAdd, opMul, opConst}, chainAddMulAVX2},
	{chainKey{opAdd, opDiv, opConst}, chainAddDivAVX2},
	{chainKey{opMul, opAdd, opConst}, chainMulAddAVX2},
	{chainKey{opMul, opMul, opConst}, chainMulMulAVX2},
	{chainKey{opMul, opDiv, opConst}, chainMulDivAVX2},
	{chainKey{opDiv, opAdd, opConst}, chainDivAddAVX2},
	{chainKey{opDiv, opMul, opConst}, chainDivMulAVX2},
	{chainKey{opDiv, opDiv, opConst}, chainDivDivAVX2},
	{chainKey{opAdd, opAdd, opAdd}, chainAddAddAddAVX2},
	{chainKey{opAdd, opAdd, opMul}, chainAddAddMulAVX2},
	{chainKey{opAdd, opAdd, opDiv}, chainAddAddDivAVX2},
	{chainKey{opAdd, opMul, opAdd}, chainAddMulAddAVX2},
	{chainKey{opAdd, opMul, opMul}, chainAddMulMulAVX2},
	{chainKey{opAdd, opMul, opDiv}, chainAddMulDivAVX2},
	{chainKey{opAdd, opDiv, opAdd}, chainAddDivAddAVX2},
	{chainKey{opAdd, opDiv, opMul}, chainAddDivMulAVX2},
	{chainKey{opAdd, opDiv, opDiv}, chainAddDivDivAVX2},
	{chainKey{opMul, opAdd, opAdd}, chainMulAddAddAVX2},
	{chainKey{opMul, opAdd, opMul}, chainMulAddMulAVX2},
	{chainKey{opMul, opAdd, opDiv}, chainMulAddDivAVX2},
	{chainKey{opMul, opMul, opAdd}, chainMulMulAddAVX2},
	{chainKey{opMul, opMul, opMul}, chainMulMulMulAVX2},
	{chainKey{opMul, opMul, opDiv}, chainMulMulDivAVX2},
	{chainKey{opMul, opDiv, opAdd}, chainMulDivAddAVX2},
	{chainKey{opMul, opDiv, opMul}, chainMulDivMulAVX2},
	{chainKey{opMul, opDiv, opDiv}, chainMulDivDivAVX2},
	{chainKey{opDiv, opAdd, opAdd}, chainDivAddAddAVX2},
	{chainKey{opDiv, opAdd, opMul}, chainDivAddMulAVX2},
	{chainKey{opDiv, opAdd, opDiv}, chainDivAddDivAVX2},
	{chainKey{opDiv, opMul, opAdd}, chainDivMulAddAVX2},
	{chainKey{opDiv, opMul, opMul}, chainDivMulMulAVX2},
	{chainKey{opDiv, opMul, opDiv}, chainDivMulDivAVX2},
	{chainKey{opDiv, opDiv, opAdd}, chainDivDivAddAVX2},
	{chainKey{opDiv, opDiv, opMul}, chainDivDivMulAVX2},
	{chainKey{opDiv, opDiv, opDiv}, chainDivDivDivAVX2},
}

// Comparisons.

//go:noescape
func ltVVAVX2(d, a, b []float64)

//go:noescape
func ltVSAVX2(d, a []float64, s float64)

//go:noescape
func ltSVAVX2(d []float64, s float64, b []float64)

//go:noescape
func leVVAVX2(d, a, b []float64)

//go:noescape
func leVSAVX2(d, a []float64, s float64)

//go:noescape
func leSVAVX2(d []float64, s float64, b []float64)

//go:noescape
func gtVVAVX2(d, a, b []float64)

//go:noescape
func gtVSAVX2(d, a []float64, s float64)

//go:noescape
func gtSVAVX2(d []float64, s float64, b []float64)

//go:noescape
func geVVAVX2(d, a, b []float64)

//go:noescape
func geVSAVX2(d, a []float64, s float64)

//go:noescape
func geSVAVX2(d []float64, s float64, b []float64)

//go:noescape
func eqVVAVX2(d, a, b []float64)

//go:noescape
func eqVSAVX2(d, a []float64, s float64)

//go:noescape
func eqSVAVX2(d []float64, s float64, b []float64)

//go:noescape
func neVVAVX2(d, a, b []float64)

//go:noescape
func neVSAVX2(d, a []float64, s float64)

//go:noescape
func neSVAVX2(d []float64, s float64, b []float64)

func execLtVVAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execLtVV(f, in)
		return
	}
	ltVVAVX2(d, f.slot[in.v[0]][:len(d)], f.slot[in.v[1]][:len(d)])
}

func execLtVSAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execLtVS(f, in)
		return
	}
	ltVSAVX2(d, f.slot[in.v[0]][:len(d)], f.scal[in.s[0]])
}

func execLtSVAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execLtSV(f, in)
		return
	}
	ltSVAVX2(d, f.scal[in.s[0]], f.slot[in.v[0]][:len(d)])
}

func execLeVVAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execLeVV(f, in)
		return
	}
	leVVAVX2(d, f.slot[in.v[0]][:len(d)], f.slot[in.v[1]][:len(d)])
}

func execLeVSAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execLeVS(f, in)
		return
	}
	leVSAVX2(d, f.slot[in.v[0]][:len(d)], f.scal[in.s[0]])
}

func execLeSVAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execLeSV(f, in)
		return
	}
	leSVAVX2(d, f.scal[in.s[0]], f.slot[in.v[0]][:len(d)])
}

func execGtVVAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execGtVV(f, in)
		return
	}
	gtVVAVX2(d, f.slot[in.v[0]][:len(d)], f.slot[in.v[1]][:len(d)])
}

func execGtVSAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execGtVS(f, in)
		return
	}
	gtVSAVX2(d, f.slot[in.v[0]][:len(d)], f.scal[in.s[0]])
}

func execGtSVAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execGtSV(f, in)
		return
	}
	gtSVAVX2(d, f.scal[in.s[0]], f.slot[in.v[0]][:len(d)])
}

func execGeVVAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execGeVV(f, in)
		return
	}
	geVVAVX2(d, f.slot[in.v[0]][:len(d)], f.slot[in.v[1]][:len(d)])
}

func execGeVSAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execGeVS(f, in)
		return
	}
	geVSAVX2(d, f.slot[in.v[0]][:len(d)], f.scal[in.s[0]])
}

func execGeSVAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execGeSV(f, in)
		return
	}
	geSVAVX2(d, f.scal[in.s[0]], f.slot[in.v[0]][:len(d)])
}

func execEqVVAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execEqVV(f, in)
		return
	}
	eqVVAVX2(d, f.slot[in.v[0]][:len(d)], f.slot[in.v[1]][:len(d)])
}

func execEqVSAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execEqVS(f, in)
		return
	}
	eqVSAVX2(d, f.slot[in.v[0]][:len(d)], f.scal[in.s[0]])
}

func execEqSVAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execEqSV(f, in)
		return
	}
	eqSVAVX2(d, f.scal[in.s[0]], f.slot[in.v[0]][:len(d)])
}

func execNeVVAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execNeVV(f, in)
		return
	}
	neVVAVX2(d, f.slot[in.v[0]][:len(d)], f.slot[in.v[1]][:len(d)])
}

func execNeVSAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execNeVS(f, in)
		return
	}
	neVSAVX2(d, f.slot[in.v[0]][:len(d)], f.scal[in.s[0]])
}

func execNeSVAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execNeSV(f, in)
		return
	}
	neSVAVX2(d, f.scal[in.s[0]], f.slot[in.v[0]][:len(d)])
}

// Linear combinations with masked coefficients: v0 is the mask, s[2i]
// and s[2i+1] the coefficients of term i (the constant first) where the
// mask is 0 and 1.

func execLinSel1AVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execLinSel1(f, in)
		return
	}
	s := func(i int) float64 { return f.scal[in.s[i]] }
	linSel1AVX2(d, f.slot[in.v[0]][:len(d)], f.slot[in.v[1]][:len(d)], s(0), s(1), s(2), s(3))
}

func execLinSel2AVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execLinSel2(f, in)
		return
	}
	s := func(i int) float64 { return f.scal[in.s[i]] }
	linSel2AVX2(d, f.slot[in.v[0]][:len(d)], f.slot[in.v[1]][:len(d)], f.slot[in.v[2]][:len(d)],
		s(0), s(1), s(2), s(3), s(4), s(5))
}

func execLinSel3AVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execLinSel3(f, in)
		return
	}
	s := func(i int) float64 { return f.scal[in.s[i]] }
	linSel3AVX2(d, f.slot[in.v[0]][:len(d)], f.slot[in.v[1]][:len(d)], f.slot[in.v[2]][:len(d)],
		f.slot[in.v[3]][:len(d)], s(0), s(1), s(2), s(3), s(4), s(5), s(6), s(7))
}

func execLinSel4AVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execLinSel4(f, in)
		return
	}
	s := func(i int) float64 { return f.scal[in.s[i]] }
	linSel4AVX2(d, f.slot[in.v[0]][:len(d)], f.slot[in.v[1]][:len(d)], f.slot[in.v[2]][:len(d)],
		f.slot[in.v[3]][:len(d)], f.slot[in.v[4]][:len(d)], s(0), s(1), s(2), s(3), s(4), s(5), s(6), s(7), s(8), s(9))
}

// chainAVX2 replaces goExec, a chain of n steps, with the loop asm.
func chainAVX2(n int, asm func(d, a []float64, s0, s1, s2 float64), goExec execFn) execFn {
	return func(f *frame, in *instr) {
		d := f.slot[in.d]
		if !useSIMD || len(d) < simdMin {
			goExec(f, in)
			return
		}
		var s2 float64
		if n == 3 {
			s2 = f.scal[in.s[2]]
		}
		asm(d, f.slot[in.v[0]][:len(d)], f.scal[in.s[0]], f.scal[in.s[1]], s2)
	}
}

// Selects.

func execSelectVSSAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execSelectVSS(f, in)
		return
	}
	selectVSSAVX2(d, f.slot[in.v[0]][:len(d)], f.scal[in.s[1]], f.scal[in.s[2]])
}

func execSelectAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execSelect(f, in)
		return
	}
	c := f.slot[in.v[0]][:len(d)]
	switch tv, ev := in.v[1] >= 0, in.v[2] >= 0; {
	case tv && ev:
		selectVVAVX2(d, c, f.slot[in.v[1]][:len(d)], f.slot[in.v[2]][:len(d)])
	case tv:
		selectVSAVX2(d, c, f.slot[in.v[1]][:len(d)], f.scal[in.s[2]])
	case ev:
		selectSVAVX2(d, c, f.scal[in.s[1]], f.slot[in.v[2]][:len(d)])
	default:
		execSelect(f, in)
	}
}

// execFastExprelAVX2 is execFastExprel with the division in assembly:
// the same exponentials, divisions and expr.Exprel near 0. It repeats
// execFastExprel rather than calling a hook in it so that buf stays on the
// stack: a call through a function value would move it to the heap.
func execFastExprelAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	a := f.slot[in.v[0]][:len(d)]
	if !useSIMD || len(d) < simdMin || len(d) > chunk {
		execFastExprel(f, in)
		return
	}
	if len(d) > 0 && &d[0] == &a[0] {
		// In place: keep the arguments, exp(x) overwrites them.
		var buf [chunk]float64
		a = buf[:copy(buf[:], a)]
	}
	expSlice(d, a)
	if !exprelDivAVX2(d, a) {
		return
	}
	for i, x := range a {
		if x > -0.5 && x < 0.5 {
			d[i] = expr.Exprel(x)
		}
	}
}
