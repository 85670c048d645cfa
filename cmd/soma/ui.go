package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/soma-sim/soma/model"
	"github.com/soma-sim/soma/ui"
	"github.com/spf13/cobra"
)

func newUICmd() *cobra.Command {
	var (
		sets    []string
		addr    string
		open    bool
		history float64
		threads int
	)
	cmd := &cobra.Command{
		Use:   "ui MODEL.yaml",
		Short: "Watch and change a running model in the browser",
		Long: `Build a model and serve a live page of it: neuron grids, spike raster and
population rate, traces, weights, histograms, editable constants and
parameters, behaviours and objects on and off, run / pause / step /
fast-forward, saved states and a history to scrub back over
(see docs/ui.md).

The network starts paused. "run" follows the model's run segments (making
their assignments) and pauses at their end; "run on" runs without end.

The page is served on 127.0.0.1 unless --addr names another address; then
it needs the access token printed with the URL. Ctrl-C stops.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := model.Load(args[0], sets)
			if err != nil {
				return &exitError{code: 1, err: err}
			}
			if threads < 1 {
				return &exitError{code: 1, err: fmt.Errorf("--threads must be at least 1, got %d", threads)}
			}
			m.Net.SetThreads(threads)
			opts := ui.ModelOptions(m)
			opts.Addr, opts.Open, opts.History, opts.Log = addr, open, history, cmd.ErrOrStderr()
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if err := ui.Serve(ctx, m.Net, opts); err != nil {
				return &exitError{code: 2, err: err}
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&sets, "set", nil, "override a constant (or seed, dt) before anything is built: NAME=EXPR")
	cmd.Flags().StringVar(&addr, "addr", ui.DefaultAddr, "address to serve the page on (not loopback: an access token is needed)")
	cmd.Flags().BoolVar(&open, "open", false, "open the page in the system's browser")
	cmd.Flags().Float64Var(&history, "history", 5, "simulated seconds the page can scrub back over")
	cmd.Flags().IntVar(&threads, "threads", 1, "cores the simulation may use")
	return cmd
}
