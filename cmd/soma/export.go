package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/soma-sim/soma/export/brian2"
	"github.com/spf13/cobra"
)

func newExportCmd() *cobra.Command {
	var (
		sets      []string
		toBrian2  bool
		outScript string
	)
	cmd := &cobra.Command{
		Use:   "export --brian2 MODEL.yaml",
		Short: "Write a model as a runnable Brian2 script (to cross-check it against Brian2)",
		Long: `Write a model file as a Brian2 2.5 script on stdout (or -o FILE): the same
constants (soma's values, in SI units), groups, equations, threshold, reset,
refractoriness, methods, synapses and their connections, delays and
initial values, inputs, monitors and run segments with their assignments,
seed and dt. Run with python3, the script writes the files 'soma run'
writes (one .npz per monitor and per synapses object with 'save', and
summary.json, same names and arrays) into --out DIR (default
results/<name>_brian2), with the numpy target unless --target cython.

--set overrides constants (or seed, dt) before the export, as for 'soma run'.
What Brian2 cannot express is refused with an error that names the object
and the feature (see docs/brian2-export.md).`,
		Example: "  soma export --brian2 examples/cuba/cuba.yaml --set duration=0.2*second > cuba.py\n  python3 cuba.py --out results/cuba_brian2",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !toBrian2 {
				return &exitError{code: 1, err: fmt.Errorf("say what to export to: --brian2 (the only format so far)")}
			}
			command := "soma export --brian2 " + args[0]
			for _, s := range sets {
				command += " --set " + s
			}
			script, err := brian2.Export(args[0], brian2.Options{Sets: sets, Command: command})
			if err != nil {
				return &exitError{code: 1, err: err}
			}
			if outScript != "" && outScript != "-" {
				if err := writeFileAtomic(outScript, script); err != nil {
					return &exitError{code: 2, err: err}
				}
				return nil
			}
			_, err = cmd.OutOrStdout().Write(script)
			return err
		},
	}
	cmd.Flags().BoolVar(&toBrian2, "brian2", false, "write a Brian2 script")
	cmd.Flags().StringArrayVar(&sets, "set", nil, "override a constant (or seed, dt) before exporting: NAME=EXPR")
	cmd.Flags().StringVarP(&outScript, "output", "o", "", "write the script to this file instead of stdout")
	return cmd
}

// writeFileAtomic writes data to a temporary file next to path and renames
// it into place, so path is never half-written.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		os.Remove(f.Name())
		return err
	}
	return os.Rename(f.Name(), path)
}
