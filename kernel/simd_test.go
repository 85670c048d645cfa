//go:build amd64 && !purego

package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// simdDefaultNaN is the NaN the x86 arithmetic makes (0-0*Inf, Inf-Inf):
// with it as the only NaN of the inputs, every NaN anywhere has these
// bits, so the Go and AVX2 loops must agree on all 64 bits of every result.
const simdDefaultNaN = 0xfff8000000000000

// simdNaNs are NaNs with other payloads and signs, signalling ones
// included. Where two meet in one operation the payload of the result
// depends on the order of the operands, which the Go compiler chooses
// freely, so results are compared as NaN or not.
var simdNaNs = []uint64{
	simdDefaultNaN, 0x7ff8000000000001, 0x7ff8000000000000, 0x7ff0000000000001,
	0xfff4000000000123, 0x7fffffffffffffff, 0xfff0000000000001,
}

var simdSpecials = []float64{
	0, math.Copysign(0, -1), 1, -1, 0.5, 2, 3, -3,
	math.Inf(1), math.Inf(-1),
	5e-324, -5e-324, // smallest denormals
	2.225073858507201e-308, -2.225073858507201e-308, // largest denormals
	2.2250738585072014e-308, // smallest normal
	math.MaxFloat64, -math.MaxFloat64, 1e300, -1e300, 1e-300, 1e-170, -1e-170, 1e154, 1e-160,
}

// simdGen draws test values: ordinary numbers, numbers of any exponent,
// special values and NaNs.
type simdGen struct {
	r      *rand.Rand
	anyNaN bool // NaNs of every payload, else the default NaN only
}

func (g *simdGen) value() float64 {
	switch g.r.IntN(8) {
	case 0:
		if g.anyNaN {
			return math.Float64frombits(simdNaNs[g.r.IntN(len(simdNaNs))])
		}
		return math.Float64frombits(simdDefaultNaN)
	case 1, 2:
		return simdSpecials[g.r.IntN(len(simdSpecials))]
	case 3, 4:
		return math.Ldexp(g.r.NormFloat64(), g.r.IntN(2200)-1100)
	}
	return g.r.NormFloat64()
}

func (g *simdGen) fill(s []float64) []float64 {
	for i := range s {
		s[i] = g.value()
	}
	return s
}

// sameResult compares two results bit for bit, or, where NaNs of several
// payloads were mixed, any NaN with any NaN.
func sameResult(a, b float64, anyNaN bool) bool {
	return math.Float64bits(a) == math.Float64bits(b) || anyNaN && math.IsNaN(a) && math.IsNaN(b)
}

// setSIMD switches the AVX2 loops on or off for the rest of the test.
func setSIMD(t testing.TB, on bool) {
	t.Helper()
	if on && !haveSIMD {
		t.Skip("no AVX2")
	}
	old := useSIMD
	useSIMD = on
	t.Cleanup(func() { useSIMD = old })
}

// simdVecs is the number of vector operands of a form.
func (f simdForm) vecs() int {
	switch f.kind {
	case simdBinary:
		if f.sh == shapeVV {
			return 2
		}
		return 1
	case simdLin:
		return f.n
	case simdCollectMask:
		return 2
	}
	return 1
}

// simdFrame is the state one exec function sees: slot 0 the destination,
// slots 1.. the vectors, each a window into its own buffer whose other
// elements must stay as they are.
type simdFrame struct {
	f    *frame
	in   instr
	bufs [][]float64
}

// newSIMDFrame builds the operands of v for n elements. Operand j
// starts off+j elements into its buffer, so the operands have different
// alignments; alias names the operand that is the destination itself
// (0: none), or -1 for the first two vectors being one.
func newSIMDFrame(v simdVariant, seed uint64, anyNaN bool, n, off, alias int) *simdFrame {
	g := &simdGen{r: rand.New(rand.NewPCG(seed, 3)), anyNaN: anyNaN}
	nv := v.form.vecs()
	sf := &simdFrame{f: &frame{n: n, lo: g.r.IntN(6)}}
	for j := range 1 + nv {
		o := (off + j) % 4
		buf := g.fill(make([]float64, o+n+5))
		sf.bufs = append(sf.bufs, buf)
		sf.f.slot = append(sf.f.slot, buf[o:o+n:o+n])
	}
	sf.in.d = 0
	for j := range nv {
		sf.in.v[j] = int32(j + 1)
	}
	switch {
	case alias > 0:
		sf.in.v[alias-1] = 0
	case alias < 0:
		sf.in.v[1] = sf.in.v[0]
	}
	sf.f.scal = g.fill(make([]float64, maxTerms+1))
	for j := range sf.in.s {
		sf.in.s[j] = int32(j % len(sf.f.scal))
	}
	if g.r.IntN(4) == 0 && n > 0 {
		// The threshold equal to some of the elements, for == and !=.
		sf.f.scal[0] = sf.f.slot[1][g.r.IntN(n)]
	}
	if v.form.kind == simdCollectBool {
		b := make([]bool, sf.f.lo+n)
		for k := range b {
			b[k] = g.r.IntN(3) != 0
		}
		sf.in.col = &Column{B: b}
	}
	sf.f.coll = []int32{-7}
	return sf
}

// simdAliases are the alias arguments of newSIMDFrame that make sense for v.
func simdAliases(v simdVariant) []int {
	switch v.form.kind {
	case simdBinary, simdLin:
	default:
		return []int{0} // collects have no destination
	}
	a := []int{0}
	for j := range v.form.vecs() {
		a = append(a, j+1)
	}
	if v.form.vecs() >= 2 {
		a = append(a, -1)
	}
	return a
}

// TestSIMDVariants compares every AVX2 loop with its Go loop, bit for
// bit, for all lengths to 300, misaligned and aliased operands, and
// special values. simdMin is lowered so that the assembly does even the
// shortest lengths.
func TestSIMDVariants(t *testing.T) {
	setSIMD(t, true)
	old := simdMin
	simdMin = 0
	t.Cleanup(func() { simdMin = old })
	for _, v := range simdVariants {
		for _, anyNaN := range []bool{false, true} {
			for n := 0; n <= 300; n++ {
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
	}
}

func checkSIMDVariant(v simdVariant, seed uint64, anyNaN bool, n, off, alias int) error {
	want := newSIMDFrame(v, seed, anyNaN, n, off, alias)
	got := newSIMDFrame(v, seed, anyNaN, n, off, alias)
	v.goExec(want.f, &want.in)
	v.avx2(got.f, &got.in)
	for j := range want.bufs {
		w, g := want.bufs[j], got.bufs[j]
		for k := range w {
			if !sameResult(g[k], w[k], anyNaN) {
				return fmt.Errorf("buffer %d element %d = %v (%#x), want %v (%#x)",
					j, k, g[k], math.Float64bits(g[k]), w[k], math.Float64bits(w[k]))
			}
		}
	}
	if !slices.Equal(got.f.coll, want.f.coll) {
		return fmt.Errorf("collected %v, want %v", got.f.coll, want.f.coll)
	}
	return nil
}

// TestSIMDTables checks that the tables hold the AVX2 loops.
func TestSIMDTables(t *testing.T) {
	setSIMD(t, true)
	same := func(a, b execFn) bool { return fmt.Sprintf("%p", a) == fmt.Sprintf("%p", b) }
	for _, v := range simdVariants {
		var got execFn
		f := v.form
		switch f.kind {
		case simdBinary:
			got = binaryExec[binKey{f.op, f.sh}]
		case simdLin:
			got = linExec[0][f.n][b2i(f.hasC)]
		case simdCollect:
			got = collectExec[binKey{f.op, f.sh}]
		case simdCollectMask:
			got = collectMaskExec[f.op]
		case simdCollectBool:
			got = collectBoolExec[f.op]
		}
		if !same(got, v.avx2) || same(v.goExec, v.avx2) {
			t.Errorf("%s is not installed", v.name)
		}
	}
}

// simdWorld is newWorld with special values, denormals and default NaNs
// among the float columns.
func simdWorld(seed uint64, n int) *world {
	w := newWorld(seed, n)
	g := &simdGen{r: rand.New(rand.NewPCG(seed, 5))}
	for _, name := range []string{"x", "y", "z", "w"} {
		c := w.cols[name].F
		for k := range c {
			if g.r.IntN(5) == 0 {
				c[k] = g.value()
			}
		}
	}
	return w
}

// sameWorlds reports the first float, int or bool that differs, floats
// compared bit for bit.
func sameWorlds(a, b *world) error {
	for name, c := range a.cols {
		d := b.cols[name]
		for k := range c.F {
			if math.Float64bits(c.F[k]) != math.Float64bits(d.F[k]) {
				return fmt.Errorf("%s[%d] = %v (%#x) and %v (%#x)", name, k,
					c.F[k], math.Float64bits(c.F[k]), d.F[k], math.Float64bits(d.F[k]))
			}
		}
		if !slices.Equal(c.I, d.I) || !slices.Equal(c.B, d.B) {
			return fmt.Errorf("%s differs", name)
		}
	}
	return nil
}

// simdSplits are the pieces a range is run in with the AVX2 loops: chunks
// that start and end anywhere, as with several threads.
var simdSplits = []int{0, 3, 37, 256, 301, 517}

// checkSIMDKernel runs src over n elements of worlds made by mk with the
// Go loops in one call and with the AVX2 loops in pieces, and with
// RunIndices both ways, and compares the results bit for bit; with
// Layout.Exact and without (which makes linear combinations).
func checkSIMDKernel(t *testing.T, src string, mk func() *world) {
	t.Helper()
	for _, exact := range []bool{true, false} {
		stmts := mustStatements(t, src)
		goW, simdW := mk(), mk()
		n := goW.n
		goLay, simdLay := goW.layout(), simdW.layout()
		goLay.Exact, simdLay.Exact = exact, exact
		kGo, err := Compile(stmts, goLay)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		kSIMD, err := Compile(stmts, simdLay)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		useSIMD = false
		kGo.Run(0, n, newRNG(1))
		useSIMD = true
		if kSIMD.UsesRNG() {
			kSIMD.Run(0, n, newRNG(1))
		} else {
			for i, lo := range simdSplits {
				hi := n
				if i+1 < len(simdSplits) {
					hi = min(simdSplits[i+1], n)
				}
				if lo < hi {
					kSIMD.Run(lo, hi, nil)
				}
			}
		}
		if err := sameWorlds(goW, simdW); err != nil {
			t.Fatalf("%s (exact %v)\nRun with and without AVX2: %v\n%s", src, exact, err, kSIMD)
		}
		idx := []int32{0, 1, 2, 5, 6, 7, 8, 9, 10, 40, 41, 42, 43, 44, 100, 255, 256, 257, int32(n - 1)}
		useSIMD = false
		kGo.RunIndices(idx, newRNG(2))
		useSIMD = true
		kSIMD.RunIndices(idx, newRNG(2))
		if err := sameWorlds(goW, simdW); err != nil {
			t.Fatalf("%s (exact %v)\nRunIndices with and without AVX2: %v\n%s", src, exact, err, kSIMD)
		}
	}
}

// checkSIMDCondition compares Collect with and without the AVX2 loops.
func checkSIMDCondition(t *testing.T, src string, w *world) {
	t.Helper()
	for _, exact := range []bool{true, false} {
		lay := w.layout()
		lay.Exact = exact
		c, err := CompileCondition(mustParse(t, src), lay)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		useSIMD = false
		want := c.Collect(0, w.n, []int32{-1}, newRNG(3))
		wantPart := c.Collect(5, w.n-9, nil, newRNG(3))
		useSIMD = true
		got := c.Collect(0, w.n, []int32{-1}, newRNG(3))
		gotPart := c.Collect(5, w.n-9, nil, newRNG(3))
		if !slices.Equal(got, want) || !slices.Equal(gotPart, wantPart) {
			t.Fatalf("%s (exact %v): Collect with AVX2 %v, %v\nwithout %v, %v\n%s",
				src, exact, got, gotPart, want, wantPart, c)
		}
	}
}

// TestSIMDKernels runs the statements of the benchmarks and random ones
// with and without the AVX2 loops.
func TestSIMDKernels(t *testing.T) {
	setSIMD(t, true)
	const n = 1000
	mk := func() *world { return simdWorld(1, n) }
	for _, src := range []string{
		"_v = c + (x - c)*exp(-p/tau)\nx = _v",
		"_ge = -p*y/tau + y\n_gi = -p*z/(2*tau) + z\n_v = p*(c + y + z - x)/(3*tau) + x\ny = _ge\nz = _gi\nx = _v",
		"x = x*y\ny = y/z\nz = 2 - z\nx += 3*y - z*0.5 + c*x + 7",
		"x = y + z\ny = y - z\nz = x*p\nx = x/p\ny = p/y\nz = p - z + (p*z + x/y)",
		"x = 2*x + 3*y - 4*z + 5*w + 6\ny = -x - 2*y\nz = 0.25*x + y*0.5 + z/3",
		"x = (x + y)*(z - c) + s*x\nw += x*0.5",
		"x = s*x + p*y + c*z\nb = x > 0.5",
		"w = w*0.5 + x", // sequential
	} {
		checkSIMDKernel(t, src, mk)
	}
	w := simdWorld(2, n)
	for _, src := range []string{
		"x > 0.5", "x < 0.5", "x >= 0", "x <= 0", "x == 1", "x != 1",
		"0.5 < x", "0.5 > x", "0 <= x", "0 >= x", "1 == x", "1 != x",
		"x > p and b", "x <= c and b", "x == 0 and b", "x != 0 and b",
		"x > 0.5 and y > 0", "y < c and not b", "x*2 >= 3*c - 0.5 or x < -0.5",
		"x > y", "i > 500",
	} {
		checkSIMDCondition(t, src, w)
	}
}

// TestSIMDRandomStatements runs random statements with and without the
// AVX2 loops.
func TestSIMDRandomStatements(t *testing.T) {
	setSIMD(t, true)
	g := &gen{r: rand.New(rand.NewPCG(11, 12))}
	trials := 300
	if testing.Short() {
		trials = 50
	}
	for trial := range trials {
		seed := uint64(trial)
		checkSIMDKernel(t, g.statements(), func() *world { return simdWorld(seed, 700) })
		g.temps = nil
		checkSIMDCondition(t, g.expr(1+trial%4), simdWorld(seed, 700))
	}
}
