package kernel

import (
	"math"
	"math/rand/v2"

	"github.com/soma-sim/soma/expr"
)

// Instructions that are not plain element-wise operators: selects,
// generic function calls, the element index and random draws.

// shape is the operand layout of a binary instruction.
type shape uint8

const (
	shapeVV shape = iota
	shapeVS
	shapeSV
)

func (s shape) String() string { return [...]string{"VV", "VS", "SV"}[s] }

type binKey struct {
	op    op
	shape shape
}

// chainKey lists the steps of a chain; unused steps are opConst.
type chainKey [3]op

// selectExec and selectVSSExec are the loops the lowering uses for
// selects; SIMD variants replace them at init where the CPU allows.
var selectExec, selectVSSExec execFn = execSelect, execSelectVSS

// execSelectVSS picks one of two scalars per element, without a branch:
// masks are often irregular (refractory neurons).
func execSelectVSS(f *frame, in *instr) {
	d := f.slot[in.d]
	c := f.slot[in.v[0]][:len(d)]
	t, e := math.Float64bits(f.scal[in.s[1]]), math.Float64bits(f.scal[in.s[2]])
	for k := range d {
		// c is 0 or 1: its lowest exponent bit makes the mask.
		m := -(math.Float64bits(c[k]) >> 52 & 1)
		d[k] = math.Float64frombits(t&m | e&^m)
	}
}

// execTimestepFastVS is execTimestepVS without a division, unless
// Layout.Exact: the shift by 1e-3*dt keeps results on the time grid away
// from the rounding boundaries, so multiplying by 1/dt gives the same steps.
func execTimestepFastVS(f *frame, in *instr) {
	d := f.slot[in.d]
	a := f.slot[in.v[0]][:len(d)]
	dt := f.scal[in.s[0]]
	shift, inv := 1e-3*dt, 1/dt
	for k := range d {
		d[k] = float64(int64(float64(a[k]+shift) * inv))
	}
}

// execTimestepVS is timestep(t, dt) with a scalar dt, as in Brian's
// refractoriness code.
func execTimestepVS(f *frame, in *instr) {
	d := f.slot[in.d]
	a := f.slot[in.v[0]][:len(d)]
	dt := f.scal[in.s[0]]
	for k := range d {
		d[k] = expr.Timestep(a[k], dt)
	}
}

// execSelect handles selects with vector branches: operand 1 and 2 are
// vectors where in.v says so (v[i] >= 0), else scalars.
func execSelect(f *frame, in *instr) {
	d := f.slot[in.d]
	c := f.slot[in.v[0]][:len(d)]
	var tv, ev []float64
	var ts, es float64
	if in.v[1] >= 0 {
		tv = f.slot[in.v[1]][:len(d)]
	} else {
		ts = f.scal[in.s[1]]
	}
	if in.v[2] >= 0 {
		ev = f.slot[in.v[2]][:len(d)]
	} else {
		es = f.scal[in.s[2]]
	}
	for k := range d {
		t, e := ts, es
		if tv != nil {
			t = tv[k]
		}
		if ev != nil {
			e = ev[k]
		}
		if c[k] != 0 {
			d[k] = t
		} else {
			d[k] = e
		}
	}
}

func execCopy(f *frame, in *instr) {
	copy(f.slot[in.d], f.slot[in.v[0]])
}

func execFill(f *frame, in *instr) {
	d, s := f.slot[in.d], f.scal[in.s[0]]
	for k := range d {
		d[k] = s
	}
}

// execUnaryFunc applies a function without a specialised loop.
func execUnaryFunc(f *frame, in *instr) {
	d, fn := f.slot[in.d], in.f1
	a := f.slot[in.v[0]][:len(d)]
	for k := range d {
		d[k] = fn(a[k])
	}
}

func execBinaryFuncVV(f *frame, in *instr) {
	d, fn := f.slot[in.d], in.f2
	a := f.slot[in.v[0]][:len(d)]
	b := f.slot[in.v[1]][:len(d)]
	for k := range d {
		d[k] = fn(a[k], b[k])
	}
}

func execBinaryFuncVS(f *frame, in *instr) {
	d, fn := f.slot[in.d], in.f2
	a := f.slot[in.v[0]][:len(d)]
	s := f.scal[in.s[0]]
	for k := range d {
		d[k] = fn(a[k], s)
	}
}

func execBinaryFuncSV(f *frame, in *instr) {
	d, fn := f.slot[in.d], in.f2
	s := f.scal[in.s[0]]
	b := f.slot[in.v[0]][:len(d)]
	for k := range d {
		d[k] = fn(s, b[k])
	}
}

// execClipVSS is clip(x, lo, hi) with scalar bounds.
func execClipVSS(f *frame, in *instr) {
	d := f.slot[in.d]
	a := f.slot[in.v[0]][:len(d)]
	lo, hi := f.scal[in.s[1]], f.scal[in.s[2]]
	for k := range d {
		d[k] = min(max(a[k], lo), hi)
	}
}

// execCall calls a function of any arity on any mix of operands.
func execCall(f *frame, in *instr) {
	d, args := f.slot[in.d], f.args[:len(in.args)]
	for k := range d {
		for j, o := range in.args {
			if o.vec {
				args[j] = f.slot[o.loc][k]
			} else {
				args[j] = f.scal[o.loc]
			}
		}
		d[k] = in.fn.call(args)
	}
}

func execIndexDense(f *frame, in *instr) {
	d := f.slot[in.d]
	base := f.lo + f.off
	for k := range d {
		d[k] = float64(base + k)
	}
}

func execIndexIndices(f *frame, in *instr) {
	d := f.slot[in.d]
	idx := f.ix[0][:len(d)]
	for k := range d {
		d[k] = float64(int(idx[k]) + f.off)
	}
}

// drawSite is one random call of the statements: its destination slot and,
// for poisson with a scalar mean, the cell of the mean.
type drawSite struct {
	op   op
	slot int32
	mean int32
}

// execDraw draws every random number of the chunk, element by element and
// call by call within an element, so the stream does not depend on how the
// elements are split into chunks.
func execDraw(f *frame, in *instr) {
	rng := f.rng
	if rng == nil {
		panic("kernel: the statements call rand, randn or poisson, but no RNG was given")
	}
	er, perElement := rng.(ElementRNG)
	if len(in.sites) == 1 && in.sites[0].op != opPoisson {
		d, normal := f.slot[in.sites[0].slot][:f.n], in.sites[0].op == opRandn
		switch {
		case !perElement:
			drawOne(d, normal, rng)
		case f.dense:
			er.Fill(d, f.lo, nil, normal)
		default:
			er.Fill(d, 0, f.ix[0][:f.n], normal)
		}
		return
	}
	var ps [4]poissonSampler
	for i, s := range in.sites {
		if s.op == opPoisson && i < len(ps) {
			ps[i].init(f.scal[s.mean])
		}
	}
	for k := range f.n {
		if perElement {
			if f.dense {
				er.Element(f.lo + k)
			} else {
				er.Element(int(f.ix[0][k]))
			}
		}
		for i, s := range in.sites {
			var x float64
			switch s.op {
			case opRand:
				x = rng.Float64()
			case opRandn:
				x = rng.NormFloat64()
			default:
				if i < len(ps) {
					x = ps[i].draw(rng)
				} else {
					x = poisson(f.scal[s.mean], rng)
				}
			}
			f.slot[s.slot][k] = x
		}
	}
}

// drawOne fills d with uniform or normal numbers, calling the usual
// generator directly rather than through the interface.
func drawOne(d []float64, normal bool, rng RNG) {
	r, ok := rng.(*rand.Rand)
	switch {
	case ok && normal:
		for k := range d {
			d[k] = r.NormFloat64()
		}
	case ok:
		for k := range d {
			d[k] = r.Float64()
		}
	case normal:
		for k := range d {
			d[k] = rng.NormFloat64()
		}
	default:
		for k := range d {
			d[k] = rng.Float64()
		}
	}
}

// execPoisson draws with a mean that differs between elements.
func execPoisson(f *frame, in *instr) {
	if f.rng == nil {
		panic("kernel: the statements call poisson, but no RNG was given")
	}
	d := f.slot[in.d]
	m := f.slot[in.v[0]][:len(d)]
	for k := range d {
		d[k] = poisson(m[k], f.rng)
	}
}

// execCollectNonzero collects the elements where a vector is true.
func execCollectNonzero(f *frame, in *instr) {
	a := f.slot[in.v[0]][:f.n]
	out, base := f.coll, int32(f.lo)
	for k := range a {
		if a[k] != 0 {
			out = append(out, base+int32(k))
		}
	}
	f.coll = out
}
