package kernel

import (
	"math"
	"math/big"

	"github.com/soma-sim/soma/expr"
)

// expSlice sets d[k] = exp(a[k]) for vector loops when Layout.Exact is
// not set: several times faster than math.Exp, faithfully rounded and
// almost always correctly rounded (math.Exp on amd64 is off by up to two
// ulps for large arguments and overflows from 709.4 on).
//
// x = (64e + j)*ln2/64 + r with |r| <= ln2/128, so
// exp(x) = 2^e * 2^(j/64) * exp(r). 2^(j/64) comes from a table kept to
// twice float64 precision, and exp(r) - 1 from its Taylor polynomial of
// degree 5, whose truncation error is below 2^-57.
//
// d and a must be the same slice or not overlap. Where expSIMD is set
// (amd64 with AVX2), groups of four elements go through an assembly
// version that gives the same bits as expSliceGo.
func expSlice(d, a []float64) {
	a = a[:len(d)]
	if expSIMD {
		expSliceSIMD(d, a)
		return
	}
	expSliceGo(d, a)
}

// expSliceSIMD is expSlice with expAVX2: groups of four that expAVX2 does
// not take, and the last len(d)%4 elements, go to expSliceGo.
func expSliceSIMD(d, a []float64) {
	for len(d) >= 4 {
		n := expAVX2(d, a)
		d, a = d[n:], a[n:]
		if len(d) < 4 {
			break
		}
		expSliceGo(d[:4], a[:4])
		d, a = d[4:], a[4:]
	}
	expSliceGo(d, a)
}

// expSliceGo is expSlice in Go, and the definition of its results: the
// assembly repeats its operations in the same order, without fused
// multiply-adds. The body is written out in the loop because the
// compiler would not inline it.
func expSliceGo(d, a []float64) {
	const shift = 0x1.8p52 // adding it rounds to an integer
	a = a[:len(d)]
	for i, x := range a {
		if !(x > -707 && x < 709.79) {
			d[i] = math.Exp(x) // NaN, infinities, overflow and results near underflow
			continue
		}
		kf := float64(float64(x*expInvStep)+shift) - shift
		r := float64(x-float64(kf*expStepHi)) - float64(kf*expStepLo)
		k := int64(kf)
		t := &expTable[k&63]
		p := r + float64(float64(r*r)*float64(0.5+float64(r*float64(1.0/6+float64(r*float64(1.0/24+float64(r*(1.0/120))))))))
		y := math.Float64bits(t.hi + float64(float64(t.hi*p)+t.lo))
		// y is in [0.99, 2.02); scaling by 2^e stays normal for these x,
		// except near overflow, where it is done in two exact steps.
		if e := k >> 6; e < 1000 {
			d[i] = math.Float64frombits(y + uint64(e)<<52)
		} else {
			d[i] = math.Float64frombits(y+uint64(e-1)<<52) * 2
		}
	}
}

// expInvStep is 64/ln2; expStepHi + expStepLo is ln2/64, with expStepHi
// short enough that kf*expStepHi is exact for every k used.
var (
	expInvStep           float64
	expStepHi, expStepLo float64
	expTable             [64]struct{ hi, lo float64 }
)

// ln2 to 60 digits.
const ln2Digits = "0.693147180559945309417232121458176568075500134360255254120680"

func init() {
	const prec = 256
	ln2, _, err := big.ParseFloat(ln2Digits, 10, prec, big.ToNearestEven)
	if err != nil {
		panic(err)
	}
	step := new(big.Float).SetPrec(prec).Quo(ln2, big.NewFloat(64))
	s, _ := step.Float64()
	expStepHi = math.Float64frombits(math.Float64bits(s) &^ (1<<24 - 1))
	expStepLo, _ = new(big.Float).SetPrec(prec).Sub(step, big.NewFloat(expStepHi)).Float64()
	expInvStep, _ = new(big.Float).SetPrec(prec).Quo(big.NewFloat(64), ln2).Float64()

	// 2^(1/64) by six square roots of 2, then its powers.
	root := new(big.Float).SetPrec(prec).SetInt64(2)
	for range 6 {
		root.Sqrt(root)
	}
	p := new(big.Float).SetPrec(prec).SetInt64(1)
	for j := range expTable {
		hi, _ := p.Float64()
		lo, _ := new(big.Float).SetPrec(prec).Sub(p, big.NewFloat(hi)).Float64()
		expTable[j].hi, expTable[j].lo = hi, lo
		p.Mul(p, root)
	}
}

func execFastExp(f *frame, in *instr) {
	expSlice(f.slot[in.d], f.slot[in.v[0]])
}

// execFastExprel computes exprel(x) = (exp(x) - 1)/x from the fast
// exponential where that is accurate, |x| >= 0.5 (where exp(x) - 1 loses at
// most a few ulps), and with expm1 near zero, where the difference would
// cancel. The Hodgkin-Huxley rate functions are written with exprel.
func execFastExprel(f *frame, in *instr) {
	d := f.slot[in.d]
	a := f.slot[in.v[0]][:len(d)]
	var buf [chunk]float64
	if len(d) > 0 && &d[0] == &a[0] && len(a) <= chunk {
		// In place: keep the arguments, exp(x) overwrites them.
		a = buf[:copy(buf[:], a)]
	} else if len(d) > 0 && &d[0] == &a[0] {
		for i, x := range a {
			d[i] = expr.Exprel(x)
		}
		return
	}
	expSlice(d, a)
	for i, x := range a {
		if x > -0.5 && x < 0.5 {
			d[i] = expr.Exprel(x)
			continue
		}
		d[i] = (d[i] - 1) / x
	}
}
