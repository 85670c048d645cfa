package kernel

import "testing"

// Conductance-based Euler code: the products of conductances with the
// driving forces are expanded and v factored out, so the membrane update
// takes two passes: the summed conductance, and one linear combination
// that multiplies it by v itself (fuse.go) and is written into v.
func TestProductsFactored(t *testing.T) {
	src := "_x = x + p*(c*(tau - x) + y*(s - x) + z*(-0.5 - x))/tau\n_y = y - p*y/tau\n_z = z - p*z/tau\nx = _x\ny = _y\nz = _z"
	w := newWorld(1, 10)
	lay := w.layout()
	lay.Exact = false
	k := compile(t, src, lay)
	if n := k.NumInstructions(); n != 4 {
		t.Errorf("want 4 instructions (2 for x, 1 each for y and z), got %d:\n%s", n, k)
	}
	checkFast(t, src, 1e-13)
	for _, src := range []string{
		"x = x*(y + z)",               // one factor shared by both monomials
		"x = (x + 1)*(y - 2) + x*z",   // monomials and terms mixed
		"x = (x - y)*(x + y) + z",     // x*x and y*y: no common factor
		"x = y*(x - z) - z*(x - 3*y)", // three monomials
		"x = (x + y + z)*(x - y - z + 0.5)",
	} {
		checkFast(t, src, 1e-12)
	}
}
