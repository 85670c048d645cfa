package soma

import (
	"math"
	"math/rand/v2"
)

// binomial draws variates of the binomial distribution B(n, p) exactly:
// by inversion of the distribution function when n*min(p, 1-p) is small,
// and by Kachitvichyanukul and Schmeiser's BTPE rejection algorithm
// (triangle, parallelograms and exponential tails as the hat; Comm. ACM
// 31, 1988) otherwise. Both sample from the distribution itself, not an
// approximation; only the extreme tail beyond mean + 10 standard
// deviations, whose mass is far below the resolution of a float64
// uniform, is cut off by the inversion's safety bound.
type binomial struct {
	n    int
	p    float64 // the original p
	r    float64 // min(p, 1-p): the algorithms assume r <= 1/2
	flip bool    // p > 1/2: draw n - X with X ~ B(n, 1-p)

	// Inversion through tables of the distribution function: cdf[x] is
	// P(X <= x) and pos[x] is P(1 <= X <= x), up to a bound beyond which
	// the mass is negligible; the guide tables give, for u in
	// [j/len, (j+1)/len), a count at or below the answer to start from.
	cdf, pos           []float64
	guideCDF, guidePos []int32
	p0                 float64 // P(X >= 1), for drawing only the nonzero counts

	// BTPE
	btpe             bool
	m                float64 // the mode
	npq              float64
	p1, p2, p3, p4   float64 // areas of the hat's regions, cumulative
	xm, xl, xr, c    float64
	lambdaL, lambdaR float64
}

// btpeFrom is the mean n*r from which BTPE is used: below it inversion
// needs few iterations, and BTPE's hat is only valid for larger means.
const btpeFrom = 30

func newBinomial(n int, p float64) binomial {
	b := binomial{n: n, p: p}
	if n <= 0 || p <= 0 || p >= 1 {
		return b
	}
	b.r, b.flip = p, false
	if p > 0.5 {
		b.r, b.flip = 1-p, true
	}
	r, q, nf := b.r, 1-b.r, float64(n)
	b.npq = nf * r * q
	if nf*r < btpeFrom {
		b.tables()
		return b
	}
	b.btpe = true
	fm := nf*r + r
	b.m = math.Floor(fm)
	b.p1 = math.Floor(2.195*math.Sqrt(b.npq)-4.6*q) + 0.5
	b.xm = b.m + 0.5
	b.xl = b.xm - b.p1
	b.xr = b.xm + b.p1
	b.c = 0.134 + 20.5/(15.3+b.m)
	a := (fm - b.xl) / (fm - b.xl*r)
	b.lambdaL = a * (1 + a/2)
	a = (b.xr - fm) / (b.xr * q)
	b.lambdaR = a * (1 + a/2)
	b.p2 = b.p1 * (1 + 2*b.c)
	b.p3 = b.p2 + b.c/b.lambdaL
	b.p4 = b.p3 + b.c/b.lambdaR
	return b
}

// draw returns one variate.
func (b *binomial) draw(rng *rand.Rand) int {
	switch {
	case b.n <= 0 || b.p <= 0:
		return 0
	case b.p >= 1:
		return b.n
	}
	var x int
	if b.btpe {
		x = b.drawBTPE(rng)
	} else {
		x = b.invert(b.cdf, b.guideCDF, 1, rng)
	}
	if b.flip {
		return b.n - x
	}
	return x
}

// canSkip reports whether drawPositive may be used: the distribution is
// sampled by inversion without flipping.
func (b *binomial) canSkip() bool {
	return b.n > 0 && b.p > 0 && b.p <= 0.5 && !b.btpe
}

// workPerNeuron is what drawing one neuron's count costs, in kernel
// instructions, as poissonBlock.draw draws it: a count by inversion costs
// about as much as a kernel of 16 instructions, one by BTPE (logarithms,
// a rejection loop) about four times that, and skipping to the nonzero
// counts costs only those.
func (b *binomial) workPerNeuron() float64 {
	switch {
	case b.canSkip() && b.p0 < directAbove:
		return 16*b.p0 + 1
	case b.btpe:
		return 64
	}
	return 16
}

// drawPositive returns a variate conditioned on being at least 1: the
// inversion of P(1 <= X <= x)/P(X >= 1). Callers that first select the
// nonzero counts (with probability p0) use it.
func (b *binomial) drawPositive(rng *rand.Rand) int {
	return b.invert(b.pos, b.guidePos, b.p0, rng)
}

// tables builds the distribution tables for inversion, by the recursion
// pmf(x) = pmf(x-1)*((n+1)/x - 1)*r/(1-r) from pmf(0) = (1-r)^n, up to
// mean + 10 standard deviations, where the remaining mass is far below
// the resolution of a float64 uniform.
func (b *binomial) tables() {
	r, nf := b.r, float64(b.n)
	ratio := r / (1 - r)
	g := ratio * (nf + 1)
	bound := int(math.Min(nf, nf*r+10*math.Sqrt(b.npq+1)))
	b.cdf = make([]float64, bound+1)
	b.pos = make([]float64, bound+1)
	pmf := math.Exp(nf * math.Log1p(-r))
	b.cdf[0] = pmf
	for x := 1; x <= bound; x++ {
		pmf *= g/float64(x) - ratio
		b.cdf[x] = b.cdf[x-1] + pmf
		b.pos[x] = b.pos[x-1] + pmf
	}
	b.p0 = -math.Expm1(nf * math.Log1p(-r))
	b.guideCDF = guide(b.cdf, 1)
	b.guidePos = guide(b.pos, b.p0)
}

// guide returns, for each j of len(table) (at least 16) intervals of
// [0, total), the smallest x whose table value exceeds the interval's
// start, less a margin that keeps the start at or below the answer
// despite rounding.
func guide(table []float64, total float64) []int32 {
	m := max(len(table), 16)
	out := make([]int32, m)
	x := 0
	for j := range out {
		lo := (float64(j)/float64(m) - 1e-9) * total
		for x < len(table)-1 && table[x] <= lo {
			x++
		}
		out[j] = int32(x)
	}
	return out
}

// invert returns the smallest x with u*total < table[x] for a uniform u,
// starting from the guide table's entry for u. In the rare case that u
// lies beyond the table (in the cut-off tail or a rounding gap at its
// end), it draws again.
func (b *binomial) invert(table []float64, guide []int32, total float64, rng *rand.Rand) int {
	last := len(table) - 1
	for {
		v := rng.Float64()
		u := v * total
		j := min(int(v*float64(len(guide))), len(guide)-1)
		x := int(guide[j])
		for x < last && u >= table[x] {
			x++
		}
		if u < table[x] {
			return x
		}
	}
}

// drawBTPE is algorithm BTPE for r <= 1/2 and n*r >= btpeFrom.
func (b *binomial) drawBTPE(rng *rand.Rand) int {
	r, q, nf := b.r, 1-b.r, float64(b.n)
	for {
		u := rng.Float64() * b.p4
		v := rng.Float64()
		var y float64
		switch {
		case u <= b.p1:
			// The triangle: accepted at once.
			return int(math.Floor(b.xm - b.p1*v + u))
		case u <= b.p2:
			// The parallelograms.
			x := b.xl + (u-b.p1)/b.c
			v = v*b.c + 1 - math.Abs(b.m-x+0.5)/b.p1
			if v > 1 {
				continue
			}
			y = math.Floor(x)
		case u <= b.p3:
			// The left exponential tail.
			y = math.Floor(b.xl + math.Log(v)/b.lambdaL)
			if y < 0 {
				continue
			}
			v *= (u - b.p2) * b.lambdaL
		default:
			// The right exponential tail.
			y = math.Floor(b.xr - math.Log(v)/b.lambdaR)
			if y > nf {
				continue
			}
			v *= (u - b.p3) * b.lambdaR
		}
		k := math.Abs(y - b.m)
		if k <= 20 || k >= b.npq/2-1 {
			// Evaluate pmf(y)/pmf(m) by its recursion.
			s := r / q
			a := s * (nf + 1)
			f := 1.0
			if b.m < y {
				for i := b.m + 1; i <= y; i++ {
					f *= a/i - s
				}
			} else if b.m > y {
				for i := y + 1; i <= b.m; i++ {
					f /= a/i - s
				}
			}
			if v <= f {
				return int(y)
			}
			continue
		}
		// Squeeze with bounds on log(pmf(y)/pmf(m)), then the exact test
		// through Stirling's series.
		rho := (k / b.npq) * ((k*(k/3+0.625)+1.0/6)/b.npq + 0.5)
		t := -k * k / (2 * b.npq)
		logV := math.Log(v)
		if logV < t-rho {
			return int(y)
		}
		if logV > t+rho {
			continue
		}
		x1 := y + 1
		f1 := b.m + 1
		z := nf + 1 - b.m
		w := nf - y + 1
		bound := b.xm*math.Log(f1/x1) + (nf-b.m+0.5)*math.Log(z/w) + (y-b.m)*math.Log(w*r/(x1*q)) +
			stirlingTail(f1) + stirlingTail(z) + stirlingTail(x1) + stirlingTail(w)
		if logV <= bound {
			return int(y)
		}
	}
}

// stirlingTail is the correction term of Stirling's series for log(a!)
// used by BTPE's final acceptance test.
func stirlingTail(a float64) float64 {
	a2 := a * a
	return (13860 - (462-(132-(99-140/a2)/a2)/a2)/a2) / a / 166320
}
