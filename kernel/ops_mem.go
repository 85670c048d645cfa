package kernel

import (
	"math"
	"unsafe"
)

// Instructions that move values between columns and slots.

// Dense loads and stores of the chunk's range of a direct column. Float
// columns are mostly bound as views instead; these copy or convert.

func execLoadCopy(f *frame, in *instr) {
	copy(f.slot[in.d], in.col.F[f.lo:f.lo+f.n])
}

func execLoadRangeI(f *frame, in *instr) {
	d := f.slot[in.d]
	src := in.col.I[f.lo : f.lo+len(d)]
	for k := range d {
		d[k] = float64(src[k])
	}
}

func execLoadRangeB(f *frame, in *instr) {
	d := f.slot[in.d]
	src := boolBytes(in.col.B[f.lo : f.lo+len(d)])
	for k := range d {
		d[k] = float64(src[k])
	}
}

// Float32 columns are never views: their chunk is widened into a register
// and rounded back on store, so the arithmetic stays in float64.

func execLoadRangeF32(f *frame, in *instr) {
	d := f.slot[in.d]
	src := in.col.F32[f.lo : f.lo+len(d)]
	for k := range d {
		d[k] = float64(src[k])
	}
}

func execStoreRangeF32(f *frame, in *instr) {
	v := f.slot[in.v[0]][:f.n]
	dst := in.col.F32[f.lo : f.lo+len(v)]
	for k := range v {
		dst[k] = float32(v[k])
	}
}

func execStoreRangeF32S(f *frame, in *instr) {
	x := float32(f.scal[in.s[0]])
	dst := in.col.F32[f.lo : f.lo+f.n]
	for k := range dst {
		dst[k] = x
	}
}

func execStoreRangeI(f *frame, in *instr) {
	v := f.slot[in.v[0]][:f.n]
	dst := in.col.I[f.lo : f.lo+len(v)]
	for k := range v {
		dst[k] = toInt32(v[k])
	}
}

func execStoreRangeIS(f *frame, in *instr) {
	x := toInt32(f.scal[in.s[0]])
	dst := in.col.I[f.lo : f.lo+f.n]
	for k := range dst {
		dst[k] = x
	}
}

func execStoreRangeB(f *frame, in *instr) {
	v := f.slot[in.v[0]][:f.n]
	dst := in.col.B[f.lo : f.lo+len(v)]
	if in.aop == opBool {
		// The value is 0 or 1: its lowest exponent bit is the bool.
		b := boolBytes(dst)
		for k := range v {
			b[k] = uint8(math.Float64bits(v[k]) >> 52 & 1)
		}
		return
	}
	for k := range v {
		dst[k] = v[k] != 0
	}
}

func execStoreRangeBS(f *frame, in *instr) {
	x := f.scal[in.s[0]] != 0
	dst := in.col.B[f.lo : f.lo+f.n]
	for k := range dst {
		dst[k] = x
	}
}

// Gathers read through an index path.

func execGatherF(f *frame, in *instr) {
	d, src := f.slot[in.d], in.col.F
	ix := f.ix[in.path][:len(d)]
	for k := range d {
		d[k] = src[ix[k]]
	}
}

func execGatherF32(f *frame, in *instr) {
	d, src := f.slot[in.d], in.col.F32
	ix := f.ix[in.path][:len(d)]
	for k := range d {
		d[k] = float64(src[ix[k]])
	}
}

func execGatherI(f *frame, in *instr) {
	d, src := f.slot[in.d], in.col.I
	ix := f.ix[in.path][:len(d)]
	for k := range d {
		d[k] = float64(src[ix[k]])
	}
}

func execGatherB(f *frame, in *instr) {
	d, src := f.slot[in.d], in.col.B
	ix := f.ix[in.path][:len(d)]
	for k := range d {
		d[k] = b2f(src[ix[k]])
	}
}

// Scatters write through an index path in element order, so repeated
// indices accumulate: col[ix[k]] aop= value[k]. in.aop is opConst for a
// plain assignment.

func execScatterAssignF(f *frame, in *instr) {
	v, dst := f.slot[in.v[0]][:f.n], in.col.F
	ix := f.ix[in.path][:len(v)]
	for k := range v {
		dst[ix[k]] = v[k]
	}
}

func execScatterAssignFS(f *frame, in *instr) {
	x, dst := f.scal[in.s[0]], in.col.F
	for _, j := range f.ix[in.path][:f.n] {
		dst[j] = x
	}
}

func execScatterAddF(f *frame, in *instr) {
	v, dst := f.slot[in.v[0]][:f.n], in.col.F
	ix := f.ix[in.path][:len(v)]
	for k := range v {
		dst[ix[k]] += v[k]
	}
}

func execScatterAddFS(f *frame, in *instr) {
	x, dst := f.scal[in.s[0]], in.col.F
	ix := f.ix[in.path][:f.n]
	// Four at a time: the loads and stores of different targets overlap
	// (a repeated target is still added to in order).
	k := 0
	for ; k+4 <= len(ix); k += 4 {
		q := ix[k : k+4 : k+4]
		dst[q[0]] += x
		dst[q[1]] += x
		dst[q[2]] += x
		dst[q[3]] += x
	}
	for _, j := range ix[k:] {
		dst[j] += x
	}
}

// execScatterF handles -=, *= and /= on float columns.
func execScatterF(f *frame, in *instr) {
	dst, o := in.col.F, in.aop
	ix := f.ix[in.path][:f.n]
	for k, j := range ix {
		dst[j] = binary(o, dst[j], operandAt(f, in, k))
	}
}

// Scatters into float32 columns add in float64 and round each result,
// as a store would.

func execScatterAssignF32(f *frame, in *instr) {
	v, dst := f.slot[in.v[0]][:f.n], in.col.F32
	ix := f.ix[in.path][:len(v)]
	for k := range v {
		dst[ix[k]] = float32(v[k])
	}
}

func execScatterAssignF32S(f *frame, in *instr) {
	x, dst := float32(f.scal[in.s[0]]), in.col.F32
	for _, j := range f.ix[in.path][:f.n] {
		dst[j] = x
	}
}

func execScatterAddF32(f *frame, in *instr) {
	v, dst := f.slot[in.v[0]][:f.n], in.col.F32
	ix := f.ix[in.path][:len(v)]
	for k := range v {
		dst[ix[k]] = float32(float64(dst[ix[k]]) + v[k])
	}
}

func execScatterAddF32S(f *frame, in *instr) {
	x, dst := f.scal[in.s[0]], in.col.F32
	for _, j := range f.ix[in.path][:f.n] {
		dst[j] = float32(float64(dst[j]) + x)
	}
}

// execScatterF32 handles -=, *= and /= on float32 columns.
func execScatterF32(f *frame, in *instr) {
	dst, o := in.col.F32, in.aop
	for k, j := range f.ix[in.path][:f.n] {
		dst[j] = float32(binary(o, float64(dst[j]), operandAt(f, in, k)))
	}
}

// Scatters of a value read straight from a float32 column (on_pre
// "ge += w" with float32 weights), into float64 and float32 columns.

func execScatterAssignFFromF32(f *frame, in *instr) {
	v, dst := f.slot32[in.v[0]][:f.n], in.col.F
	ix := f.ix[in.path][:len(v)]
	for k := range v {
		dst[ix[k]] = float64(v[k])
	}
}

func execScatterAddFFromF32(f *frame, in *instr) {
	v, dst := f.slot32[in.v[0]][:f.n], in.col.F
	ix := f.ix[in.path][:len(v)]
	for k := range v {
		dst[ix[k]] += float64(v[k])
	}
}

func execScatterAssignF32FromF32(f *frame, in *instr) {
	v, dst := f.slot32[in.v[0]][:f.n], in.col.F32
	ix := f.ix[in.path][:len(v)]
	for k := range v {
		dst[ix[k]] = v[k]
	}
}

// execScatterAddF32FromF32 adds in float32: a float64 sum of two float32
// values rounded to float32 is the float32 sum (float64 has more than
// twice the bits), so the conversions can go.
func execScatterAddF32FromF32(f *frame, in *instr) {
	v, dst := f.slot32[in.v[0]][:f.n], in.col.F32
	ix := f.ix[in.path][:len(v)]
	for k := range v {
		dst[ix[k]] += v[k]
	}
}

// execScatterI and execScatterB handle every assignment to int and bool
// columns, converting like a store.
func execScatterI(f *frame, in *instr) {
	dst, o := in.col.I, in.aop
	for k, j := range f.ix[in.path][:f.n] {
		x := operandAt(f, in, k)
		if o != opConst {
			x = binary(o, float64(dst[j]), x)
		}
		dst[j] = toInt32(x)
	}
}

func execScatterB(f *frame, in *instr) {
	dst, o := in.col.B, in.aop
	for k, j := range f.ix[in.path][:f.n] {
		x := operandAt(f, in, k)
		if o != opConst {
			x = binary(o, b2f(dst[j]), x)
		}
		dst[j] = x != 0
	}
}

// operandAt is the value of a scatter's operand for element k.
func operandAt(f *frame, in *instr, k int) float64 {
	if in.v[0] >= 0 {
		return f.slot[in.v[0]][k]
	}
	return f.scal[in.s[0]]
}

// Prologue loads and stores of parameters and shared variables; the
// prologue's slots are the cells themselves.

func execLoadParam(f *frame, in *instr) { f.scal[in.d] = *in.param }

func execStoreParam(f *frame, in *instr) { *in.param = f.scal[in.s[0]] }

func execLoadShared(f *frame, in *instr) {
	switch c := in.col; {
	case c.I != nil:
		f.scal[in.d] = float64(c.I[0])
	case c.B != nil:
		f.scal[in.d] = b2f(c.B[0])
	case c.F32 != nil:
		f.scal[in.d] = float64(c.F32[0])
	default:
		f.scal[in.d] = c.F[0]
	}
}

func execStoreShared(f *frame, in *instr) {
	x := f.scal[in.s[0]]
	switch c := in.col; {
	case c.I != nil:
		c.I[0] = toInt32(x)
	case c.B != nil:
		c.B[0] = x != 0
	case c.F32 != nil:
		c.F32[0] = float32(x)
	default:
		c.F[0] = x
	}
}

// boolBytes views bools as the bytes 0 and 1 they are stored as, so that
// conversions compile to plain moves instead of flag sets and branches.
func boolBytes(b []bool) []uint8 {
	return unsafe.Slice((*uint8)(unsafe.Pointer(unsafe.SliceData(b))), len(b))
}
