package units

import (
	"math"
	"strconv"
	"strings"
	"sync"
)

// This file prints quantities the way Brian2 does: in the registered unit
// whose mantissa is closest to 10 on a log scale, with the number formatted
// like numpy prints an array element (at most 8 decimals, "16." for 16).

// displayUnit is a unit quantities can be printed in.
type displayUnit struct {
	symbol string
	scale  float64
}

// displayOrder is the order in which Brian2's registry holds the prefixed
// units of one dimension. It decides ties, and for infinite values (where
// every candidate is equally bad) it makes Brian2 print "inf YV".
var displayOrder = []siPrefix{
	{"Y", 24}, {"k", 3}, {"M", 6}, {"z", -21}, {"E", 18}, {"y", -24},
	{"T", 12}, {"u", -6}, {"p", -12}, {"n", -9}, {"m", -3}, {"f", -15},
	{"G", 9}, {"P", 15}, {"Z", 21}, {"a", -18}, {"", 0},
}

// displayFamily is one printable dimension: its candidate units and the
// symbol of its unscaled (scale 1) unit.
type displayFamily struct {
	units []displayUnit
	base  string
	name  string // full name of the unscaled unit, "" where Brian2 has none
}

// displayFamilies maps dimensions to the units used to print them: Brian2's
// standard register (SI symbols with prefixes y..Y except c, d, da, h, and
// their squares and cubes), then its register of compound units (scale 1
// only) for dimensions the standard register lacks.
// It is built on first use: most runs print no quantity.
var displayFamilies = sync.OnceValue(buildDisplayFamilies)

func buildDisplayFamilies() map[Dimension]*displayFamily {
	fams := make(map[Dimension]*displayFamily)
	std := []struct {
		symbol, name string
		dim          Dimension
		exp          int  // scale of the unprefixed symbol is 10**exp
		noPrefix     bool // Brian2 prints kelvin only as K
	}{
		{"m", "metre", Metre, 0, false},
		{"g", "kilogram", Kilogram, -3, false}, // kg is the scale-1 unit
		{"s", "second", Second, 0, false},
		{"A", "amp", Amp, 0, false},
		{"K", "kelvin", Kelvin, 0, true},
		{"mol", "mole", Mole, 0, false},
		{"cd", "candela", Candela, 0, false},
		{"Hz", "hertz", Hertz, 0, false},
		{"N", "newton", Newton, 0, false},
		{"Pa", "pascal", Pascal, 0, false},
		{"J", "joule", Joule, 0, false},
		{"W", "watt", Watt, 0, false},
		{"C", "coulomb", Coulomb, 0, false},
		{"V", "volt", Volt, 0, false},
		{"F", "farad", Farad, 0, false},
		{"ohm", "ohm", Ohm, 0, false},
		{"S", "siemens", Siemens, 0, false},
		{"Wb", "weber", Weber, 0, false},
		{"T", "tesla", Tesla, 0, false},
		{"H", "henry", Henry, 0, false},
		{"lx", "lux", Lux, 0, false},
		{"Gy", "gray", Gray, 0, false},
		{"kat", "katal", Katal, 0, false},
		{"M", "mmolar", Concentration, 3, false}, // mM is the scale-1 unit
	}
	for _, u := range std {
		for p := 1; p <= 3; p++ {
			f := &displayFamily{}
			for _, pre := range displayOrder {
				if u.noPrefix && pre.name != "" {
					continue
				}
				sym := pre.name + u.symbol
				if p > 1 {
					sym += "^" + strconv.Itoa(p)
				}
				scale := pow10(p * (pre.exp + u.exp))
				f.units = append(f.units, displayUnit{sym, scale})
				if scale == 1 {
					f.base = sym
				}
			}
			if p == 1 {
				// Squares and cubes have no name of their own; Brian2
				// writes them as "metre ** 2".
				f.name = u.name
			}
			d := u.dim.Pow(float64(p))
			if _, dup := fams[d]; dup {
				panic("units: two display units for " + d.String())
			}
			fams[d] = f
		}
	}
	compound := []struct {
		symbol string
		dim    Dimension
	}{
		{"Pa s", Pascal.Mul(Second)},
		{"W/(m^2)", Watt.Div(Metre.Pow(2))},
		{"J/K", Joule.Div(Kelvin)},
		{"J/(kg K)", Joule.Div(Kilogram).Div(Kelvin)},
		{"W/(m K)", Watt.Div(Metre).Div(Kelvin)},
		{"V/(m^3)", Volt.Div(Metre.Pow(3))},
		{"C/(m^3)", Coulomb.Div(Metre.Pow(3))},
		{"C/(m^2)", Coulomb.Div(Metre.Pow(2))},
		{"F/m", Farad.Div(Metre)},
		{"H/m", Henry.Div(Metre)},
		{"J/mol", Joule.Div(Mole)},
		{"J/(mol K)", Joule.Div(Mole).Div(Kelvin)},
		{"C/kg", Coulomb.Div(Kilogram)},
		{"Gy/s", Gray.Div(Second)},
		{"kat/(m^3)", Katal.Div(Metre.Pow(3))},
	}
	for _, c := range compound {
		if _, ok := fams[c.dim]; !ok {
			fams[c.dim] = &displayFamily{units: []displayUnit{{c.symbol, 1}}, base: c.symbol}
		}
	}
	return fams
}

// Symbol returns the symbol of the unscaled unit of d, as Brian2 shows it in
// error messages: "V", "kg", "mM", "V^2", "W/(m^2)"; "1" when dimensionless
// and d.String() when no unit has this dimension.
func (d Dimension) Symbol() string {
	if f, ok := displayFamilies()[d]; ok {
		return f.base
	}
	return d.String()
}

// Name returns the name of the SI unit with dimension d ("volt", "siemens",
// "hertz", "kilogram", "mmolar"), "1" when dimensionless, and otherwise
// d.LongString(), e.g. "metre ** 2". It is the unit Brian2 tells users to
// write in unit specifications.
func (d Dimension) Name() string {
	if f, ok := displayFamilies()[d]; ok && f.name != "" {
		return f.name
	}
	return d.LongString()
}

// String prints q the way Brian2 does, e.g. "16. ms", "-65. mV", "2.5 Hz",
// "0. V", "3." (dimensionless) or "2.5 m^2 kg s^-4 A^-1" (no named unit).
func (q Quantity) String() string {
	if q.IsDimensionless() {
		return formatNumber(q.Value)
	}
	f, ok := displayFamilies()[q.Dim]
	if !ok {
		return formatNumber(q.Value) + " " + q.Dim.String()
	}
	u := f.best(q.Value)
	return formatNumber(q.Value/u.scale) + " " + u.symbol
}

// best picks the unit in which |v| is closest to 10 on a log10 scale,
// i.e. the mantissa lies in about [0.316, 316) for prefixes 1000 apart.
// Zero and NaN use the unscaled unit.
func (f *displayFamily) best(v float64) displayUnit {
	a := math.Abs(v)
	if a == 0 || math.IsNaN(a) {
		for _, u := range f.units {
			if u.scale == 1 {
				return u
			}
		}
	}
	bestIdx, bestDev := 0, math.Inf(1)
	for i, u := range f.units {
		// A ratio that underflows to zero counts as a perfect fit, as numpy's
		// nansum makes it in Brian2 (it prints 5e-324 V as "0. YV").
		dev := 0.0
		if r := a / u.scale; r != 0 {
			l := math.Log10(r) - 1
			dev = l * l
		}
		if i == 0 || dev < bestDev {
			bestIdx, bestDev = i, dev
		}
	}
	return f.units[bestIdx]
}

// formatNumber formats x as numpy prints one element of a float array with
// the default precision of 8: shortest round-trip digits but at most 8
// after the point, a trailing "." for whole numbers, and scientific notation
// for magnitudes >= 1e8 or < 1e-4.
func formatNumber(x float64) string {
	switch {
	case math.IsNaN(x):
		return "nan"
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	}
	const precision = 8
	if a := math.Abs(x); a != 0 && (a >= 1e8 || a < 1e-4) {
		s := strconv.FormatFloat(x, 'e', -1, 64)
		mant, exp, _ := strings.Cut(s, "e")
		if _, frac, ok := strings.Cut(mant, "."); ok && len(frac) > precision {
			s = strconv.FormatFloat(x, 'e', precision, 64)
			mant, exp, _ = strings.Cut(s, "e")
			mant = strings.TrimRight(mant, "0")
		}
		if !strings.Contains(mant, ".") {
			mant += "."
		}
		return mant + "e" + exp
	}
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if _, frac, ok := strings.Cut(s, "."); ok && len(frac) > precision {
		// Rounding the exact binary value to 8 decimals (ties to even) is
		// what numpy's Dragon4 does when it cuts digit generation short.
		return strings.TrimRight(strconv.FormatFloat(x, 'f', precision, 64), "0")
	}
	if !strings.Contains(s, ".") {
		s += "."
	}
	return s
}
