package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/soma-sim/soma/model"
)

// TestEveryExamplePlots runs every example model file through the command
// line with --plot, the long ones shorter (examples/short-runs.txt), and
// checks that each monitor got its arrays and figures.
func TestEveryExamplePlots(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every example")
	}
	examples := filepath.Join("..", "..", "examples")
	files, err := filepath.Glob(filepath.Join(examples, "*", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples found (%v)", err)
	}
	short := map[string][]string{}
	data, err := os.ReadFile(filepath.Join(examples, "short-runs.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) > 0 && !strings.HasPrefix(f[0], "#") {
			short[f[0]] = f[1:]
		}
	}
	for _, f := range files {
		name := filepath.Base(filepath.Dir(f)) + "/" + filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			out := t.TempDir()
			args := []string{"run", f, "--out", out, "--plot", "--quiet", "--no-store"}
			for _, s := range short[name] {
				args = append(args, "--set", s)
			}
			root := newRootCmd()
			root.SetArgs(args)
			var stdout bytes.Buffer
			root.SetOut(&stdout)
			if err := root.Execute(); err != nil {
				t.Fatal(err)
			}
			m, err := model.Load(f, short[name])
			if err != nil {
				t.Fatal(err)
			}
			for _, mon := range m.Monitors {
				want := []string{mon.Spec.Name + ".npz"}
				switch mon.Spec.Type {
				case "spike":
					want = append(want, mon.Spec.Name+".png", mon.Spec.Name+"_rates.png")
				case "event", "rate":
					want = append(want, mon.Spec.Name+".png")
				case "state":
					for _, v := range mon.Spec.Variables {
						want = append(want, mon.Spec.Name+"_"+strings.TrimSpace(v.S)+".png")
					}
				}
				for _, w := range want {
					if _, err := os.Stat(filepath.Join(out, w)); err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
}
