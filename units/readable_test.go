package units

import "testing"

func TestFormatExprReadsBack(t *testing.T) {
	for _, c := range []struct{ in, want string }{{"20*ms", "20*ms"}, {"-65*mV", "-65*mV"}, {"0.5*nA", "0.5*nA"}, {"3", "3"}, {"1*volt**2", "1*(metre ** 4 * kilogram ** 2 * second ** -6 * amp ** -2)"}, {"2*nS", "2*nS"}, {"5*Hz", "5*Hz"}} {
		q := MustParseQuantity(c.in)
		if got := FormatExpr(q.Value, q.Dim); got != c.want {
			t.Errorf("%s: %s want %s", c.in, got, c.want)
		}
		back, err := ParseQuantity(FormatExpr(q.Value, q.Dim))
		if err != nil || back.Dim != q.Dim {
			t.Errorf("%s does not read back: %v", c.in, err)
		}
	}
}
