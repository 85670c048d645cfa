package main

import (
	"fmt"
	"io"
	"runtime"

	"github.com/soma-sim/soma/model"
	"github.com/spf13/cobra"
)

func newCheckCmd() *cobra.Command {
	var (
		sets    []string
		threads int
	)
	cmd := &cobra.Command{
		Use:   "check MODEL.yaml",
		Short: "Parse a model, check its units, choose integration methods and print the schedule; no run",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := model.Load(args[0], sets)
			if err != nil {
				return &exitError{code: 1, err: err}
			}
			if err := m.Describe(cmd.OutOrStdout()); err != nil {
				return err
			}
			return describeThreads(cmd.OutOrStdout(), threads, runtime.GOMAXPROCS(0))
		},
	}
	cmd.Flags().StringArrayVar(&sets, "set", nil, "override a constant (or seed, dt) before anything is built: NAME=EXPR")
	cmd.Flags().IntVar(&threads, "threads", 0, "the --threads 'soma run' would be given (default: none, chosen while running)")
	return cmd
}

// describeThreads says how many threads 'soma run' will use.
func describeThreads(w io.Writer, threads, cores int) error {
	var err error
	switch {
	case threads > 0:
		_, err = fmt.Fprintf(w, "\nthreads: %d (--threads)\n", threads)
	case cores < 2:
		_, err = fmt.Fprintf(w, "\nthreads: 1 (this machine lets soma use one core)\n")
	default:
		_, err = fmt.Fprintf(w, "\nthreads: 1 or %d, chosen while running: soma times windows of steps on one thread and on %d,\n"+
			"  keeps the faster and checks again now and then; the results are the same for both (--threads N fixes it)\n", cores, cores)
	}
	return err
}
