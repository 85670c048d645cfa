package soma

import (
	"fmt"
	"math"

	"github.com/soma-sim/soma/expr"
	"github.com/soma-sim/soma/units"
)

// TimedArray is a function of time (and optionally of the neuron index)
// given by sampled values, like Brian2's TimedArray. Put it in a Namespace
// and call it from equations or code: "I = stimulus(t) : amp" or, for a
// 2-D array, "stimulus(t, i)". Values before the first sample take the
// first, after the last the last.
type TimedArray struct {
	values [][]float64 // values[step][neuron]; one column for a 1-D array
	dt     float64
	unit   units.Dimension
	twoD   bool
}

// NewTimedArray returns a 1-D TimedArray: values[k] (SI units, with the
// given dimension) holds from k*dt to (k+1)*dt.
func NewTimedArray(values []float64, dt float64, unit units.Dimension) (*TimedArray, error) {
	rows := make([][]float64, len(values))
	for k, v := range values {
		rows[k] = []float64{v}
	}
	return newTimedArray(rows, dt, unit, false)
}

// NewTimedArray2D returns a TimedArray of time and neuron index:
// values[k][i] holds for neuron i from k*dt to (k+1)*dt.
func NewTimedArray2D(values [][]float64, dt float64, unit units.Dimension) (*TimedArray, error) {
	return newTimedArray(values, dt, unit, true)
}

func newTimedArray(rows [][]float64, dt float64, unit units.Dimension, twoD bool) (*TimedArray, error) {
	if len(rows) == 0 {
		return nil, fmt.Errorf("a TimedArray needs at least one value")
	}
	if !(dt > 0) {
		return nil, fmt.Errorf("a TimedArray needs a positive dt, got %g", dt)
	}
	for k, r := range rows {
		if len(r) != len(rows[0]) || len(r) == 0 {
			return nil, fmt.Errorf("row %d of the TimedArray has %d values, row 0 has %d", k, len(r), len(rows[0]))
		}
	}
	return &TimedArray{values: rows, dt: dt, unit: unit, twoD: twoD}, nil
}

// function returns the TimedArray as a function of the model language for
// code running with time step groupDT. As in Brian2, time is mapped to a
// sample with a tolerance finer than both time steps, so that t exactly on
// a sample boundary (up to rounding) picks the new sample.
func (ta *TimedArray) function(name string, groupDT float64) *expr.Function {
	k := 1.0
	if groupDT > 0 {
		k = math.Max(math.Pow(2, math.Ceil(math.Log2(8/groupDT*ta.dt))), 1)
	}
	eps := ta.dt / k
	rows := len(ta.values)
	step := func(t float64) int {
		s := int((t/eps + 0.5) / k)
		return min(max(s, 0), rows-1)
	}
	f := &expr.Function{Name: name, Deterministic: true, Result: expr.FixedResult, ResultUnit: ta.unit, Type: expr.Float}
	f.ConstantOverDT = func(dt float64) bool {
		r := ta.dt / dt
		return r >= 1-1e-9 && math.Abs(r-math.Round(r)) < 1e-9
	}
	if ta.twoD {
		cols := len(ta.values[0])
		f.NArgs = 2
		f.Args = []expr.ArgRule{expr.TimeArg, expr.DimensionlessArg}
		f.Eval = func(args []float64) float64 {
			i := int(args[1])
			if i < 0 || i >= cols {
				return math.NaN()
			}
			return ta.values[step(args[0])][i]
		}
		return f
	}
	f.NArgs = 1
	f.Args = []expr.ArgRule{expr.TimeArg}
	f.Eval = func(args []float64) float64 { return ta.values[step(args[0])][0] }
	return f
}
