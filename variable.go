package soma

import (
	"github.com/soma-sim/soma/expr"
	"github.com/soma-sim/soma/kernel"
	"github.com/soma-sim/soma/units"
)

// Variable is one named column of state of a group: float64 (or float32,
// see Float32), int32 or bool values in SI base units, or a single shared
// value.
type Variable struct {
	Name     string
	Dim      units.Dimension
	Type     expr.Type
	Shared   bool
	Constant bool
	col      *kernel.Column
}

func newVariable(name string, dim units.Dimension, typ expr.Type, size int, shared bool) *Variable {
	if shared {
		size = 1
	}
	col := &kernel.Column{Scalar: shared}
	// Mapped now, while the network is built, and not in the first step
	// (prefault).
	switch typ {
	case expr.Boolean:
		col.B = largeSlice[bool](size)
		prefault(col.B)
	case expr.Integer:
		col.I = largeSlice[int32](size)
		prefault(col.I)
	default:
		col.F = largeSlice[float64](size)
		prefault(col.F)
	}
	return &Variable{Name: name, Dim: dim, Type: typ, Shared: shared, col: col}
}

// Len returns the number of stored values (1 for a shared variable).
func (v *Variable) Len() int {
	switch {
	case v.col.F != nil:
		return len(v.col.F)
	case v.col.F32 != nil:
		return len(v.col.F32)
	case v.col.I != nil:
		return len(v.col.I)
	}
	return len(v.col.B)
}

// At returns element k as a float64 in SI units (booleans as 0 or 1), for
// every kind of variable: shared, linked, float32, integer or boolean.
func (v *Variable) At(k int) float64 { return v.at(k) }

// at returns element k as a float64 (booleans as 0 or 1).
func (v *Variable) at(k int) float64 {
	switch {
	case v.Shared:
		k = 0
	case v.col.Index != nil:
		k = int(v.col.Index[k])
	}
	switch {
	case v.col.F != nil:
		return v.col.F[k]
	case v.col.F32 != nil:
		return float64(v.col.F32[k])
	case v.col.I != nil:
		return float64(v.col.I[k])
	}
	if v.col.B[k] {
		return 1
	}
	return 0
}

// setAt stores x at element k with the variable's type.
func (v *Variable) setAt(k int, x float64) {
	switch {
	case v.Shared:
		k = 0
	case v.col.Index != nil:
		k = int(v.col.Index[k])
	}
	switch {
	case v.col.F != nil:
		v.col.F[k] = x
	case v.col.F32 != nil:
		v.col.F32[k] = float32(x)
	case v.col.I != nil:
		v.col.I[k] = int32(x)
	default:
		v.col.B[k] = x != 0
	}
}

// snapshot copies the values.
func (v *Variable) snapshot() any {
	switch {
	case v.col.F != nil:
		return append([]float64(nil), v.col.F...)
	case v.col.F32 != nil:
		return append([]float32(nil), v.col.F32...)
	case v.col.I != nil:
		return append([]int32(nil), v.col.I...)
	}
	return append([]bool(nil), v.col.B...)
}

func (v *Variable) restore(s any) {
	switch x := s.(type) {
	case []float64:
		copy(v.col.F, x)
	case []float32:
		copy(v.col.F32, x)
	case []int32:
		copy(v.col.I, x)
	case []bool:
		copy(v.col.B, x)
	}
}

func (v *Variable) symbol() expr.Symbol {
	return expr.Symbol{Kind: expr.Variable, Dim: v.Dim, Type: v.Type}
}

// permute moves element k to position pos[k] in a column of total
// elements; new positions are zero. Synapses use it to insert new
// synapses while keeping storage sorted by source neuron.
func (v *Variable) permute(pos []int64, total int) {
	if v.Shared {
		return
	}
	switch {
	case v.col.F32 != nil:
		v.col.F32 = permuted(v.col.F32, pos, total)
	case v.col.F != nil || (v.col.I == nil && v.col.B == nil):
		v.col.F = permuted(v.col.F, pos, total)
	case v.col.I != nil:
		v.col.I = permuted(v.col.I, pos, total)
	default:
		v.col.B = permuted(v.col.B, pos, total)
	}
}

// permuted returns total elements with old[k] at pos[k] and zeros
// elsewhere.
func permuted[T largeNumber](old []T, pos []int64, total int) []T {
	out := largeSlice[T](total)
	for k, p := range pos {
		out[p] = old[k]
	}
	return out
}

// resize truncates or zero-extends a column to n elements.
func (v *Variable) resize(n int) {
	if v.Shared {
		return
	}
	switch {
	case v.col.I != nil:
		v.col.I = append(v.col.I[:min(n, len(v.col.I))], make([]int32, max(0, n-len(v.col.I)))...)
	case v.col.B != nil:
		v.col.B = append(v.col.B[:min(n, len(v.col.B))], make([]bool, max(0, n-len(v.col.B)))...)
	case v.col.F32 != nil:
		v.col.F32 = append(v.col.F32[:min(n, len(v.col.F32))], make([]float32, max(0, n-len(v.col.F32)))...)
	default:
		v.col.F = append(v.col.F[:min(n, len(v.col.F))], make([]float64, max(0, n-len(v.col.F)))...)
	}
}
