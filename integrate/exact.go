package integrate

import (
	"fmt"
	"math"

	"github.com/soma-sim/soma/expr"
	"gonum.org/v1/gonum/mat"
)

// exact integrates linear systems dX/dt = M X + B whose coefficients are
// constant over a time step. When M is known at build time (it depends only
// on constants), the update is X_new = E X + Phi B with E = exp(M dt) and
// Phi = integral_0^dt exp(M s) ds, both read off the matrix exponential of
// the augmented matrix [[M, I], [0, 0]]*dt. That works for any M, singular
// or oscillating. When M varies per element, each variable must depend
// linearly on itself only, and gets the closed form
// x_new = x*exp(a dt) + b*dt*exprel(a dt).
func exact(sys *System) ([]expr.Stmt, error) {
	s, err := sys.split("exact")
	if err != nil {
		return nil, err
	}
	if s.stochastic() {
		return nil, unsupported("exact", "it cannot integrate stochastic equations")
	}
	vars := map[string]bool{}
	for _, v := range sys.Vars {
		vars[v] = true
	}
	n := len(sys.Vars)
	coef := make([]map[string]expr.Node, n)
	rest := make([]expr.Node, n)
	for k, f := range s.f {
		if sys.dependsOnTime(f) {
			return nil, unsupported("exact", "the equation for '%s' depends on time t, so its coefficients are not constant over dt", sys.Vars[k])
		}
		if hasRandom(f) {
			return nil, unsupported("exact", "the equation for '%s' uses a random function", sys.Vars[k])
		}
		c, r, ok := linear(f, vars)
		if !ok {
			return nil, unsupported("exact", "the equations could not be separated into linear components (the equation for '%s' is not linear)", sys.Vars[k])
		}
		coef[k], rest[k] = c, r
	}
	m, ok, err := sys.numericMatrix(coef)
	if err != nil {
		return nil, err
	}
	if ok {
		return sys.exactMatrix(m, rest), nil
	}
	return sys.exactDiagonal(coef, rest)
}

// dependsOnTime reports whether n changes with t within a step: it uses t
// other than as the argument of functions that are constant over steps of
// dt (TimedArrays sampled at a multiple of dt), which the exact method, like
// Brian2's, takes at their value at the start of the step.
func (sys *System) dependsOnTime(n expr.Node) bool {
	found := false
	expr.Walk(n, func(x expr.Node) bool {
		switch x := x.(type) {
		case *expr.Call:
			return !sys.constantOverDT(x.Func)
		case *expr.Name:
			found = found || x.Name == "t"
		}
		return !found
	})
	return found
}

func (sys *System) constantOverDT(name string) bool {
	if sys.Consts == nil {
		return false
	}
	sym, ok := sys.Consts.Lookup(name)
	return ok && sym.Kind == expr.FunctionSymbol && sym.Func != nil &&
		sym.Func.ConstantOverDT != nil && sym.Func.ConstantOverDT(sys.DT)
}

func hasRandom(n expr.Node) bool {
	found := false
	expr.Walk(n, func(x expr.Node) bool {
		if c, ok := x.(*expr.Call); ok && (c.Func == "rand" || c.Func == "randn" || c.Func == "poisson") {
			found = true
		}
		return !found
	})
	return found
}

// numericMatrix evaluates the coefficient matrix when every entry is a
// build-time constant. A coefficient that is infinite or NaN (a zero time
// constant, say) is an error: such a system cannot be integrated, and the
// matrix exponential would not return.
func (sys *System) numericMatrix(coef []map[string]expr.Node) (*mat.Dense, bool, error) {
	n := len(sys.Vars)
	m := mat.NewDense(n, n, nil)
	for k := range sys.Vars {
		for j, v := range sys.Vars {
			c, ok := coef[k][v]
			if !ok {
				continue
			}
			q, err := expr.Eval(c, sys.Consts)
			if err != nil {
				return nil, false, nil
			}
			if math.IsInf(q.Value, 0) || math.IsNaN(q.Value) {
				return nil, false, fmt.Errorf("the coefficient of '%s' in the equation for '%s' is %g: is a time constant zero?", v, sys.Vars[k], q.Value)
			}
			m.Set(k, j, q.Value)
		}
	}
	return m, true, nil
}

// propagators returns E = exp(M dt) and Phi = integral_0^dt exp(M s) ds.
func propagators(m *mat.Dense, dt float64) (e, phi *mat.Dense) {
	n, _ := m.Dims()
	aug := mat.NewDense(2*n, 2*n, nil)
	for k := 0; k < n; k++ {
		for j := 0; j < n; j++ {
			aug.Set(k, j, m.At(k, j)*dt)
		}
		aug.Set(k, n+k, dt)
	}
	var x mat.Dense
	x.Exp(aug)
	e = mat.NewDense(n, n, nil)
	phi = mat.NewDense(n, n, nil)
	for k := 0; k < n; k++ {
		for j := 0; j < n; j++ {
			e.Set(k, j, x.At(k, j))
			phi.Set(k, j, x.At(k, n+j))
		}
	}
	return e, phi
}

// affine builds sum_j E[k][j]*x_j + sum_j Phi[k][j]*B_j for row k.
func (sys *System) affine(k int, e, phi *mat.Dense, b []expr.Node) expr.Node {
	var out expr.Node
	for j, v := range sys.Vars {
		if c := e.At(k, j); c != 0 {
			out = add(out, mul(name(v), num(c)))
		}
	}
	for j := range sys.Vars {
		if c := phi.At(k, j); c != 0 && !isZero(b[j]) {
			out = add(out, mul(num(c), b[j]))
		}
	}
	return out
}

func (sys *System) exactMatrix(m *mat.Dense, rest []expr.Node) []expr.Stmt {
	n := len(sys.Vars)
	e1, phi1 := propagators(m, sys.DT)
	var stmts []expr.Stmt
	if !sys.anyFrozen() {
		for k, v := range sys.Vars {
			stmts = append(stmts, assign("_"+v, sys.affine(k, e1, phi1, rest)))
		}
		return sys.assignAll(stmts)
	}
	// While refractory, frozen variables have zero derivative: a second
	// system with those rows zeroed. Each row mixes the two with
	// nr = int(not_refractory), which is exactly 0 or 1, so the active
	// row is reproduced bit for bit.
	m0 := mat.DenseCopyOf(m)
	rest0 := append([]expr.Node(nil), rest...)
	for k := 0; k < n; k++ {
		if sys.Frozen[k] {
			for j := 0; j < n; j++ {
				m0.Set(k, j, 0)
			}
			rest0[k] = nil
		}
	}
	e0, phi0 := propagators(m0, sys.DT)
	nr := name("_not_refractory")
	stmts = append(stmts, assign("_not_refractory", call("int", name(sys.RefractoryVar))))
	for k, v := range sys.Vars {
		active := sys.affine(k, e1, phi1, rest)
		frozen := sys.affine(k, e0, phi0, rest0)
		if expr.String(orZero(active)) == expr.String(orZero(frozen)) {
			stmts = append(stmts, assign("_"+v, active))
			continue
		}
		stmts = append(stmts, assign("_"+v, add(mul(nr, active), mul(sub(num(1), nr), frozen))))
	}
	return sys.assignAll(stmts)
}

func orZero(n expr.Node) expr.Node {
	if n == nil {
		return num(0)
	}
	return n
}

func (sys *System) anyFrozen() bool {
	for _, f := range sys.Frozen {
		if f {
			return true
		}
	}
	return false
}

// exactDiagonal handles decoupled equations dx/dt = a*x + b whose
// coefficients vary per element (a per-neuron time constant, say).
func (sys *System) exactDiagonal(coef []map[string]expr.Node, rest []expr.Node) ([]expr.Stmt, error) {
	var stmts []expr.Stmt
	for k, v := range sys.Vars {
		for other := range coef[k] {
			if other != v {
				return nil, unsupported("exact", "the coupled linear equations for '%s' and '%s' have coefficients that are not constants", v, other)
			}
		}
		a := sys.refractoryFactor(k, coef[k][v])
		b := sys.refractoryFactor(k, rest[k])
		if isZero(a) {
			stmts = append(stmts, assign("_"+v, add(name(v), mul(name("dt"), b))))
			continue
		}
		adt := mul(a, name("dt"))
		stmts = append(stmts, assign("_"+v, add(mul(name(v), call("exp", adt)), mul(mul(b, name("dt")), call("exprel", adt)))))
	}
	return sys.assignAll(stmts), nil
}
