package expr

import (
	"math"
	"sort"

	"github.com/soma-sim/soma/units"
)

// ArgRule says which dimension a function argument must have.
type ArgRule int

// Argument rules.
const (
	AnyDim           ArgRule = iota // any dimension
	DimensionlessArg                // a pure number (booleans count)
	SameAsFirst                     // the dimension of the first argument
	TimeArg                         // seconds
)

// ResultRule says how a function's result dimension follows from its
// arguments.
type ResultRule int

// Result rules.
const (
	DimensionlessResult ResultRule = iota
	FirstArgDim                    // the first argument's dimension
	HalfFirstArgDim                // the square root of the first argument's dimension
	FixedResult                    // the dimension in Function.ResultUnit
)

// Function describes a built-in function of the model language: how it
// treats units and types, and how to compute it.
type Function struct {
	Name  string
	NArgs int // number of arguments (-1 would mean variadic; none is)

	Args   []ArgRule  // one rule per argument
	Result ResultRule // dimension of the result
	Type   Type       // type of the result, unless TypeFromArgs
	// TypeFromArgs: the result has the "highest" argument type, so that
	// abs, sign and clip of integers stay integers (Brian2's "highest").
	TypeFromArgs bool

	// Deterministic functions give the same result for the same arguments
	// and have no state; only they can be folded into constants.
	Deterministic bool
	// Eval computes the function on values in SI units; nil for the
	// random functions (rand, randn, poisson).
	Eval func(args []float64) float64
	// ResultUnit is the dimension of the result when Result is FixedResult.
	ResultUnit units.Dimension
	// ConstantOverDT, when set, reports whether the function's value stays
	// the same within each step of dt when its time argument is the step's
	// t, as a TimedArray sampled at a multiple of dt does (Brian2's
	// is_locally_constant). The exact method then takes a call of it as a
	// constant over the step.
	ConstantOverDT func(dt float64) bool
}

// ResultDim returns the dimension of the result for arguments of the
// given dimensions, which must already satisfy Args.
func (f *Function) ResultDim(args []units.Dimension) units.Dimension {
	switch f.Result {
	case FirstArgDim:
		return args[0]
	case HalfFirstArgDim:
		return args[0].Pow(0.5)
	case FixedResult:
		return f.ResultUnit
	}
	return units.Dimensionless
}

// ResultType returns the type of the result for arguments of the given types.
func (f *Function) ResultType(args []Type) Type {
	if !f.TypeFromArgs {
		return f.Type
	}
	t := Integer
	for _, a := range args {
		t = arithType(t, a)
	}
	return t
}

func unary(name string, rule ArgRule, res ResultRule, typ Type, fn func(float64) float64) *Function {
	return &Function{
		Name: name, NArgs: 1, Args: []ArgRule{rule}, Result: res, Type: typ, Deterministic: true,
		Eval: func(a []float64) float64 { return fn(a[0]) },
	}
}

// math1 is a function of a pure number, such as exp or sin.
func math1(name string, fn func(float64) float64) *Function {
	return unary(name, DimensionlessArg, DimensionlessResult, Float, fn)
}

var functions = map[string]*Function{}

func init() {
	for _, f := range []*Function{
		math1("exp", math.Exp),
		math1("log", math.Log),
		math1("log10", math.Log10),
		math1("log1p", math.Log1p),
		math1("expm1", math.Expm1),
		math1("exprel", Exprel),
		math1("sin", math.Sin),
		math1("cos", math.Cos),
		math1("tan", math.Tan),
		math1("sinh", math.Sinh),
		math1("cosh", math.Cosh),
		math1("tanh", math.Tanh),
		math1("arcsin", math.Asin),
		math1("arccos", math.Acos),
		math1("arctan", math.Atan),
		unary("sqrt", AnyDim, HalfFirstArgDim, Float, math.Sqrt),
		unary("ceil", AnyDim, FirstArgDim, Float, math.Ceil),
		unary("floor", AnyDim, FirstArgDim, Float, math.Floor),
		unary("int", DimensionlessArg, DimensionlessResult, Integer, math.Trunc),
		{
			Name: "abs", NArgs: 1, Args: []ArgRule{AnyDim}, Result: FirstArgDim, TypeFromArgs: true,
			Deterministic: true, Eval: func(a []float64) float64 { return math.Abs(a[0]) },
		},
		{
			Name: "sign", NArgs: 1, Args: []ArgRule{AnyDim}, Result: DimensionlessResult, TypeFromArgs: true,
			Deterministic: true, Eval: func(a []float64) float64 { return Sign(a[0]) },
		},
		{
			Name: "clip", NArgs: 3, Args: []ArgRule{AnyDim, SameAsFirst, SameAsFirst}, Result: FirstArgDim,
			TypeFromArgs: true, Deterministic: true,
			Eval: func(a []float64) float64 { return math.Min(math.Max(a[0], a[1]), a[2]) },
		},
		{
			Name: "timestep", NArgs: 2, Args: []ArgRule{TimeArg, TimeArg}, Type: Integer,
			Deterministic: true, Eval: func(a []float64) float64 { return Timestep(a[0], a[1]) },
		},
		{Name: "rand", Args: []ArgRule{}, Type: Float},
		{Name: "randn", Args: []ArgRule{}, Type: Float},
		{Name: "poisson", NArgs: 1, Args: []ArgRule{DimensionlessArg}, Type: Integer},
	} {
		functions[f.Name] = f
	}
}

// LookupFunction returns the built-in function with the given name.
func LookupFunction(name string) (*Function, bool) {
	f, ok := functions[name]
	return f, ok
}

// FunctionNames returns the names of all built-in functions, sorted.
func FunctionNames() []string {
	names := make([]string, 0, len(functions))
	for n := range functions {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

var constants = map[string]float64{"pi": math.Pi, "e": math.E, "inf": math.Inf(1)}

// LookupConstant returns the value of a built-in dimensionless constant:
// pi, e or inf.
func LookupConstant(name string) (float64, bool) {
	v, ok := constants[name]
	return v, ok
}

// ConstantNames returns the names of the built-in constants, sorted.
func ConstantNames() []string { return []string{"e", "inf", "pi"} }

// Timestep converts a time to a whole number of steps of length dt. The
// small shift keeps exact multiples of dt from falling into the preceding
// step through rounding, as Brian2's timestep does; the result is
// truncated like a conversion to int64.
func Timestep(t, dt float64) float64 {
	return float64(int64((t + 1e-3*dt) / dt))
}

// Exprel is (exp(x) - 1)/x, continued with 1 at x = 0; expm1 keeps it
// accurate for small x.
func Exprel(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Expm1(x) / x
}

// Sign is -1, 0 or 1 by the sign of x; it returns -0 and NaN unchanged.
func Sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return x // 0, -0 or NaN
}
