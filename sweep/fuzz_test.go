package sweep

import "testing"

// FuzzParse feeds the --grid, --random and --gene parsers anything: they
// return values or errors, never panic, and a grid they accept has values
// that its points can use.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"we=0.5*mV:2*mV:4", "g=3,4,5", "tau=U(5*ms,20*ms)", "x=LogU(1,10)", "we=0.1*mV..3*mV", "a=N(0*mV, 1*mV)", "=:", "x=1:2:99999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ax, err := ParseGrid(s); err == nil && len(ax.Values) <= 1000 {
			if _, err := (Plan{Grid: []Axis{ax}}).Points(); err != nil {
				t.Errorf("grid %q parsed, but its points fail: %v", s, err)
			}
		}
		if d, err := ParseRandom(s); err == nil {
			if _, err := (Plan{Random: []Dist{d}, N: 3}).Points(); err != nil {
				t.Errorf("random %q parsed, but its points fail: %v", s, err)
			}
		}
		ParseGene(s)
	})
}
