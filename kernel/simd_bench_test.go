//go:build amd64 && !purego

package kernel

import (
	"math/rand/v2"
	"testing"
)

// Reproduce with:
//
//	go test ./kernel/ -run '^$' -bench 'SIMD' -count 5
//
// BenchmarkSIMDOps times each loop on one chunk of elements (ChunkSize), Go and
// AVX2; BenchmarkSIMDKernels runs benchmarks of bench_test.go with the
// AVX2 loops off and on.

func BenchmarkSIMDOps(b *testing.B) {
	if !haveSIMD {
		b.Skip("no AVX2")
	}
	for _, v := range simdVariants {
		for _, impl := range []struct {
			name string
			exec execFn
		}{{"go", v.goExec}, {"avx2", v.avx2}} {
			b.Run(v.name+"/"+impl.name, func(b *testing.B) {
				b.Cleanup(func() { useSIMD = haveSIMD })
				useSIMD = true
				f, in := simdBenchFrame(v)
				coll := f.coll
				for b.Loop() {
					f.coll = coll
					impl.exec(f, in)
				}
				b.SetBytes(chunk * 8)
			})
		}
	}
}

// simdBenchFrame builds the operands of v for one chunk of ordinary
// values, uniform in [0, 1); collects compare with 0.996, so that about
// one element in 250 is collected, as in the spiking benchmarks.
func simdBenchFrame(v simdVariant) (*frame, *instr) {
	r := rand.New(rand.NewPCG(1, 2))
	f := &frame{n: chunk, coll: make([]int32, 0, chunk)}
	in := &instr{}
	for j := range 1 + v.form.vecs() {
		s := make([]float64, chunk)
		for k := range s {
			s[k] = r.Float64()
		}
		f.slot = append(f.slot, s)
		if j > 0 {
			in.v[j-1] = int32(j)
		}
	}
	f.scal = []float64{0.996, 0.5, 0.25, 0.125, 0.0625}
	for j := range in.s {
		in.s[j] = int32(j % len(f.scal))
	}
	if v.form.kind == simdCollectBool {
		bs := make([]bool, chunk)
		for k := range bs {
			bs[k] = true
		}
		in.col = &Column{B: bs}
	}
	return f, in
}

// BenchmarkSIMDKernels runs whole-kernel benchmarks with the AVX2 loops
// off and on.
func BenchmarkSIMDKernels(b *testing.B) {
	if !haveSIMD {
		b.Skip("no AVX2")
	}
	for _, bench := range []struct {
		name string
		fn   func(*testing.B)
	}{
		{"ExactLIF", BenchmarkExactLIF},
		{"ExactLIFUpdate", BenchmarkExactLIFUpdate},
		{"Threshold", BenchmarkThreshold},
		{"RefractoryLIF", BenchmarkRefractoryLIF},
		{"EulerCUBA", BenchmarkEulerCUBA},
		{"EulerCUBAExact", BenchmarkEulerCUBAExact},
	} {
		for _, on := range []bool{false, true} {
			name := bench.name + "/go"
			if on {
				name = bench.name + "/avx2"
			}
			b.Run(name, func(b *testing.B) {
				b.Cleanup(func() { useSIMD = haveSIMD })
				useSIMD = on
				bench.fn(b)
			})
		}
	}
}
