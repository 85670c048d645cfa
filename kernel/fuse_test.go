package kernel

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestGuardedAddFused: v_post += w*int(flag_post), with the flag read
// through the same index as the target, is one fused scatter and adds
// exactly what the three separate passes add, with repeated targets, in
// Run and RunIndices.
func TestGuardedAddFused(t *testing.T) {
	const n, m = 1000, 37
	r := rand.New(rand.NewPCG(3, 4))
	index := make([]int32, n)
	for k := range index {
		index[k] = int32(r.IntN(m))
	}
	flag := make([]bool, m)
	for j := range flag {
		flag[j] = r.IntN(3) != 0
	}
	other := make([]int32, n) // another index: no fusion
	for k := range other {
		other[k] = int32(r.IntN(m))
	}
	initial := make([]float64, m)
	for j := range initial {
		initial[j] = r.NormFloat64()
	}
	listed := []int32{5, 5, 999, 0, 17, 400, 5}
	for _, tc := range []struct {
		src       string
		flagIndex []int32
		fused     bool
		inc       func(k int) float64 // the increment of element k, at its target
	}{
		{"v_post += 0.25*int(g_post)", index, true, func(k int) float64 { return 0.25 * b2f(flag[index[k]]) }},
		{"v_post += -1.5*int(g_post)", index, true, func(k int) float64 { return -1.5 * b2f(flag[index[k]]) }},
		{"v_post += 0.25*int(g_post)", other, false, func(k int) float64 { return 0.25 * b2f(flag[other[k]]) }},
	} {
		v := slices.Clone(initial)
		lay := Layout{Columns: map[string]*Column{
			"v_post": {F: v, Index: index},
			"g_post": {B: flag, Index: tc.flagIndex},
		}}
		k := compile(t, tc.src, lay)
		if got := strings.Contains(k.String(), "+= select("); got != tc.fused {
			t.Errorf("%s: fused = %v, want %v:\n%s", tc.src, got, tc.fused, k)
		}
		k.Run(0, n, nil)
		want := slices.Clone(initial)
		for e := range n {
			want[index[e]] += tc.inc(e)
		}
		if !slices.Equal(v, want) {
			t.Errorf("%s: Run gives %v, want %v", tc.src, v, want)
		}
		copy(v, initial)
		k.RunIndices(listed, nil)
		want = slices.Clone(initial)
		for _, e := range listed {
			want[index[e]] += tc.inc(int(e))
		}
		if !slices.Equal(v, want) {
			t.Errorf("%s: RunIndices gives %v, want %v", tc.src, v, want)
		}
	}
}

// BenchmarkGuardedAdd: the synaptic increment of Brunel's network, 1000
// synapses per spike onto 12 500 neurons, about half of them refractory.
func BenchmarkGuardedAdd(b *testing.B) {
	const n, m = 1000, 12500
	r := rand.New(rand.NewPCG(1, 2))
	index := make([]int32, n)
	for k := range index {
		index[k] = int32(r.IntN(m))
	}
	flag := make([]bool, m)
	for j := range flag {
		flag[j] = r.IntN(2) == 0
	}
	lay := Layout{Columns: map[string]*Column{
		"v_post": {F: make([]float64, m), Index: index},
		"g_post": {B: flag, Index: index},
	}}
	k, err := Compile(mustStatements(b, "v_post += 0.0001*int(g_post)"), lay)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		k.Run(0, n, nil)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/synapse")
}

// TestRunRanges: one call over several ranges equals consecutive Run
// calls, also when the code draws random numbers or writes a shared
// variable (which then happens per range), with more ranges than are
// asked for ahead and empty ones, also at the end of the columns.
func TestRunRanges(t *testing.T) {
	ranges := [][2]int{{3, 40}, {500, 900}, {40, 41}, {41, 41}, {950, 1000}}
	for k := range 12 {
		ranges = append(ranges, [2]int{100 + 30*k, 110 + 30*k})
	}
	ranges = append(ranges, [2]int{1000, 1000})
	for _, src := range []string{"w += x*c", "x = x + y*0.5\nz += 1", "x += rand()", "s += 1\nx += s", "w += c", "w += p*s"} {
		a, b := newWorld(7, 1000), newWorld(7, 1000)
		ka, kb := compile(t, src, a.layout()), compile(t, src, b.layout())
		ra, rb := newRNG(3), newRNG(3)
		for _, r := range ranges {
			ka.Run(r[0], r[1], ra)
		}
		kb.RunRanges(ranges, rb)
		if want := src == "w += c" || src == "w += p*s"; (kb.scalarAdd != nil) != want {
			t.Errorf("%s: scalar add loop %v, want %v", src, kb.scalarAdd != nil, want)
		}
		for name, c := range a.cols {
			if !slices.Equal(c.F, b.cols[name].F) {
				t.Errorf("%s: %s differs between Run and RunRanges", src, name)
			}
		}
	}
}

// TestRunCollect: an update and a condition checked chunk by chunk equal
// the update over the whole range followed by the condition, and
// CanFollow refuses conditions that read other elements or draw.
func TestRunCollect(t *testing.T) {
	const n = 2000
	a, b := newWorld(5, n), newWorld(5, n)
	update := "x = x*0.9 + y*0.2\nz = z + 0.1"
	ka, kb := compile(t, update, a.layout()), compile(t, update, b.layout())
	ca := mustCondition(t, "x > 0.3 and b", a.layout())
	cb := mustCondition(t, "x > 0.3 and b", b.layout())
	if !cb.CanFollow(kb) {
		t.Fatal("an element-wise condition should be able to follow an element-wise update")
	}
	ka.Run(7, n-3, nil)
	want := ca.Collect(7, n-3, nil, nil)
	got := kb.RunCollect(7, n-3, nil, cb, nil)
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("RunCollect found %d elements, Run then Collect %d", len(got), len(want))
	}
	for name, c := range a.cols {
		if !slices.Equal(c.F, b.cols[name].F) {
			t.Errorf("%s differs", name)
		}
	}
	if c := mustCondition(t, "w > 0.1", b.layout()); c.CanFollow(kb) {
		t.Error("a condition reading through an index array cannot follow")
	}
	if c := mustCondition(t, "rand() < x", b.layout()); c.CanFollow(kb) {
		t.Error("a condition drawing random numbers cannot follow")
	}
}

func mustCondition(t *testing.T, src string, lay Layout) *Condition {
	t.Helper()
	c, err := CompileCondition(mustParse(t, src), lay)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestLinMulFused: a combination with a product as last term computes the
// product itself, and gives the same bits as the two passes.
func TestLinMulFused(t *testing.T) {
	for _, src := range []string{
		"_x = x + p*(c*(tau - x) + y*(s - x) + z*(-0.5 - x))/tau\n_y = y - p*y/tau\n_z = z - p*z/tau\nx = _x\ny = _y\nz = _z",
		"x = 0.5 + 0.25*y + x*(y + z)",
		"x = 0.5 + 0.1*z + x*(y - 2*z)",
	} {
		const n = 1000
		run := func(fused bool) (*Kernel, *world) {
			fuseLinMul = fused
			defer func() { fuseLinMul = true }()
			w := newWorld(9, n)
			lay := w.layout()
			lay.Exact = false
			k := compile(t, src, lay)
			k.Run(0, n, nil)
			return k, w
		}
		kf, wf := run(true)
		ku, wu := run(false)
		if !strings.Contains(kf.String(), " * ") || kf.NumInstructions() >= ku.NumInstructions() {
			t.Errorf("%s: not fused:\n%s", src, kf)
		}
		for name, c := range wf.cols {
			for e, v := range c.F {
				if math.Float64bits(v) != math.Float64bits(wu.cols[name].F[e]) && !(math.IsNaN(v) && math.IsNaN(wu.cols[name].F[e])) {
					t.Fatalf("%s: %s[%d] = %v fused, %v in two passes", src, name, e, v, wu.cols[name].F[e])
				}
			}
		}
	}
}
