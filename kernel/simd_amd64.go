//go:build amd64 && !purego

package kernel

import (
	"math"
	"math/bits"
	"slices"

	"golang.org/x/sys/cpu"
)

// The hottest float64 loops of ops_gen.go have AVX2 versions in
// simd_amd64.s: the binary arithmetic operators, the comparisons giving
// 0 or 1, the linear combinations and the threshold comparisons of
// conditions. init installs them in the exec tables when the CPU has AVX2.
//
// They give the same bits as the Go loops for every input: each element
// goes through the same IEEE operations in the same order (a product and
// a sum are never fused), and the elements past the last full vector are
// computed one by one with the same operations, so the chunk boundaries
// (and so the number of threads) do not change the results. The one thing
// that can differ is which payload a NaN result carries when two operands
// are NaNs with different payloads: the x86 rule picks the first operand,
// and the Go compiler orders commutative operands as its register
// allocation suits, differently even between the unrolled elements of one
// Go loop. Collected indices come out in the same order as from the Go
// loops.

// haveSIMD reports whether the CPU can run the AVX2 loops.
var haveSIMD = cpu.X86.HasAVX2

// useSIMD switches the installed AVX2 loops on. Tests turn it off to
// compare with the Go loops: the installed functions then call those.
var useSIMD = haveSIMD

// simdMin is the shortest vector handed to the assembly; shorter ones
// (the prologue's single cells, sequential kernels) are not worth a call.
// Tests lower it to reach the assembly's short cases.
var simdMin = 4

func init() {
	if haveSIMD {
		installSIMD()
	}
}

// simdVariant is a Go exec function and its AVX2 replacement.
type simdVariant struct {
	name   string
	form   simdForm
	goExec execFn
	avx2   execFn
}

// simdForm says which table a variant replaces an entry of, and so which
// operands it reads.
type simdForm struct {
	kind simdKind
	op   op    // binaryExec and collects: the operator
	sh   shape // binaryExec and collectExec: the shape
	n    int   // linExec: the number of vectors
	hasC bool  // linExec: with a constant term
}

type simdKind uint8

const (
	simdBinary      simdKind = iota // binaryExec
	simdLin                         // linExec[0]
	simdCollect                     // collectExec, shapes VS and SV
	simdCollectMask                 // collectMaskExec
	simdCollectBool                 // collectBoolExec
)

// simdVariants lists every replacement, with the Go functions taken from
// the tables before installSIMD changes them.
var simdVariants = func() []simdVariant {
	bin := func(name string, o op, sh shape, avx2 execFn) simdVariant {
		return simdVariant{name, simdForm{kind: simdBinary, op: o, sh: sh}, binaryExec[binKey{o, sh}], avx2}
	}
	lin := func(name string, n int, hasC bool, avx2 execFn) simdVariant {
		return simdVariant{name, simdForm{kind: simdLin, n: n, hasC: hasC}, linExec[0][n][b2i(hasC)], avx2}
	}
	vs := []simdVariant{
		bin("AddVV", opAdd, shapeVV, execAddVVAVX2),
		bin("SubVV", opSub, shapeVV, execSubVVAVX2),
		bin("MulVV", opMul, shapeVV, execMulVVAVX2),
		bin("DivVV", opDiv, shapeVV, execDivVVAVX2),
		bin("AddVS", opAdd, shapeVS, execAddVSAVX2),
		bin("SubVS", opSub, shapeVS, execSubVSAVX2),
		bin("MulVS", opMul, shapeVS, execMulVSAVX2),
		bin("DivVS", opDiv, shapeVS, execDivVSAVX2),
		bin("AddSV", opAdd, shapeSV, execAddSVAVX2),
		bin("SubSV", opSub, shapeSV, execSubSVAVX2),
		bin("MulSV", opMul, shapeSV, execMulSVAVX2),
		bin("DivSV", opDiv, shapeSV, execDivSVAVX2),
		lin("Lin1", 1, false, execLin1AVX2),
		lin("Lin1C", 1, true, execLin1CAVX2),
		lin("Lin2", 2, false, execLin2AVX2),
		lin("Lin2C", 2, true, execLin2CAVX2),
		lin("Lin3", 3, false, execLin3AVX2),
		lin("Lin3C", 3, true, execLin3CAVX2),
		lin("Lin4", 4, false, execLin4AVX2),
		lin("Lin4C", 4, true, execLin4CAVX2),
		bin("LtVV", opLt, shapeVV, execLtVVAVX2),
		bin("LtVS", opLt, shapeVS, execLtVSAVX2),
		bin("LtSV", opLt, shapeSV, execLtSVAVX2),
		bin("LeVV", opLe, shapeVV, execLeVVAVX2),
		bin("LeVS", opLe, shapeVS, execLeVSAVX2),
		bin("LeSV", opLe, shapeSV, execLeSVAVX2),
		bin("GtVV", opGt, shapeVV, execGtVVAVX2),
		bin("GtVS", opGt, shapeVS, execGtVSAVX2),
		bin("GtSV", opGt, shapeSV, execGtSVAVX2),
		bin("GeVV", opGe, shapeVV, execGeVVAVX2),
		bin("GeVS", opGe, shapeVS, execGeVSAVX2),
		bin("GeSV", opGe, shapeSV, execGeSVAVX2),
		bin("EqVV", opEq, shapeVV, execEqVVAVX2),
		bin("EqVS", opEq, shapeVS, execEqVSAVX2),
		bin("EqSV", opEq, shapeSV, execEqSVAVX2),
		bin("NeVV", opNe, shapeVV, execNeVVAVX2),
		bin("NeVS", opNe, shapeVS, execNeVSAVX2),
		bin("NeSV", opNe, shapeSV, execNeSVAVX2),
	}
	for _, c := range []op{opLt, opLe, opGt, opGe, opEq, opNe} {
		name := "Collect" + [...]string{opLt: "Lt", opLe: "Le", opGt: "Gt", opGe: "Ge", opEq: "Eq", opNe: "Ne"}[c]
		vsExec, svExec := collectExec[binKey{c, shapeVS}], collectExec[binKey{c, shapeSV}]
		maskExec, boolExec := collectMaskExec[c], collectBoolExec[c]
		vs = append(vs,
			simdVariant{name + "VS", simdForm{kind: simdCollect, op: c, sh: shapeVS}, vsExec, collectVSAVX2(c, vsExec)},
			simdVariant{name + "SV", simdForm{kind: simdCollect, op: c, sh: shapeSV}, svExec, collectSVAVX2(c, svExec)},
			simdVariant{name + "VSMask", simdForm{kind: simdCollectMask, op: c}, maskExec, collectMaskAVX2(c, maskExec)},
			simdVariant{name + "VSBool", simdForm{kind: simdCollectBool, op: c}, boolExec, collectBoolAVX2(c, boolExec)},
		)
	}
	return vs
}()

// installSIMD puts the AVX2 loops in the exec tables.
func installSIMD() {
	for _, v := range simdVariants {
		f := v.form
		switch f.kind {
		case simdBinary:
			binaryExec[binKey{f.op, f.sh}] = v.avx2
		case simdLin:
			linExec[0][f.n][b2i(f.hasC)] = v.avx2
		case simdCollect:
			collectExec[binKey{f.op, f.sh}] = v.avx2
		case simdCollectMask:
			collectMaskExec[f.op] = v.avx2
		case simdCollectBool:
			collectBoolExec[f.op] = v.avx2
		}
	}
}

// The assembly loops. Vector operands are at least as long as d (or a).

//go:noescape
func addVVAVX2(d, a, b []float64)

//go:noescape
func subVVAVX2(d, a, b []float64)

//go:noescape
func mulVVAVX2(d, a, b []float64)

//go:noescape
func divVVAVX2(d, a, b []float64)

//go:noescape
func addVSAVX2(d, a []float64, s float64)

//go:noescape
func subVSAVX2(d, a []float64, s float64)

//go:noescape
func mulVSAVX2(d, a []float64, s float64)

//go:noescape
func divVSAVX2(d, a []float64, s float64)

//go:noescape
func addSVAVX2(d []float64, s float64, b []float64)

//go:noescape
func subSVAVX2(d []float64, s float64, b []float64)

//go:noescape
func mulSVAVX2(d []float64, s float64, b []float64)

//go:noescape
func divSVAVX2(d []float64, s float64, b []float64)

//go:noescape
func linear1AVX2(d, x1 []float64, c1 float64)

//go:noescape
func linear1cAVX2(d, x1 []float64, c0, c1 float64)

//go:noescape
func linear2AVX2(d, x1, x2 []float64, c1, c2 float64)

//go:noescape
func linear2cAVX2(d, x1, x2 []float64, c0, c1, c2 float64)

//go:noescape
func linear3AVX2(d, x1, x2, x3 []float64, c1, c2, c3 float64)

//go:noescape
func linear3cAVX2(d, x1, x2, x3 []float64, c0, c1, c2, c3 float64)

//go:noescape
func linear4AVX2(d, x1, x2, x3, x4 []float64, c1, c2, c3, c4 float64)

//go:noescape
func linear4cAVX2(d, x1, x2, x3, x4 []float64, c0, c1, c2, c3, c4 float64)

// cmpLtMaskAVX2 and the others set bit k%64 of m[k/64] where a[k] < s
// (<=, >, >=, ==, !=) and clear it elsewhere; m must hold
// (len(a)+63)/64 words.
//
//go:noescape
func cmpLtMaskAVX2(m []uint64, a []float64, s float64)

//go:noescape
func cmpLeMaskAVX2(m []uint64, a []float64, s float64)

//go:noescape
func cmpGtMaskAVX2(m []uint64, a []float64, s float64)

//go:noescape
func cmpGeMaskAVX2(m []uint64, a []float64, s float64)

//go:noescape
func cmpEqMaskAVX2(m []uint64, a []float64, s float64)

//go:noescape
func cmpNeMaskAVX2(m []uint64, a []float64, s float64)

// Binary operators.

func execAddVVAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execAddVV(f, in)
		return
	}
	addVVAVX2(d, f.slot[in.v[0]][:len(d)], f.slot[in.v[1]][:len(d)])
}

func execSubVVAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execSubVV(f, in)
		return
	}
	subVVAVX2(d, f.slot[in.v[0]][:len(d)], f.slot[in.v[1]][:len(d)])
}

func execMulVVAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execMulVV(f, in)
		return
	}
	mulVVAVX2(d, f.slot[in.v[0]][:len(d)], f.slot[in.v[1]][:len(d)])
}

func execDivVVAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execDivVV(f, in)
		return
	}
	divVVAVX2(d, f.slot[in.v[0]][:len(d)], f.slot[in.v[1]][:len(d)])
}

func execAddVSAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execAddVS(f, in)
		return
	}
	addVSAVX2(d, f.slot[in.v[0]][:len(d)], f.scal[in.s[0]])
}

func execSubVSAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execSubVS(f, in)
		return
	}
	subVSAVX2(d, f.slot[in.v[0]][:len(d)], f.scal[in.s[0]])
}

func execMulVSAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execMulVS(f, in)
		return
	}
	mulVSAVX2(d, f.slot[in.v[0]][:len(d)], f.scal[in.s[0]])
}

func execDivVSAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execDivVS(f, in)
		return
	}
	divVSAVX2(d, f.slot[in.v[0]][:len(d)], f.scal[in.s[0]])
}

func execAddSVAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execAddSV(f, in)
		return
	}
	addSVAVX2(d, f.scal[in.s[0]], f.slot[in.v[0]][:len(d)])
}

func execSubSVAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execSubSV(f, in)
		return
	}
	subSVAVX2(d, f.scal[in.s[0]], f.slot[in.v[0]][:len(d)])
}

func execMulSVAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execMulSV(f, in)
		return
	}
	mulSVAVX2(d, f.scal[in.s[0]], f.slot[in.v[0]][:len(d)])
}

func execDivSVAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execDivSV(f, in)
		return
	}
	divSVAVX2(d, f.scal[in.s[0]], f.slot[in.v[0]][:len(d)])
}

// Linear combinations.

func execLin1AVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execLin1(f, in)
		return
	}
	linear1AVX2(d, f.slot[in.v[0]][:len(d)], f.scal[in.s[1]])
}

func execLin1CAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execLin1C(f, in)
		return
	}
	linear1cAVX2(d, f.slot[in.v[0]][:len(d)], f.scal[in.s[0]], f.scal[in.s[1]])
}

func execLin2AVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execLin2(f, in)
		return
	}
	linear2AVX2(d, f.slot[in.v[0]][:len(d)], f.slot[in.v[1]][:len(d)],
		f.scal[in.s[1]], f.scal[in.s[2]])
}

func execLin2CAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execLin2C(f, in)
		return
	}
	linear2cAVX2(d, f.slot[in.v[0]][:len(d)], f.slot[in.v[1]][:len(d)],
		f.scal[in.s[0]], f.scal[in.s[1]], f.scal[in.s[2]])
}

func execLin3AVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execLin3(f, in)
		return
	}
	linear3AVX2(d, f.slot[in.v[0]][:len(d)], f.slot[in.v[1]][:len(d)], f.slot[in.v[2]][:len(d)],
		f.scal[in.s[1]], f.scal[in.s[2]], f.scal[in.s[3]])
}

func execLin3CAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execLin3C(f, in)
		return
	}
	linear3cAVX2(d, f.slot[in.v[0]][:len(d)], f.slot[in.v[1]][:len(d)], f.slot[in.v[2]][:len(d)],
		f.scal[in.s[0]], f.scal[in.s[1]], f.scal[in.s[2]], f.scal[in.s[3]])
}

func execLin4AVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execLin4(f, in)
		return
	}
	linear4AVX2(d, f.slot[in.v[0]][:len(d)], f.slot[in.v[1]][:len(d)], f.slot[in.v[2]][:len(d)],
		f.slot[in.v[3]][:len(d)], f.scal[in.s[1]], f.scal[in.s[2]], f.scal[in.s[3]], f.scal[in.s[4]])
}

func execLin4CAVX2(f *frame, in *instr) {
	d := f.slot[in.d]
	if !useSIMD || len(d) < simdMin {
		execLin4C(f, in)
		return
	}
	linear4cAVX2(d, f.slot[in.v[0]][:len(d)], f.slot[in.v[1]][:len(d)], f.slot[in.v[2]][:len(d)],
		f.slot[in.v[3]][:len(d)], f.scal[in.s[0]], f.scal[in.s[1]], f.scal[in.s[2]], f.scal[in.s[3]], f.scal[in.s[4]])
}

// Collects. The assembly marks the elements where the comparison holds,
// 64 to a word; the few marked ones are then checked against the mask
// and appended in Go, in element order.

// cmpMaskAVX2 sets the bits of m where a[k] c s.
func cmpMaskAVX2(m []uint64, a []float64, s float64, c op) {
	switch c {
	case opLt:
		cmpLtMaskAVX2(m, a, s)
	case opLe:
		cmpLeMaskAVX2(m, a, s)
	case opGt:
		cmpGtMaskAVX2(m, a, s)
	case opGe:
		cmpGeMaskAVX2(m, a, s)
	case opEq:
		cmpEqMaskAVX2(m, a, s)
	case opNe:
		cmpNeMaskAVX2(m, a, s)
	default:
		panic("kernel: no comparison mask for " + c.String())
	}
}

// swapCompare is the comparison c with its operands swapped: s c b is
// b swapCompare(c) s, NaNs included.
func swapCompare(c op) op {
	switch c {
	case opLt:
		return opGt
	case opLe:
		return opGe
	case opGt:
		return opLt
	case opGe:
		return opLe
	}
	return c
}

// Mask kinds of collectAVX2.
const (
	simdNoMask    = iota
	simdMaskFloat // a float64 slot holding booleans (bit 52 set for true)
	simdMaskBool  // a bool column
)

// collectAVX2 appends f.lo+k to f.coll for the elements k where a[k] c s
// and the mask, if any, holds.
func collectAVX2(f *frame, a []float64, s float64, c op, kind int, mf []float64, mb []bool) {
	var words [chunk / 64]uint64
	out := f.coll
	for lo := 0; lo < len(a); lo += chunk {
		hi := min(lo+chunk, len(a))
		cmpMaskAVX2(words[:], a[lo:hi], s, c)
		for w, x := range words[:(hi-lo+63)/64] {
			if x == 0 {
				continue
			}
			// Room for every marked element; each is written at the end
			// and kept if the mask holds.
			k0 := lo + w*64
			base := int32(f.lo + k0)
			n := len(out)
			out = slices.Grow(out, bits.OnesCount64(x))
			buf := out[n:cap(out)]
			j := 0
			switch kind {
			case simdNoMask:
				for ; x != 0; x &= x - 1 {
					buf[j] = base + int32(bits.TrailingZeros64(x))
					j++
				}
			case simdMaskFloat:
				m := mf[k0:min(k0+64, hi)]
				for ; x != 0; x &= x - 1 {
					i := bits.TrailingZeros64(x)
					buf[j] = base + int32(i)
					j += int(math.Float64bits(m[i]) >> 52 & 1)
				}
			case simdMaskBool:
				m := mb[k0:min(k0+64, hi)]
				for ; x != 0; x &= x - 1 {
					i := bits.TrailingZeros64(x)
					buf[j] = base + int32(i)
					j += b2i(m[i])
				}
			}
			out = out[:n+j]
		}
	}
	f.coll = out
}

// collectVSAVX2 replaces goExec, the collect where v0 c s0 holds.
func collectVSAVX2(c op, goExec execFn) execFn {
	return func(f *frame, in *instr) {
		if !useSIMD || f.n < simdMin {
			goExec(f, in)
			return
		}
		collectAVX2(f, f.slot[in.v[0]][:f.n], f.scal[in.s[0]], c, simdNoMask, nil, nil)
	}
}

// collectSVAVX2 replaces goExec, the collect where s0 c v0 holds.
func collectSVAVX2(c op, goExec execFn) execFn {
	c = swapCompare(c)
	return func(f *frame, in *instr) {
		if !useSIMD || f.n < simdMin {
			goExec(f, in)
			return
		}
		collectAVX2(f, f.slot[in.v[0]][:f.n], f.scal[in.s[0]], c, simdNoMask, nil, nil)
	}
}

// collectMaskAVX2 replaces goExec, the collect where v0 c s0 holds and
// the boolean slot v1 is true.
func collectMaskAVX2(c op, goExec execFn) execFn {
	return func(f *frame, in *instr) {
		if !useSIMD || f.n < simdMin {
			goExec(f, in)
			return
		}
		a := f.slot[in.v[0]][:f.n]
		collectAVX2(f, a, f.scal[in.s[0]], c, simdMaskFloat, f.slot[in.v[1]][:len(a)], nil)
	}
}

// collectBoolAVX2 replaces goExec, the collect where v0 c s0 holds and
// the bool column in.col is true.
func collectBoolAVX2(c op, goExec execFn) execFn {
	return func(f *frame, in *instr) {
		if !useSIMD || f.n < simdMin {
			goExec(f, in)
			return
		}
		a := f.slot[in.v[0]][:f.n]
		collectAVX2(f, a, f.scal[in.s[0]], c, simdMaskBool, nil, in.col.B[f.lo:f.lo+len(a)])
	}
}
