package units

import (
	"fmt"
	"sort"
	"strconv"
)

// Dimensions of the named SI units, for building quantities and for checking
// the dimensions of expressions (for example New(-65e-3, Volt)).
var (
	Metre    = Dimension{Length: 1}
	Kilogram = Dimension{Mass: 1}
	Second   = Dimension{Time: 1}
	Amp      = Dimension{Current: 1}
	Kelvin   = Dimension{Temperature: 1}
	Mole     = Dimension{Amount: 1}
	Candela  = Dimension{Luminosity: 1}

	Hertz   = Second.Pow(-1)
	Newton  = Kilogram.Mul(Metre).Div(Second.Pow(2))
	Pascal  = Newton.Div(Metre.Pow(2))
	Joule   = Newton.Mul(Metre)
	Watt    = Joule.Div(Second)
	Coulomb = Amp.Mul(Second)
	Volt    = Watt.Div(Amp)
	Farad   = Coulomb.Div(Volt)
	Ohm     = Volt.Div(Amp)
	Siemens = Amp.Div(Volt)
	Weber   = Volt.Mul(Second)
	Tesla   = Weber.Div(Metre.Pow(2))
	Henry   = Weber.Div(Amp)
	Lux     = Candela.Div(Metre.Pow(2))
	Gray    = Joule.Div(Kilogram)
	Katal   = Mole.Div(Second)

	// Concentration is the dimension of molar (mol/m^3).
	Concentration = Mole.Div(Metre.Pow(3))
)

// siPrefix is one SI prefix: its spelling in unit names and its power of ten.
type siPrefix struct {
	name string
	exp  int
}

// siPrefixes are all SI prefixes Brian2 knows, yocto to yotta, including the
// rarely used centi, deci, deca and hecto.
var siPrefixes = []siPrefix{
	{"y", -24}, {"z", -21}, {"a", -18}, {"f", -15}, {"p", -12}, {"n", -9},
	{"u", -6}, {"m", -3}, {"c", -2}, {"d", -1}, {"da", 1}, {"h", 2},
	{"k", 3}, {"M", 6}, {"G", 9}, {"T", 12}, {"P", 15}, {"E", 18},
	{"Z", 21}, {"Y", 24},
}

// namedUnit describes a family of unit names: the unit itself, every SI
// prefix on it (unless noPrefix) and the squared and cubed forms of all of
// these (name + "2", name + "3").
type namedUnit struct {
	name     string
	dim      Dimension
	exp      int // scale of the unprefixed unit is 10**exp in SI base units
	noPrefix bool
}

// namedUnits follows Brian2's allunits module. Three families deviate from
// it on purpose: "candela" is accepted next to Brian's "candle", kelvin takes
// prefixes, and liter/litre have squared and cubed forms. Each only adds
// names; none changes the meaning of a name Brian2 defines.
var namedUnits = []namedUnit{
	{name: "metre", dim: Metre},
	{name: "meter", dim: Metre},
	// Prefixes go on gram (kgram is the kilogram); kilogram itself only has
	// its squared and cubed forms, as in Brian2.
	{name: "kilogram", dim: Kilogram, noPrefix: true},
	{name: "kilogramme", dim: Kilogram, noPrefix: true},
	{name: "gram", dim: Kilogram, exp: -3},
	{name: "gramme", dim: Kilogram, exp: -3},
	{name: "second", dim: Second},
	{name: "amp", dim: Amp},
	{name: "ampere", dim: Amp},
	{name: "kelvin", dim: Kelvin},
	{name: "mole", dim: Mole},
	{name: "mol", dim: Mole},
	{name: "candle", dim: Candela},
	{name: "candela", dim: Candela},
	{name: "radian", dim: Dimensionless},
	{name: "steradian", dim: Dimensionless},
	{name: "hertz", dim: Hertz},
	{name: "becquerel", dim: Hertz},
	{name: "newton", dim: Newton},
	{name: "pascal", dim: Pascal},
	{name: "joule", dim: Joule},
	{name: "watt", dim: Watt},
	{name: "coulomb", dim: Coulomb},
	{name: "volt", dim: Volt},
	{name: "farad", dim: Farad},
	{name: "ohm", dim: Ohm},
	{name: "siemens", dim: Siemens},
	{name: "weber", dim: Weber},
	{name: "tesla", dim: Tesla},
	{name: "henry", dim: Henry},
	{name: "lumen", dim: Candela}, // steradians are dimensionless
	{name: "lux", dim: Lux},
	{name: "gray", dim: Gray},
	{name: "sievert", dim: Gray},
	{name: "katal", dim: Katal},
	{name: "liter", dim: Metre.Pow(3), exp: -3},
	{name: "litre", dim: Metre.Pow(3), exp: -3},
	// Brian2 keeps concentrations in mmolar (= mol/m^3), so molar is 1000.
	{name: "molar", dim: Concentration, exp: 3},
}

// shortUnits are Brian2's stdunits abbreviations, as power-of-ten exponent
// and dimension. Only these exist: there are no one-letter names such as V
// or S, and no squared forms beyond the listed ones.
var shortUnits = map[string]struct {
	exp int
	dim Dimension
}{
	"mV": {-3, Volt}, "mA": {-3, Amp}, "uA": {-6, Amp}, "nA": {-9, Amp},
	"pA": {-12, Amp}, "pF": {-12, Farad}, "uF": {-6, Farad}, "nF": {-9, Farad},
	"nS": {-9, Siemens}, "uS": {-6, Siemens}, "mS": {-3, Siemens},
	"ms": {-3, Second}, "us": {-6, Second},
	"Hz": {0, Hertz}, "kHz": {3, Hertz}, "MHz": {6, Hertz},
	"cm": {-2, Metre}, "cm2": {-4, Metre.Pow(2)}, "cm3": {-6, Metre.Pow(3)},
	"mm": {-3, Metre}, "mm2": {-6, Metre.Pow(2)}, "mm3": {-9, Metre.Pow(3)},
	"um": {-6, Metre}, "um2": {-12, Metre.Pow(2)}, "um3": {-18, Metre.Pow(3)},
	"mM": {0, Concentration}, "uM": {-3, Concentration}, "nM": {-6, Concentration},
}

// registryEntry is one unit name.
type registryEntry struct {
	unit Quantity
	// power is true for the generated squared/cubed names (metre2, umetre3,
	// cm2), which Brian2 never accepts as base units in unit specifications.
	power bool
}

// registry maps every unit name to its unit; built once at package
// initialisation and read-only afterwards, so safe for concurrent use.
var registry = buildRegistry()

func buildRegistry() map[string]registryEntry {
	r := make(map[string]registryEntry, 2500)
	add := func(name string, exp int, d Dimension, power bool) {
		e := registryEntry{Quantity{pow10(exp), d}, power}
		if old, ok := r[name]; ok && old != e {
			// Two spellings colliding would silently change a unit; this is
			// a bug in the tables above, caught by the package tests.
			panic(fmt.Sprintf("units: name %q defined twice", name))
		}
		r[name] = e
	}
	addPowers := func(name string, exp int, d Dimension) {
		add(name, exp, d, false)
		add(name+"2", 2*exp, d.Pow(2), true)
		add(name+"3", 3*exp, d.Pow(3), true)
	}
	for _, u := range namedUnits {
		addPowers(u.name, u.exp, u.dim)
		if u.noPrefix {
			continue
		}
		for _, p := range siPrefixes {
			addPowers(p.name+u.name, u.exp+p.exp, u.dim)
		}
	}
	for name, s := range shortUnits {
		// A short name ending in 2 or 3 is a power of a length (cm2, um3).
		last := name[len(name)-1]
		add(name, s.exp, s.dim, last == '2' || last == '3')
	}
	return r
}

// pow10 returns the double nearest to 10**n. math.Pow10 divides for negative
// n and can be one ulp off (1e-24), which would print 1 yV as 0.99999999 yV.
func pow10(n int) float64 {
	if n >= -pow10Bias && n < len(pow10Table)-pow10Bias {
		return pow10Table[n+pow10Bias]
	}
	f, _ := strconv.ParseFloat("1e"+strconv.Itoa(n), 64)
	return f
}

// pow10Table holds 10**n for the exponents prefixes and powers of units
// reach, parsed once: the registry needs thousands of them.
const pow10Bias = 90

var pow10Table = func() (t [2*pow10Bias + 1]float64) {
	for i := range t {
		t[i], _ = strconv.ParseFloat("1e"+strconv.Itoa(i-pow10Bias), 64)
	}
	return t
}()

// Lookup returns the named unit as a quantity, e.g. "mV" gives
// {0.001, Volt}. Names are case-sensitive (Mohm is not mohm).
func Lookup(name string) (Quantity, bool) {
	e, ok := registry[name]
	return e.unit, ok
}

// IsUnitName reports whether name is a unit name. Unit names are reserved:
// models cannot use them for their own variables.
func IsUnitName(name string) bool {
	_, ok := registry[name]
	return ok
}

// Names returns all unit names, sorted.
func Names() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// isBaseUnit reports whether a registered name may appear in a unit
// specification: Brian2 accepts exactly the unit names with a scale of 1
// that are not squared or cubed forms (volt, kgram, Hz, mmolar, klitre).
func isBaseUnit(e registryEntry) bool {
	return e.unit.Value == 1 && !e.power
}
