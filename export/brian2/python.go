package brian2

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/soma-sim/soma/units"
)

// pyStr writes s as a Python string literal: a triple-quoted one for code
// of several lines (readable in the script), a quoted one otherwise.
func pyStr(s string) string {
	if strings.Contains(s, "\n") && !strings.Contains(s, `'''`) && !strings.Contains(s, `\`) && !strings.HasSuffix(s, "'") {
		return "'''" + s + "'''"
	}
	return pyQuote(s)
}

// pyQuote writes s as a one-line Python string literal. Go's escapes
// (\n, \t, \", \\, \xNN, \uNNNN, \UNNNNNNNN) are Python's too.
func pyQuote(s string) string {
	q := strconv.Quote(s)
	// Prefer single quotes, as Brian2's documentation does.
	if !strings.Contains(s, "'") {
		q = "'" + strings.ReplaceAll(q[1:len(q)-1], `\"`, `"`) + "'"
	}
	return q
}

// pyFloat writes x so that Python reads back the same float64.
func pyFloat(x float64) string {
	switch {
	case math.IsInf(x, 1):
		return "float('inf')"
	case math.IsInf(x, -1):
		return "-float('inf')"
	case math.IsNaN(x):
		return "float('nan')"
	}
	s := strconv.FormatFloat(x, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}

// pyInt writes an integral float64 as a Python int.
func pyInt(x float64) string { return strconv.FormatFloat(x, 'f', 0, 64) }

// named units with a scale of exactly 1 in Brian2, by dimension: a value
// times one of them keeps its float64 bits.
var namedUnits = []struct {
	name string
	spec string
}{
	{"second", "second"}, {"hertz", "hertz"}, {"volt", "volt"}, {"amp", "amp"},
	{"siemens", "siemens"}, {"farad", "farad"}, {"ohm", "ohm"}, {"coulomb", "coulomb"},
	{"joule", "joule"}, {"watt", "watt"}, {"newton", "newton"}, {"pascal", "pascal"},
	{"metre", "metre"}, {"kilogram", "kilogram"}, {"mole", "mole"}, {"kelvin", "kelvin"},
	{"candela", "candela"}, {"tesla", "tesla"}, {"weber", "weber"}, {"henry", "henry"},
}

var namedDims = func() []struct {
	name string
	dim  units.Dimension
} {
	var out []struct {
		name string
		dim  units.Dimension
	}
	for _, u := range namedUnits {
		d, err := units.ParseUnitSpec(u.spec)
		if err != nil {
			panic(err)
		}
		out = append(out, struct {
			name string
			dim  units.Dimension
		}{u.name, d})
	}
	return out
}()

var baseNames = [7]string{"metre", "kilogram", "second", "amp", "kelvin", "mole", "candela"}

// pyUnit writes a dimension as a product of Brian2 units of scale 1:
// "volt", "volt/second", "amp*second**0.5", "siemens/metre**2", or base
// units "metre**2*kilogram*second**-3"; "" when dimensionless.
func pyUnit(d units.Dimension) string {
	if d.IsDimensionless() {
		return ""
	}
	for _, u := range namedDims {
		if u.dim == d {
			return u.name
		}
	}
	// A named unit times one base unit to a small power.
	for _, e := range []float64{-1, 1, 0.5, -0.5, -2, 2, -3, 3} {
		for b := range baseNames {
			var base units.Dimension
			base[b] = e
			rest := d.Div(base)
			for _, u := range namedDims {
				if u.dim == rest && u.name != baseNames[b] {
					switch {
					case e == -1:
						return u.name + "/" + baseNames[b]
					case e == 1:
						return u.name + "*" + baseNames[b]
					case e < 0:
						return u.name + "/" + baseNames[b] + "**" + formatExp(-e)
					default:
						return u.name + "*" + baseNames[b] + "**" + formatExp(e)
					}
				}
			}
		}
	}
	var parts []string
	for k, e := range d {
		switch {
		case e == 0:
		case e == 1:
			parts = append(parts, baseNames[k])
		default:
			parts = append(parts, baseNames[k]+"**"+formatExp(e))
		}
	}
	return strings.Join(parts, "*")
}

func formatExp(e float64) string { return strconv.FormatFloat(e, 'g', -1, 64) }

// pyQuantity writes a quantity as Python that gives Brian2 the same
// float64 in SI units: "0.02*second", "1.62e-3*volt", "4000.0".
func pyQuantity(q units.Quantity) string {
	u := pyUnit(q.Dim)
	if u == "" {
		return pyFloat(q.Value)
	}
	if strings.ContainsAny(u, "*/") {
		u = "(" + u + ")"
	}
	return pyFloat(q.Value) + "*" + u
}

var identRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// pyKeywords are Python's reserved words and soft keywords.
var pyKeywords = strings.Fields(`False None True and as assert async await break class continue def del elif
else except finally for from global if import in is lambda nonlocal not or pass raise return try while
with yield match case type`)

// scriptNames are the names the script itself uses at module level.
var scriptNames = strings.Fields(`argparse json os sys time np parser args namespace net seed_value
run_seconds began out save summary write_npz mean_rate NeuronGroup Synapses PoissonGroup PoissonInput
SpikeGeneratorGroup SpikeMonitor EventMonitor StateMonitor PopulationRateMonitor Network
defaultclock seed prefs Quantity float32 float64 int64 print open len int float range str list dict
isinstance bool abs min max sum values group_summary duration f began run_seconds`)

// namer gives each object of the model a Python variable and Brian2 name:
// its own name where that is a valid identifier that nothing else uses,
// otherwise one made from it.
type namer struct {
	used map[string]bool
}

func newNamer() *namer {
	n := &namer{used: map[string]bool{}}
	for _, w := range pyKeywords {
		n.used[w] = true
	}
	for _, w := range scriptNames {
		n.used[w] = true
	}
	return n
}

// name returns a fresh identifier for name; kind ("group", "monitor" ...)
// is added when the name is taken.
func (n *namer) name(name, kind string) string {
	id := name
	if !identRE.MatchString(id) {
		var b strings.Builder
		for _, r := range id {
			if r < 128 && (r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
				b.WriteRune(r)
			} else {
				b.WriteByte('_')
			}
		}
		id = strings.TrimLeft(b.String(), "_0123456789")
		if id == "" {
			id = kind
		}
	}
	if units.IsUnitName(id) {
		id += "_" + kind
	}
	base := id
	for k := 2; n.used[id]; k++ {
		if k == 2 {
			id = base + "_" + kind
		} else {
			id = fmt.Sprintf("%s_%s%d", base, kind, k-1)
		}
	}
	n.used[id] = true
	return id
}
