//go:build amd64 && !purego

package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// Tests of the loops of simd2_amd64.s, in the manner of simd_test.go:
// every loop against its Go loop, bit for bit, for all lengths to 600,
// with misaligned and aliased operands and special values, and whole
// kernels with the AVX2 loops on and off.

// simd2Shapes are the operand shapes a variant is tested with: for
// execSelect whether the branches are vectors (VV), the first only (VS) or
// the second only (SV); one shape for the others.
func simd2Shapes(v simd2Variant) []shape {
	if v.kind == simd2Select {
		return []shape{shapeVV, shapeVS, shapeSV}
	}
	return []shape{shapeVV}
}

// simd2VecPos are the entries of in.v that hold vectors.
func simd2VecPos(v simd2Variant, sh shape) []int {
	switch v.kind {
	case simd2LinSel:
		pos := []int{0}
		for i := range v.n {
			pos = append(pos, i+1)
		}
		return pos
	case simd2Select:
		return [...][]int{shapeVV: {0, 1, 2}, shapeVS: {0, 1}, shapeSV: {0, 2}}[sh]
	}
	return []int{0}
}

// simd2Scalars are the entries of in.s that hold scalars.
func simd2Scalars(v simd2Variant, sh shape) []int {
	switch v.kind {
	case simd2LinSel:
		return seq(0, 2*(v.n+1))
	case simd2Chain:
		return seq(0, v.n)
	case simd2SelectVSS:
		return []int{1, 2}
	case simd2Select:
		return [...][]int{shapeVV: nil, shapeVS: {2}, shapeSV: {1}}[sh]
	}
	return nil
}

// hasMask reports whether the first vector of v is a mask or condition.
func (v simd2Variant) hasMask() bool {
	return v.kind == simd2LinSel || v.kind == simd2SelectVSS || v.kind == simd2Select
}

// simd2MaskValue draws an element of a mask or condition: mostly 0 and 1,
// sometimes -0 or any other value.
func simd2MaskValue(g *simdGen) float64 {
	switch g.r.IntN(8) {
	case 0:
		return math.Copysign(0, -1)
	case 1:
		return g.value()
	case 2, 3, 4:
		return 0
	}
	return 1
}

// newSIMD2Frame builds the operands of v in shape sh for n elements, as
// newSIMDFrame does: slot 0 the destination, each vector in its own
// buffer starting off+j elements in, alias naming the vector that is the
// destination itself (0: none) or -1 for the first two vectors being one.
// Unused operand entries are -1, as the lowering leaves them.
func newSIMD2Frame(v simd2Variant, sh shape, seed uint64, anyNaN bool, n, off, alias int) *simdFrame {
	g := &simdGen{r: rand.New(rand.NewPCG(seed, 4)), anyNaN: anyNaN}
	pos := simd2VecPos(v, sh)
	sf := &simdFrame{f: &frame{n: n}, in: newInstr(nil)}
	for j := range 1 + len(pos) {
		o := (off + j) % 4
		buf := g.fill(make([]float64, o+n+5))
		if j == 1 && v.hasMask() {
			for k := range buf {
				buf[k] = simd2MaskValue(g)
			}
		}
		sf.bufs = append(sf.bufs, buf)
		sf.f.slot = append(sf.f.slot, buf[o:o+n:o+n])
	}
	sf.in.d = 0
	for j, p := range pos {
		sf.in.v[p] = int32(j + 1)
	}
	switch {
	case alias > 0:
		sf.in.v[pos[alias-1]] = 0
	case alias < 0:
		sf.in.v[pos[1]] = sf.in.v[pos[0]]
	}
	sf.f.scal = g.fill(make([]float64, len(sf.in.s)))
	for _, j := range simd2Scalars(v, sh) {
		sf.in.s[j] = int32(j)
	}
	return sf
}

// simd2Aliases are the alias arguments of newSIMD2Frame for v in shape sh.
func simd2Aliases(v simd2Variant, sh shape) []int {
	a := []int{0}
	nv := len(simd2VecPos(v, sh))
	for j := range nv {
		a = append(a, j+1)
	}
	if nv >= 2 {
		a = append(a, -1)
	}
	return a
}

// withSIMDMin sets simdMin for the rest of the test.
func withSIMDMin(t testing.TB, n int) {
	old := simdMin
	simdMin = n
	t.Cleanup(func() { simdMin = old })
}

// TestSIMD2Variants compares every loop of simd2Variants with its Go loop
// for all lengths to 600, misaligned and aliased operands and special
// values. Selects copy bits, so they must agree on every NaN.
func TestSIMD2Variants(t *testing.T) {
	setSIMD(t, true)
	withSIMDMin(t, 0)
	for _, v := range simd2Variants {
		for _, sh := range simd2Shapes(v) {
			for _, anyNaN := range []bool{false, true} {
				for n := 0; n <= 600; n++ {
					for _, alias := range simd2Aliases(v, sh) {
						off := (n + alias + 4) % 4
						seed := uint64(n*16 + alias + 8)
						if err := checkSIMD2Variant(v, sh, seed, anyNaN, n, off, alias); err != nil {
							t.Fatalf("%s %v (NaN payloads mixed: %v): n=%d off=%d alias=%d: %v",
								v.name, sh, anyNaN, n, off, alias, err)
						}
					}
				}
			}
		}
	}
}

func checkSIMD2Variant(v simd2Variant, sh shape, seed uint64, anyNaN bool, n, off, alias int) error {
	want := newSIMD2Frame(v, sh, seed, anyNaN, n, off, alias)
	got := newSIMD2Frame(v, sh, seed, anyNaN, n, off, alias)
	v.goExec(want.f, &want.in)
	v.avx2(got.f, &got.in)
	exact := v.kind == simd2Select || v.kind == simd2SelectVSS
	for j := range want.bufs {
		w, g := want.bufs[j], got.bufs[j]
		for k := range w {
			if !sameResult(g[k], w[k], anyNaN && !exact) {
				return fmt.Errorf("buffer %d element %d = %v (%#x), want %v (%#x)",
					j, k, g[k], math.Float64bits(g[k]), w[k], math.Float64bits(w[k]))
			}
		}
	}
	return nil
}

// simd2Compares are the comparisons of simdVariants.
func simd2Compares() []simdVariant {
	var vs []simdVariant
	for _, v := range simdVariants {
		if v.form.kind == simdBinary && v.form.op >= opLt && v.form.op <= opNe {
			vs = append(vs, v)
		}
	}
	return vs
}

// TestSIMD2Compares runs TestSIMDVariants's check on the comparisons for
// all lengths to 600, with the scalar equal to an element or to one of the
// special values, and vectors with equal elements.
func TestSIMD2Compares(t *testing.T) {
	setSIMD(t, true)
	withSIMDMin(t, 0)
	cmps := simd2Compares()
	if len(cmps) != 18 {
		t.Fatalf("%d comparisons in simdVariants, want 18", len(cmps))
	}
	for _, v := range cmps {
		for _, anyNaN := range []bool{false, true} {
			for n := 0; n <= 600; n++ {
				for _, alias := range simdAliases(v) {
					off := (n + alias + 4) % 4
					seed := uint64(n*16 + alias + 8)
					if err := checkSIMDVariant(v, seed, anyNaN, n, off, alias); err != nil {
						t.Fatalf("%s (NaN payloads mixed: %v): n=%d off=%d alias=%d: %v",
							v.name, anyNaN, n, off, alias, err)
					}
				}
			}
		}
		// Every pair of special values, the scalar in both places.
		vals := append(slices.Clone(simdSpecials), math.Float64frombits(simdDefaultNaN), math.NaN())
		for _, s := range vals {
			want := make([]float64, len(vals))
			got := make([]float64, len(vals))
			b := make([]float64, len(vals))
			for i := range b {
				b[i] = s
			}
			f := &frame{slot: [][]float64{nil, vals, b}, scal: []float64{s}, n: len(vals)}
			in := &instr{}
			in.v[0], in.v[1] = 1, 2
			f.slot[0] = want
			v.goExec(f, in)
			f.slot[0] = got
			v.avx2(f, in)
			if !slices.Equal(got, want) {
				t.Fatalf("%s with %v: %v, want %v", v.name, s, got, want)
			}
		}
	}
}

// exprelDivGo is the division of execFastExprel, as exprelDivAVX2 does
// it.
func exprelDivGo(d, a []float64) bool {
	a = a[:len(d)]
	near0 := false
	for i, x := range a {
		if x > -0.5 && x < 0.5 {
			near0 = true
			continue
		}
		d[i] = (d[i] - 1) / x
	}
	return near0
}

// TestSIMD2ExprelDiv compares exprelDivAVX2 with exprelDivGo for all
// lengths to 600, arguments at and around ±0.5 and special values, out of
// place, in place and misaligned.
func TestSIMD2ExprelDiv(t *testing.T) {
	if !haveSIMD {
		t.Skip("no AVX2")
	}
	edges := []float64{0.5, -0.5, 0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1),
		math.Nextafter(0.5, 0), math.Nextafter(-0.5, 0), math.Nextafter(0.5, 1), math.Nextafter(-0.5, -1)}
	for _, anyNaN := range []bool{false, true} {
		for n := 0; n <= 600; n++ {
			for _, inPlace := range []bool{false, true} {
				g := &simdGen{r: rand.New(rand.NewPCG(uint64(n), 6)), anyNaN: anyNaN}
				off := n % 4
				a := make([]float64, n+off)[off:]
				for i := range a {
					switch g.r.IntN(4) {
					case 0:
						a[i] = edges[g.r.IntN(len(edges))]
					case 1:
						a[i] = g.value()
					default:
						a[i] = g.r.Float64()*6 - 3
					}
				}
				dw := g.fill(make([]float64, n+5))
				dg := slices.Clone(dw)
				aw, ag := a, a
				if inPlace {
					copy(dw, a)
					copy(dg, a)
					aw, ag = dw[:n], dg[:n]
				}
				nearW := exprelDivGo(dw[:n], aw)
				nearG := exprelDivAVX2(dg[:n], ag)
				if nearW != nearG {
					t.Fatalf("n=%d in place %v: near 0 %v, want %v", n, inPlace, nearG, nearW)
				}
				for k := range dw {
					if !sameResult(dg[k], dw[k], anyNaN) {
						t.Fatalf("n=%d in place %v: element %d = %v (%#x), want %v (%#x)", n, inPlace, k,
							dg[k], math.Float64bits(dg[k]), dw[k], math.Float64bits(dw[k]))
					}
				}
			}
		}
	}
}

// TestSIMD2Tables checks that the tables hold the AVX2 loops.
func TestSIMD2Tables(t *testing.T) {
	setSIMD(t, true)
	same := func(a, b execFn) bool { return fmt.Sprintf("%p", a) == fmt.Sprintf("%p", b) }
	for _, v := range simd2Variants {
		var got execFn
		switch v.kind {
		case simd2LinSel:
			got = linSelExec[0][v.n]
		case simd2Chain:
			got = chainExec[v.chain]
		case simd2Exprel:
			got = functions["exprel"].fast
		case simd2SelectVSS:
			got = selectVSSExec
		case simd2Select:
			got = selectExec
		}
		if v.goExec == nil || !same(got, v.avx2) || same(v.goExec, v.avx2) {
			t.Errorf("%s is not installed", v.name)
		}
	}
	if n := len(chainAVX2Loops); n != len(chainExec) {
		t.Errorf("%d chains have AVX2 loops, chainExec has %d", n, len(chainExec))
	}
}

// TestSIMD2Allocations checks that the AVX2 loops allocate nothing, in
// place and not: a buffer passed through a function value to the assembly
// would be moved to the heap.
func TestSIMD2Allocations(t *testing.T) {
	setSIMD(t, true)
	for _, v := range simd2Variants {
		for _, sh := range simd2Shapes(v) {
			for _, alias := range simd2Aliases(v, sh) {
				sf := newSIMD2Frame(v, sh, 1, false, chunk, 0, alias)
				if n := testing.AllocsPerRun(10, func() { v.avx2(sf.f, &sf.in) }); n != 0 {
					t.Errorf("%s %v alias %d: %v allocations", v.name, sh, alias, n)
				}
			}
		}
	}
}

// TestSIMD2Kernels runs statements that use the loops of simd2Variants
// and the comparisons with and without the AVX2 loops, in pieces that
// start and end anywhere.
func TestSIMD2Kernels(t *testing.T) {
	setSIMD(t, true)
	mk := func() *world { return simdWorld(3, 1300) }
	for _, src := range []string{
		// Masked linear combinations of one to four vectors, with and
		// without a constant (Layout.Exact makes selects and chains).
		"x = c + (x - c)*exp(-p*int(b)/tau)",
		"x = x*exp(-p*int(y > 0)/tau) + y*int(y > 0)*p",
		"x = x*exp(-p*int(b)/tau) + y*int(b)*p + 2 - int(b)",
		"x = x*exp(-p*int(b)/tau) + y*int(b)*p + z*(1 - int(b))*c",
		"x = x*exp(-p*int(b)/tau) + y*int(b)*p + z*(1 - int(b))*c + w*int(b)",
		"x = x*exp(-p*int(b)/tau) + y*int(b)*p + z*(1 - int(b))*c + w*int(b) + 0.5",
		"b = x >= 0.5\nx = c + (x - c)*exp(-p*int(b)/tau)",
		// Chains of two and three steps.
		"x = (x + p)*c/tau\ny = (y*p/c + tau)*c\nz = z/p + c\nw = (w + 1)/p",
		"x = x/c/tau/p\ny = (y + p + c)*tau\nz = z*p*c + 1",
		// Comparisons of every kind and shape.
		"x = (x > y) + (y <= 0.5)*2 + (0.5 < z)\ny = (y == z) + (y != 0.5)\nz = p >= z",
		"x = (x < y) + (x >= y) + (x == y) + (x != y) + (x <= z) + (x > z)",
		"x = (p < x) + (p <= y) + (p > z) + (p >= x) + (p == y) + (p != z)",
		"x = (x < p) + (y <= p) + (z > p) + (x >= p) + (y == p) + (z != p)",
		// The fast exprel (without Layout.Exact).
		"x = exprel(y)\ny = exprel(y)\nz = exprel(z*0.25)",
	} {
		checkSIMDKernel(t, src, mk)
	}
}

// TestSIMD2RefractoryLIF runs BenchmarkRefractoryLIF's update with and
// without the AVX2 loops.
func TestSIMD2RefractoryLIF(t *testing.T) {
	setSIMD(t, true)
	const n = 1300
	mk := func() *world {
		w := simdWorld(4, n)
		w.cols["lastspike"] = &Column{F: slices.Clone(w.cols["y"].F)}
		w.cols["not_refractory"] = &Column{B: slices.Clone(w.cols["b"].B)}
		t, dt := 1.0, 0.5
		w.params["t"], w.params["dt"] = &t, &dt
		return w
	}
	checkSIMDKernel(t, `
not_refractory = timestep(t - lastspike, dt) >= timestep(c, dt)
_v = tau - tau*exp(-dt*int(not_refractory)/c) + x*exp(-dt*int(not_refractory)/c)
x = _v`, mk)
}

// Reproduce with:
//
//	go test ./kernel/ -run '^$' -bench 'SIMD2Ops|SIMDOps/(Lt|Le|Gt|Ge|Eq|Ne)' -count 5
//
// BenchmarkSIMD2Ops times each loop of simd2Variants and the division of
// execFastExprel alone on one chunk, Go and AVX2; BenchmarkSIMDOps does
// the comparisons.

func BenchmarkSIMD2Ops(b *testing.B) {
	if !haveSIMD {
		b.Skip("no AVX2")
	}
	for _, v := range simd2Variants {
		for _, sh := range simd2Shapes(v) {
			name := v.name
			if v.kind == simd2Select {
				name += sh.String()
			}
			for _, impl := range []struct {
				name string
				exec execFn
			}{{"go", v.goExec}, {"avx2", v.avx2}} {
				b.Run(name+"/"+impl.name, func(b *testing.B) {
					b.Cleanup(func() { useSIMD = haveSIMD })
					useSIMD = true
					f, in := simd2BenchFrame(v, sh)
					for b.Loop() {
						impl.exec(f, in)
					}
					b.SetBytes(chunk * 8)
				})
			}
		}
	}
	for _, impl := range []struct {
		name string
		div  func(d, a []float64) bool
	}{{"go", exprelDivGo}, {"avx2", exprelDivAVX2}} {
		b.Run("ExprelDiv/"+impl.name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			a, e, d := make([]float64, chunk), make([]float64, chunk), make([]float64, chunk)
			for k := range a {
				a[k] = r.Float64()*10 + 0.5 // away from 0, as HH rate arguments mostly are
				e[k] = math.Exp(a[k])
			}
			for b.Loop() {
				copy(d, e)
				impl.div(d, a)
			}
			b.SetBytes(chunk * 8)
		})
	}
}

// simd2BenchFrame builds the operands of v for one chunk of values
// uniform in [0, 1); masks and conditions are 1 for nine elements in ten,
// as for neurons out of their refractory period, and the arguments of
// exprel in [0.5, 10.5), away from 0 as those of the Hodgkin-Huxley rates
// mostly are.
func simd2BenchFrame(v simd2Variant, sh shape) (*frame, *instr) {
	r := rand.New(rand.NewPCG(1, 2))
	f := &frame{n: chunk}
	in := newInstr(nil)
	in.d = 0
	pos := simd2VecPos(v, sh)
	for j := range 1 + len(pos) {
		s := make([]float64, chunk)
		for k := range s {
			s[k] = r.Float64()
			switch {
			case j == 1 && v.hasMask():
				s[k] = b2f(r.IntN(10) != 0)
			case v.kind == simd2Exprel:
				s[k] = r.Float64()*10 + 0.5
			}
		}
		f.slot = append(f.slot, s)
		if j > 0 {
			in.v[pos[j-1]] = int32(j)
		}
	}
	f.scal = []float64{0.996, 0.5, 0.25, 0.125, 0.0625, 0.75, 1.5, 3, 0.375, 2}
	for _, j := range simd2Scalars(v, sh) {
		in.s[j] = int32(j)
	}
	return f, &in
}
