package units

import (
	"fmt"
	"strconv"
)

// readable lists the units values are shown in (mV, not V).
var readable = []struct{ dim, unit string }{
	{"volt", "mV"}, {"amp", "nA"}, {"siemens", "nS"}, {"second", "ms"},
	{"farad", "pF"}, {"ohm", "Mohm"}, {"metre", "um"}, {"hertz", "Hz"},
	{"molar", "mM"}, {"volt/second", "mV/ms"},
}

// Readable returns the unit that values of a dimension are best shown in
// and the factor from SI base units to it: ("mV", 1000) for volt. Without
// a readable unit it is the SI symbol and 1; "" and 1 when dimensionless.
func Readable(d Dimension) (unit string, scale float64) {
	if d.IsDimensionless() {
		return "", 1
	}
	for _, r := range readable {
		base, err := ParseUnitSpec(r.dim)
		if err != nil || base != d {
			continue
		}
		u, err := ParseQuantity("1*" + r.unit)
		if err != nil || u.Value == 0 {
			continue
		}
		// Rounded so that 1/1e-9 reads 1e9, not 999999999.9999999.
		scale, _ := strconv.ParseFloat(strconv.FormatFloat(1/u.Value, 'g', 12, 64), 64)
		return r.unit, scale
	}
	return d.Symbol(), 1
}

// FormatExpr writes a value of a dimension in its readable unit as an
// expression that soma's parser reads back: "1.62*mV", "20*ms", "4000".
func FormatExpr(value float64, d Dimension) string {
	unit, scale := Readable(d)
	num := strconv.FormatFloat(value*scale, 'g', 6, 64)
	if unit == "" {
		return num
	}
	if _, ok := Lookup(unit); !ok {
		// No unit has this dimension: write it in base units.
		return fmt.Sprintf("%s*(%s)", num, d.Name())
	}
	return num + "*" + unit
}
