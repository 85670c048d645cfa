package soma

import "github.com/soma-sim/soma/expr"

// Float32 stores the float variables of a NeuronGroup or Synapses in
// single precision: half the memory (8 bytes per synapse with a float32
// weight: its int32 target and the weight) and half the memory traffic
// per step. Arithmetic stays float64, as in Brian2 where t and dt are
// always double: values are widened when read and rounded when stored.
//
// Per-synapse delays are float32 too, as in Brian2 with a float32 default
// dtype; spike and update times (lastspike, lastupdate), shared variables
// and variables added later with NewVector stay float64.
// Float64s is nil for a float32 variable; Float32s gives its values, and
// Values converts them.
func Float32() Option {
	return option{"Float32", []string{kindNeurons, "Synapses"}, func(c *config) { c.float32 = true }}
}

// Float32s returns the values of a variable stored in single precision
// (see Float32): the state itself, not a copy, in SI units. It is nil for
// other variables and for linked variables read through an index.
func (v *Variable) Float32s() []float32 {
	if v.col == nil || v.col.Index != nil {
		return nil
	}
	return v.col.F32
}

// useFloat32 moves the per-element float variables among vars to float32
// storage when the configuration asks for it.
func useFloat32(c *config, vars map[string]*Variable) {
	if !c.float32 {
		return
	}
	for _, v := range vars {
		toFloat32(v)
	}
}

// toFloat32 moves one per-element float variable to float32 storage.
func toFloat32(v *Variable) {
	if v.col == nil || v.Shared || v.Type != expr.Float || v.col.F == nil || v.col.Index != nil {
		return
	}
	f := make([]float32, len(v.col.F))
	for k, x := range v.col.F {
		f[k] = float32(x)
	}
	v.col.F, v.col.F32 = nil, f
}
