package kernel

import (
	"fmt"
	"unsafe"

	"github.com/soma-sim/soma/expr"
)

// Column is one variable's storage. Exactly one of F, F32, I, B is non-nil
// (float64, float32, int32 and bool columns); a column with none set counts
// as an empty float64 column. Kernels compute in float64 whatever the
// storage: float32 values are widened when read and rounded when stored.
//
// Scalar columns (shared variables) have length 1 and are broadcast.
//
// Index, when non-nil, makes the column indirect: element k of the loop
// reads and writes col[Index[k]] (v_post is the post group's v indexed by
// the synapses' target array).
//
// Compile keeps the *Column, and each Run reads its slices afresh, so the
// slices may be reallocated (grown) between runs. Aliasing between columns
// (two columns over the same storage, or sharing one Index array) is
// analysed at Compile time and must stay as it was then.
type Column struct {
	F      []float64
	F32    []float32
	I      []int32
	B      []bool
	Scalar bool
	Index  []int32
}

// Layout tells the compiler what each name means.
type Layout struct {
	Columns map[string]*Column  // per-element (or Scalar) state
	Consts  map[string]float64  // values folded at compile time (SI units)
	Params  map[string]*float64 // scalars read at each Run (t, dt, changeable parameters)
	// Funcs are deterministic functions beyond the built-in ones (a
	// TimedArray, say), called through their Eval.
	Funcs map[string]*expr.Function
	// IndexName is the name of the element index, usually "i"; it reads as
	// element + IndexOffset. Empty means no index name.
	IndexName   string
	IndexOffset int
	// Exact evaluates floating point exactly as written. Otherwise the
	// compiler may reassociate, as Brian's C++ targets do with -ffast-math:
	// sums of vectors times scalars become one linear combination with
	// precomputed coefficients (dt*(El - v)/tau + v becomes
	// c0 + c1*v), x/c becomes x*(1/c), exp and timestep use faster
	// loops. Results then differ in the last bits, and may differ where
	// infinities cancel (Inf - Inf is NaN as written; merged terms can
	// give an infinity).
	Exact bool
}

// RNG is the source of random numbers; *math/rand/v2.Rand satisfies it.
type RNG interface {
	Float64() float64
	NormFloat64() float64
}

// ElementRNG is an RNG that draws each element's numbers from a stream of
// its own: the kernels call Element with the element's index (lo..hi-1 of
// Eval, or the index listed to EvalIndices) before they draw its numbers.
type ElementRNG interface {
	RNG
	Element(k int)
	// Fill draws one uniform (normal: standard normal) number for each
	// element of a chunk into d: elements lo..lo+len(d)-1, or idx when it
	// is not nil. It is Element and Float64 (NormFloat64) for each.
	Fill(d []float64, lo int, idx []int32, normal bool)
}

// colType is the element type of a column.
type colType uint8

const (
	colF colType = iota
	colI
	colB
	colF32
)

func (t colType) String() string {
	return [...]string{"float", "int", "bool", "float32"}[t]
}

func columnType(name string, c *Column) (colType, error) {
	n, t := 0, colF
	if c.F != nil {
		n++
	}
	if c.I != nil {
		n, t = n+1, colI
	}
	if c.B != nil {
		n, t = n+1, colB
	}
	if c.F32 != nil {
		n, t = n+1, colF32
	}
	if n > 1 {
		return 0, fmt.Errorf("column %q has more than one of F, F32, I, B set", name)
	}
	if c.Scalar && c.Index != nil {
		return 0, fmt.Errorf("column %q is scalar and indirect at once", name)
	}
	return t, nil
}

// storageKey identifies the memory behind a column so that aliases (two
// names over one array) are recognised. Slices without capacity have no
// memory of their own and are told apart by their column.
func storageKey(c *Column) any {
	switch {
	case cap(c.F) > 0:
		return unsafe.SliceData(c.F)
	case cap(c.I) > 0:
		return unsafe.SliceData(c.I)
	case cap(c.B) > 0:
		return unsafe.SliceData(c.B)
	case cap(c.F32) > 0:
		return unsafe.SliceData(c.F32)
	}
	return c
}

// indexKey identifies an Index array in the same way.
func indexKey(c *Column) any {
	if cap(c.Index) > 0 {
		return unsafe.SliceData(c.Index)
	}
	return c
}
