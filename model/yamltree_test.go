package model

import (
	"strings"
	"testing"
)

func TestYAMLMergeKeys(t *testing.T) {
	src := `
groups:
  A: &lif
    N: 10
    threshold: v > 1*mV
    reset: v = 0*mV
  B: {<<: *lif, N: 5}
  C:
    reset: v = 1*mV
    <<: [*lif, {refractory: 2*ms, N: 7}]
    N: 3
  D: *lif
`
	root, err := parseYAML([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	keys := func(n *yamlNode) string {
		var ks []string
		for _, e := range n.entries {
			ks = append(ks, e.key+"="+e.value.text)
		}
		return strings.Join(ks, ", ")
	}
	groups := root.get("groups")
	for name, want := range map[string]string{
		"A": "N=10, threshold=v > 1*mV, reset=v = 0*mV",
		"B": "threshold=v > 1*mV, reset=v = 0*mV, N=5",
		"C": "reset=v = 1*mV, threshold=v > 1*mV, refractory=2*ms, N=3",
		"D": "N=10, threshold=v > 1*mV, reset=v = 0*mV",
	} {
		if got := keys(groups.get(name)); got != want {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
	// Errors point at the file's text.
	c := groups.get("C")
	if c.get("threshold").line != 5 {
		t.Errorf("merged threshold points at line %d, want 5 (where it is written)", c.get("threshold").line)
	}
}

func TestYAMLAliasErrors(t *testing.T) {
	for src, want := range map[string]string{
		"groups:\n  A: *lif\n":                "2:6: alias *lif names no anchor &lif",
		"groups:\n  A: &x 3\n  B: {<<: *x}\n": "3:7: a merge key (<<) takes a mapping",
	} {
		_, err := parseYAML([]byte(src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want an error containing %q", src, err, want)
		}
	}
}
