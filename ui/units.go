package ui

import (
	"fmt"
	"strconv"

	"github.com/soma-sim/soma/units"
)

// displayUnit is how values of a dimension are shown: the unit's symbol and
// the factor from SI base units to it.
type displayUnit struct {
	Unit  string  `json:"unit"`
	Scale float64 `json:"scale"`
}

// readable lists the units neuroscientists read values in (mV, not V).
var readable = []struct{ dim, unit string }{
	{"volt", "mV"}, {"amp", "nA"}, {"siemens", "nS"}, {"second", "ms"},
	{"farad", "pF"}, {"ohm", "Mohm"}, {"metre", "um"}, {"hertz", "Hz"},
	{"molar", "mM"}, {"volt/second", "mV/ms"},
}

// unitFor returns the display unit of a dimension: a readable one when
// known, else the SI symbol with factor 1.
func unitFor(d units.Dimension) displayUnit {
	if d.IsDimensionless() {
		return displayUnit{Unit: "", Scale: 1}
	}
	for _, r := range readable {
		base, err := parseDim(r.dim)
		if err != nil || base != d {
			continue
		}
		u, err := units.ParseQuantity("1*" + r.unit)
		if err != nil || u.Value == 0 {
			continue
		}
		// Rounded so that 1/1e-9 shows as 1e9, not 999999999.9999999.
		scale, _ := strconv.ParseFloat(strconv.FormatFloat(1/u.Value, 'g', 12, 64), 64)
		return displayUnit{Unit: r.unit, Scale: scale}
	}
	return displayUnit{Unit: d.Symbol(), Scale: 1}
}

func parseDim(spec string) (units.Dimension, error) { return units.ParseUnitSpec(spec) }

// format writes a value in its display unit as an expression that soma's
// parser reads back: "1.62*mV", "20*ms", "4000".
func format(value float64, d units.Dimension) string {
	u := unitFor(d)
	num := strconv.FormatFloat(value*u.Scale, 'g', 6, 64)
	if u.Unit == "" {
		return num
	}
	if u.Scale == 1 && d.Symbol() == u.Unit && !isUnitName(u.Unit) {
		// No unit has this dimension: write it in base units.
		return fmt.Sprintf("%s*(%s)", num, d.Name())
	}
	return num + "*" + u.Unit
}

func isUnitName(s string) bool {
	_, ok := units.Lookup(s)
	return ok
}

// secondDim is the dimension of time.
var secondDim = func() units.Dimension {
	d, err := units.ParseUnitSpec("second")
	if err != nil {
		panic(err)
	}
	return d
}()
