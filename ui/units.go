package ui

import (
	"github.com/soma-sim/soma/units"
)

// displayUnit is how values of a dimension are shown: the unit's symbol and
// the factor from SI base units to it.
type displayUnit struct {
	Unit  string  `json:"unit"`
	Scale float64 `json:"scale"`
}

// unitFor returns the display unit of a dimension.
func unitFor(d units.Dimension) displayUnit {
	unit, scale := units.Readable(d)
	return displayUnit{Unit: unit, Scale: scale}
}

// format writes a value as an expression soma reads back ("1.62*mV").
func format(value float64, d units.Dimension) string { return units.FormatExpr(value, d) }

// secondDim is the dimension of time.
var secondDim = units.Dimension{units.Time: 1}
