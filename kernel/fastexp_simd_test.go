package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// expSpecials are arguments at and around the edges of the fast path and
// of the float64 range.
var expSpecials = func() []float64 {
	xs := []float64{
		math.NaN(), math.Float64frombits(0xfff8000000000001), math.Float64frombits(0x7ff0000000000001),
		math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1),
		5e-324, -5e-324, 1e-310, -1e-310, 1e-300, -1e-300, math.SmallestNonzeroFloat64 * 1e10,
		1, -1, 0.5, -0.5, math.Ln2, -math.Ln2, math.Ln2 / 128, -math.Ln2 / 128,
		-707, 693, 709.79, 709.78, 709.7827128933840, 709.782712893384, 709.783, 709.8, 710, 1e300, -1e300,
		-706.9, -707.1, -708.3, -708.4, -709.1, -744.4, -745.1, -745.2, -746,
		692.9, 693.1, 693.147, 693.148, 700, 706.9, 708.9, 709.7,
		math.MaxFloat64, -math.MaxFloat64,
	}
	// Neighbours of the thresholds and of the points where e changes.
	for _, x := range []float64{-707, 693, 709.79, 1000 * math.Ln2, 999 * math.Ln2, -1000 * math.Ln2, -1022 * math.Ln2} {
		y, z := x, x
		for range 4 {
			y, z = math.Nextafter(y, math.Inf(1)), math.Nextafter(z, math.Inf(-1))
			xs = append(xs, y, z)
		}
	}
	return xs
}()

// expInput returns n arguments: mostly in the typical range, some over
// the whole range and beyond, and some special values.
func expInput(r *rand.Rand, n int) []float64 {
	a := make([]float64, n)
	for i := range a {
		switch r.IntN(8) {
		case 0:
			a[i] = r.Float64()*1600 - 800
		case 1:
			a[i] = expSpecials[r.IntN(len(expSpecials))]
		case 2:
			a[i] = (r.Float64()*2 - 1) * math.Ln2 / 64 // around a table point
		default:
			a[i] = r.Float64()*100 - 50
		}
	}
	return a
}

func sameBits(a, b []float64) int {
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return i
		}
	}
	return -1
}

// checkExpSlice runs expSlice on a[off:off+n] out of place and in place,
// with guards around the results, and compares with expSliceGo bit for
// bit.
func checkExpSlice(t *testing.T, a []float64) {
	t.Helper()
	want := make([]float64, len(a))
	expSliceGo(want, a)
	const guard = 5
	for off := range 4 {
		buf := make([]float64, off+len(a)+guard)
		for i := range buf {
			buf[i] = -12345
		}
		d := buf[off : off+len(a)]
		expSlice(d, a)
		if i := sameBits(d, want); i >= 0 {
			t.Fatalf("len %d offset %d: exp(%v) = %v (%#x), Go %v (%#x)", len(a), off, a[i], d[i],
				math.Float64bits(d[i]), want[i], math.Float64bits(want[i]))
		}
		for i, v := range buf[off+len(a):] {
			if v != -12345 {
				t.Fatalf("len %d offset %d: wrote %v after the end at %d", len(a), off, v, i)
			}
		}

		copy(d, a)
		expSlice(d, d)
		if i := sameBits(d, want); i >= 0 {
			t.Fatalf("in place, len %d offset %d: exp(%v) = %v, Go %v", len(a), off, a[i], d[i], want[i])
		}
	}
}

func needSIMD(t testing.TB) {
	if !expSIMD {
		t.Skip("no SIMD version of expSlice on this machine")
	}
}

func TestExpSliceSIMDLengths(t *testing.T) {
	needSIMD(t)
	r := rand.New(rand.NewPCG(2, 3))
	for n := 0; n <= 300; n++ {
		for range 5 {
			checkExpSlice(t, expInput(r, n))
		}
	}
}

func TestExpSliceSIMDRandom(t *testing.T) {
	needSIMD(t)
	r := rand.New(rand.NewPCG(4, 5))
	n := 1 << 20
	if testing.Short() {
		n = 1 << 16
	}
	wide, typical, small := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		wide[i] = r.Float64()*1600 - 800
		typical[i] = r.Float64()*100 - 50
		small[i] = (r.Float64()*2 - 1) * math.Ldexp(1, -r.IntN(60))
	}
	for _, a := range [][]float64{wide, typical, small} {
		want, got := make([]float64, n), make([]float64, n)
		expSliceGo(want, a)
		expSlice(got, a)
		if i := sameBits(got, want); i >= 0 {
			t.Fatalf("exp(%v) = %v, Go %v", a[i], got[i], want[i])
		}
	}
}

// Every special value in every lane of a group of four, among typical
// arguments.
func TestExpSliceSIMDSpecials(t *testing.T) {
	needSIMD(t)
	r := rand.New(rand.NewPCG(6, 7))
	for _, x := range expSpecials {
		for lane := range 4 {
			for _, n := range []int{4, 7, 8, 12, 17} {
				a := expInput(r, n)
				for i := range a {
					if r.IntN(2) == 0 {
						a[i] = r.Float64()*100 - 50
					}
				}
				if lane < n {
					a[lane] = x
				}
				if lane+4 < n {
					a[lane+4] = x
				}
				checkExpSlice(t, a)
			}
		}
	}
	checkExpSlice(t, expSpecials)
}

// expAVX2 takes every group of four in its range and stops at the first
// one that is not.
func TestExpAVX2Stops(t *testing.T) {
	needSIMD(t)
	r := rand.New(rand.NewPCG(8, 9))
	for n := 0; n <= 40; n++ {
		a := make([]float64, n)
		for i := range a {
			a[i] = r.Float64()*1398 - 706
		}
		d := make([]float64, n)
		if got := expAVX2(d, a); got != n&^3 {
			t.Fatalf("len %d: expAVX2 did %d", n, got)
		}
		for bad := range n {
			for _, x := range []float64{math.NaN(), -707, 693, math.Inf(1)} {
				b := append([]float64(nil), a...)
				b[bad] = x
				if got := expAVX2(d, b); got != min(bad&^3, n&^3) {
					t.Fatalf("len %d, %v at %d: expAVX2 did %d", n, x, bad, got)
				}
			}
		}
	}
}

func TestExpSliceSwitch(t *testing.T) {
	defer func(s bool) { expSIMD = s }(expSIMD)
	a := expInput(rand.New(rand.NewPCG(10, 11)), 1000)
	want, got := make([]float64, len(a)), make([]float64, len(a))
	expSliceGo(want, a)
	expSIMD = false
	expSlice(got, a)
	if i := sameBits(got, want); i >= 0 {
		t.Fatalf("exp(%v) = %v, Go %v", a[i], got[i], want[i])
	}
}

func BenchmarkExpSlice(b *testing.B) {
	r := rand.New(rand.NewPCG(12, 13))
	a := make([]float64, 256)
	for i := range a {
		a[i] = r.Float64()*100 - 50
	}
	d := make([]float64, len(a))
	for _, simd := range []bool{false, true} {
		name := map[bool]string{false: "go", true: "simd"}[simd]
		b.Run(fmt.Sprint(name, "/n=", len(a)), func(b *testing.B) {
			if simd {
				needSIMD(b)
			}
			defer func(s bool) { expSIMD = s }(expSIMD)
			expSIMD = simd
			b.SetBytes(int64(8 * len(a)))
			for b.Loop() {
				expSlice(d, a)
			}
		})
	}
}
