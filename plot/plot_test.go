package plot

import (
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	gplot "gonum.org/v1/plot"
)

// decode reads the PNG at path and checks it has a sensible size.
func decode(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	b := img.Bounds()
	if b.Dx() < 400 || b.Dy() < 200 {
		t.Fatalf("%s: image is %dx%d", path, b.Dx(), b.Dy())
	}
	return img
}

// darkInCentre counts dark pixels in the middle of the image, which holds
// only plotted data: titles, labels and ticks lie in the margins.
func darkInCentre(img image.Image) int {
	b := img.Bounds()
	n := 0
	for y := b.Min.Y + b.Dy()/4; y < b.Max.Y-b.Dy()/4; y++ {
		for x := b.Min.X + b.Dx()/4; x < b.Max.X-b.Dx()/8; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r+g+bl < 3*0x8000 {
				n++
			}
		}
	}
	return n
}

// nonWhite counts pixels that are not pure white anywhere in the image.
func nonWhite(img image.Image) int {
	b := img.Bounds()
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r&g&bl != 0xffff {
				n++
			}
		}
	}
	return n
}

func randomSpikes(n, neurons int, dur float64) ([]float64, []int64) {
	rng := rand.New(rand.NewPCG(1, 2))
	t := make([]float64, n)
	i := make([]int64, n)
	for k := range t {
		t[k] = rng.Float64() * dur
		i[k] = rng.Int64N(int64(neurons))
	}
	return t, i
}

func TestRaster(t *testing.T) {
	dir := t.TempDir()
	ts, is := randomSpikes(2000, 100, 0.5)
	cases := []struct {
		name     string
		t        []float64
		i        []int64
		n        int
		wantDots bool
	}{
		{"spikes", ts, is, 100, true},
		{"empty", nil, nil, 100, false},
		{"empty no neurons", nil, nil, 0, false},
		{"single", []float64{0.25}, []int64{0}, 1, false},
		{"equal times", []float64{0.1, 0.1, 0.1}, []int64{0, 1, 2}, 3, false},
		{"index beyond n", []float64{0.1, 0.2}, []int64{3, 7}, 2, false},
		{"non-finite time", []float64{math.NaN(), 0.2}, []int64{0, 1}, 2, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, "raster.png")
			if err := Raster(path, "raster "+c.name, c.t, c.i, c.n); err != nil {
				t.Fatal(err)
			}
			img := decode(t, path)
			if nonWhite(img) == 0 {
				t.Fatal("image is blank")
			}
			dark := darkInCentre(img)
			if c.wantDots && dark < 500 {
				t.Errorf("only %d dark pixels in the data area; spikes not drawn?", dark)
			}
			if len(c.t) == 0 && dark != 0 {
				t.Errorf("%d dark pixels in the data area of an empty raster", dark)
			}
		})
	}
}

func TestRasterMismatch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.png")
	if err := Raster(path, "", []float64{0.1}, nil, 1); err == nil {
		t.Error("no error for 1 time and 0 indices")
	}
}

func TestTraces(t *testing.T) {
	dir := t.TempDir()
	steps := 500
	ts := make([]float64, steps)
	for k := range ts {
		ts[k] = float64(k) * 1e-4
	}
	wave := func(n int, base, amp float64) [][]float64 {
		vs := make([][]float64, n)
		for j := range vs {
			vs[j] = make([]float64, steps)
			for k := range vs[j] {
				vs[j][k] = base + amp*math.Sin(float64(k)/30+float64(j))
			}
		}
		return vs
	}
	cases := []struct {
		name     string
		unit     string
		t        []float64
		values   [][]float64
		labels   []string
		wantUnit string
	}{
		{"volt", "volt", ts, wave(3, -0.065, 0.005), []string{"a", "b", "c"}, "mV"},
		{"amp", "amp", ts, wave(2, 0, 0.3e-9), nil, "pA"},
		{"many", "volt", ts, wave(40, -0.06, 0.01), nil, "mV"},
		{"dimensionless", "1", ts, wave(1, 0.5, 0.5), nil, ""},
		{"compound", "siemens/metre**2", ts, wave(1, 1, 0.5), nil, "siemens/metre**2"},
		{"empty", "volt", nil, nil, nil, "mV"},
		{"no steps", "volt", nil, [][]float64{{}}, nil, "mV"},
		{"single point", "volt", []float64{0}, [][]float64{{-0.07}}, nil, "mV"},
		{"constant", "amp", ts, wave(1, 2e-9, 0), nil, "nA"},
		{"zero", "amp", ts, wave(1, 0, 0), nil, "A"},
		{"nan", "volt", []float64{0, 1e-3, 2e-3}, [][]float64{{-0.07, math.NaN(), -0.06}}, nil, "mV"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, sym := displayUnit(c.unit, c.values); sym != c.wantUnit {
				t.Errorf("display unit %q, want %q", sym, c.wantUnit)
			}
			path := filepath.Join(dir, "traces.png")
			if err := Traces(path, "traces "+c.name, "x", c.unit, c.t, c.values, c.labels); err != nil {
				t.Fatal(err)
			}
			decode(t, path)
		})
	}
}

func TestTracesMismatch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.png")
	if err := Traces(path, "", "v", "volt", []float64{0, 1}, [][]float64{{1}}, nil); err == nil {
		t.Error("no error for a trace shorter than t")
	}
	if err := Traces(path, "", "v", "volt", []float64{0}, [][]float64{{1}}, []string{"a", "b"}); err == nil {
		t.Error("no error for more labels than traces")
	}
}

func TestDisplayUnit(t *testing.T) {
	cases := []struct {
		unit  string
		v     float64
		scale float64
		sym   string
	}{
		{"volt", -0.065, 1e3, "mV"},
		{"volt", 5e-6, 1e3, "mV"},
		{"second", 0.02, 1e3, "ms"},
		{"amp", 1.5e-9, 1e9, "nA"},
		{"amp", 250e-12, 1e12, "pA"},
		{"siemens", 10e-9, 1e9, "nS"},
		{"hertz", 20, 1, "Hz"},
		{"farad", 200e-12, 1e12, "pF"},
		{"kilogram", 2, 1, "kg"},
		{"1", 1e-5, 1, ""},
		{"volt/second", 3, 1, "volt/second"},
	}
	for _, c := range cases {
		scale, sym := displayUnit(c.unit, [][]float64{{c.v}})
		if sym != c.sym || math.Abs(scale/c.scale-1) > 1e-12 {
			t.Errorf("displayUnit(%q, %g) = %g, %q; want %g, %q", c.unit, c.v, scale, sym, c.scale, c.sym)
		}
	}
}

func TestRate(t *testing.T) {
	dir := t.TempDir()
	n := 1000
	ts := make([]float64, n)
	rate := make([]float64, n)
	smooth := make([]float64, n)
	rng := rand.New(rand.NewPCG(3, 4))
	for k := range ts {
		ts[k] = float64(k) * 1e-4
		smooth[k] = 20 + 10*math.Sin(float64(k)/100)
		rate[k] = smooth[k] * 2 * rng.Float64()
	}
	cases := []struct {
		name              string
		t, rate, smoothed []float64
	}{
		{"raw", ts, rate, nil},
		{"smoothed", ts, rate, smooth},
		{"empty", nil, nil, nil},
		{"empty smoothed", []float64{}, []float64{}, []float64{}},
		{"single", []float64{0.1}, []float64{5}, nil},
		{"silent", ts, make([]float64, n), make([]float64, n)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, "rate.png")
			if err := Rate(path, "rate "+c.name, c.t, c.rate, c.smoothed); err != nil {
				t.Fatal(err)
			}
			decode(t, path)
		})
	}
	if err := Rate(filepath.Join(dir, "bad.png"), "", ts, rate, smooth[:3]); err == nil {
		t.Error("no error for a short smoothed rate")
	}
}

func TestRateHistogram(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(5, 6))
	rates := make([]float64, 4000)
	for k := range rates {
		rates[k] = math.Max(0, 10+4*rng.NormFloat64())
	}
	cases := []struct {
		name  string
		rates []float64
	}{
		{"normal", rates},
		{"empty", nil},
		{"single", []float64{3}},
		{"equal", []float64{0, 0, 0, 0}},
		{"non-finite", []float64{1, math.NaN(), math.Inf(1), 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, "hist.png")
			if err := RateHistogram(path, "rates "+c.name, c.rates); err != nil {
				t.Fatal(err)
			}
			decode(t, path)
		})
	}
}

func TestNiceTicks(t *testing.T) {
	labels := func(ts []gplot.Tick) []string {
		var out []string
		for _, t := range ts {
			if t.Label != "" {
				out = append(out, t.Label)
			}
		}
		return out
	}
	cases := []struct {
		lo, hi  float64
		integer bool
		want    []string
	}{
		{0, 1000, false, []string{"0", "200", "400", "600", "800", "1000"}},
		{-70, -50, false, []string{"-70", "-65", "-60", "-55", "-50"}},
		{0, 1, false, []string{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}},
		{-0.5, 4.5, true, []string{"0", "1", "2", "3", "4"}},
		{-0.5, 0.5, true, []string{"0"}},
		{-1, 1, false, []string{"-1.0", "-0.5", "0.0", "0.5", "1.0"}},
	}
	for _, c := range cases {
		got := labels(niceTicks{integer: c.integer}.Ticks(c.lo, c.hi))
		if !slices.Equal(got, c.want) {
			t.Errorf("Ticks(%g, %g, integer=%v) labels %q, want %q", c.lo, c.hi, c.integer, got, c.want)
		}
	}
	if ts := (niceTicks{}).Ticks(1, 1); ts != nil {
		t.Errorf("ticks for an empty range: %v", ts)
	}
}

func TestShorten(t *testing.T) {
	if got := shorten("neuron 12", 20); got != "neuron 12" {
		t.Errorf("short label changed to %q", got)
	}
	if got := shorten("αβγδεζ", 4); got != "αβγ…" {
		t.Errorf("shorten = %q", got)
	}
}

func TestBadPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "r.png")
	if err := Raster(path, "", nil, nil, 0); err == nil {
		t.Error("no error writing into a missing directory")
	}
}

func BenchmarkRaster100k(b *testing.B) {
	ts, is := randomSpikes(100_000, 4000, 1)
	path := filepath.Join(b.TempDir(), "raster.png")
	for b.Loop() {
		if err := Raster(path, "bench", ts, is, 4000); err != nil {
			b.Fatal(err)
		}
	}
}

func TestSweepFigures(t *testing.T) {
	dir := t.TempDir()
	if err := Curve(dir+"/curve.png", "rate against we", "we (mV)", "rate (Hz)", []float64{1, 2, 3}, []float64{5, 9, 20}, []float64{1, 0.5, 2}); err != nil {
		t.Fatal(err)
	}
	z := [][]float64{{1, 2, 3}, {4, math.NaN(), 6}}
	if err := HeatMap(dir+"/heat.png", "rate", "we (mV)", "wi (mV)", "Hz", []float64{1, 2, 3}, []float64{-9, -5}, z); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"curve.png", "heat.png"} {
		if st, err := os.Stat(dir + "/" + f); err != nil || st.Size() < 1000 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if err := Curve(dir+"/bad.png", "", "", "", []float64{1}, nil, nil); err == nil {
		t.Error("mismatched lengths accepted")
	}
}
