package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/soma-sim/soma/plot"
	"github.com/soma-sim/soma/store"
	"github.com/soma-sim/soma/units"
	"github.com/spf13/cobra"
)

func newRunsCmd() *cobra.Command {
	var storeDir string
	cmd := &cobra.Command{
		Use:   "runs",
		Short: "List, show, compare, plot and remove recorded runs",
		Long: `Every soma run, sweep point and evolution genome is a record of the run store
(./soma-runs, --store DIR or $SOMA_STORE): the model, every constant, seed,
dt, duration, versions, host, threads, start and wall time, status, and the
spike count, mean rate and ISI CV of each monitored group. docs/explore.md
documents the database for reading it from Python.

--where selects records with a condition in soma's expression language, with
units: constants by name, rate_G (Hz), spikes_G and cv_G of each group G, and
id, seed, dt, duration, wall, threads, sweep, point:

  soma runs ls --where 'we > 1*mV and rate_P < 20*Hz' --sort -rate_P`,
	}
	cmd.PersistentFlags().StringVar(&storeDir, "store", "", "the store's folder (default $SOMA_STORE or ./soma-runs)")
	// withStore runs fn on the open store.
	withStore := func(fn func(st *store.Store) error) error {
		st, err := store.Open(storeDirOf(storeDir))
		if err != nil {
			return &exitError{code: 2, err: err}
		}
		defer st.Close()
		return fn(st)
	}
	var where, sortKey, x, y, out string
	var asJSON bool
	ls := &cobra.Command{
		Use:   "ls",
		Short: "List the runs (one line each)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return withStore(func(st *store.Store) error {
				recs, err := st.List(where, sortKey)
				if err != nil {
					return &exitError{code: 1, err: err}
				}
				if asJSON {
					enc := json.NewEncoder(cmd.OutOrStdout())
					enc.SetIndent("", "  ")
					return enc.Encode(jsonRecords(recs))
				}
				listRuns(cmd.OutOrStdout(), recs)
				return nil
			})
		},
	}
	ls.Flags().StringVar(&where, "where", "", "a condition on constants and metrics, e.g. 'we > 1*mV and rate_P < 20*Hz'")
	ls.Flags().StringVar(&sortKey, "sort", "", "sort by a constant or metric ('-' first: descending)")
	ls.Flags().BoolVar(&asJSON, "json", false, "print the records as JSON")
	show := &cobra.Command{
		Use:   "show ID",
		Short: "Show everything recorded about a run",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withStore(func(st *store.Store) error {
				r, err := getRun(st, args[0])
				if err != nil {
					return err
				}
				showRun(cmd.OutOrStdout(), r)
				return nil
			})
		},
	}
	diff := &cobra.Command{
		Use:   "diff ID ID",
		Short: "Compare the constants and metrics of two runs",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withStore(func(st *store.Store) error {
				a, err := getRun(st, args[0])
				if err != nil {
					return err
				}
				b, err := getRun(st, args[1])
				if err != nil {
					return err
				}
				diffRuns(cmd.OutOrStdout(), a, b)
				return nil
			})
		},
	}
	rm := &cobra.Command{
		Use:   "rm ID...",
		Short: "Remove runs from the store",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withStore(func(st *store.Store) error {
				var ids []int64
				for _, a := range args {
					id, err := strconv.ParseInt(a, 10, 64)
					if err != nil {
						return &exitError{code: 1, err: fmt.Errorf("a run id is a number, got %q", a)}
					}
					ids = append(ids, id)
				}
				if err := st.Remove(ids...); err != nil {
					return &exitError{code: 1, err: err}
				}
				fmt.Fprintf(cmd.OutOrStdout(), "removed %d runs\n", len(ids))
				return nil
			})
		},
	}
	plotCmd := &cobra.Command{
		Use:   "plot --x KEY --y KEY",
		Short: "Plot one constant or metric of the runs against another",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return withStore(func(st *store.Store) error {
				recs, err := st.List(where, "")
				if err != nil {
					return &exitError{code: 1, err: err}
				}
				return plotRuns(cmd.OutOrStdout(), recs, x, y, out)
			})
		},
	}
	plotCmd.Flags().StringVar(&x, "x", "", "the constant or metric on the x axis")
	plotCmd.Flags().StringVar(&y, "y", "", "the constant or metric on the y axis")
	plotCmd.Flags().StringVar(&where, "where", "", "only the runs meeting this condition")
	plotCmd.Flags().StringVar(&out, "out", "runs.png", "the figure's file")
	cmd.AddCommand(ls, show, diff, rm, plotCmd)
	return cmd
}

func getRun(st *store.Store, arg string) (*store.Record, error) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		return nil, &exitError{code: 1, err: fmt.Errorf("a run id is a number, got %q", arg)}
	}
	r, err := st.Get(id)
	if err != nil {
		return nil, &exitError{code: 1, err: err}
	}
	return r, nil
}

// shown formats a value of a record in its readable unit.
func shown(r *store.Record, name string) string {
	s, ok := r.Names()[name]
	if !ok {
		return "-"
	}
	if math.IsNaN(s.Value) {
		return "nan"
	}
	unit, scale := units.Readable(s.Dim)
	if s.Dim == (units.Dimension{units.Time: 1}) && math.Abs(s.Value) >= 1 {
		unit, scale = "s", 1 // wall times of minutes, not 1.5e+05 ms
	}
	v := strconv.FormatFloat(s.Value*scale, 'g', 4, 64)
	if unit == "" {
		return v
	}
	return v + " " + unit
}

// constantsThatDiffer are the constants not equal in every record, in the
// order of the first record: what ls shows.
func constantsThatDiffer(recs []*store.Record) []string {
	var names []string
	first := map[string]float64{}
	differ := map[string]bool{}
	for _, r := range recs {
		for _, c := range r.Constants {
			v, seen := first[c.Name]
			if !seen {
				first[c.Name] = c.Value
				names = append(names, c.Name)
			} else if v != c.Value {
				differ[c.Name] = true
			}
		}
	}
	var out []string
	for _, n := range names {
		if differ[n] {
			out = append(out, n)
		}
	}
	return out
}

func groupsOf(recs []*store.Record) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range recs {
		for _, g := range r.Groups {
			if !seen[g.Group] {
				seen[g.Group] = true
				out = append(out, g.Group)
			}
		}
	}
	return out
}

func listRuns(w io.Writer, recs []*store.Record) {
	consts := constantsThatDiffer(recs)
	groups := groupsOf(recs)
	tw := tabwriter.NewWriter(w, 2, 0, 2, ' ', 0)
	head := []string{"id", "name", "status", "start", "wall", "seed"}
	head = append(head, consts...)
	for _, g := range groups {
		head = append(head, "rate_"+g)
	}
	head = append(head, "sweep")
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, r := range recs {
		row := []string{fmt.Sprint(r.ID), r.Name, r.Status, r.Start.Local().Format("2006-01-02 15:04:05"),
			shown(r, "wall"), fmt.Sprint(r.Seed)}
		for _, c := range consts {
			row = append(row, shown(r, c))
		}
		for _, g := range groups {
			row = append(row, shown(r, "rate_"+g))
		}
		sweep := ""
		if r.SweepID != nil && r.Point != nil {
			sweep = fmt.Sprintf("%d:%d", *r.SweepID, *r.Point)
		}
		fmt.Fprintln(tw, strings.Join(append(row, sweep), "\t"))
	}
	tw.Flush()
	fmt.Fprintf(w, "%d runs\n", len(recs))
}

func showRun(w io.Writer, r *store.Record) {
	tw := tabwriter.NewWriter(w, 2, 0, 2, ' ', 0)
	row := func(k, v string) { fmt.Fprintf(tw, "%s\t%s\n", k, v) }
	row("id", fmt.Sprint(r.ID))
	row("name", r.Name)
	row("model", r.ModelFile)
	row("model sha256", r.ModelHash)
	row("status", r.Status)
	if r.Error != "" {
		row("error", r.Error)
	}
	row("start", r.Start.Local().Format("2006-01-02 15:04:05 MST"))
	row("wall", shown(r, "wall"))
	row("seed", fmt.Sprint(r.Seed))
	row("dt", shown(r, "dt"))
	row("duration", shown(r, "duration"))
	row("soma", strings.TrimSpace(r.Version+" "+r.Revision))
	threads := fmt.Sprintf("%d threads", r.Threads)
	if r.Threads == 0 {
		threads = "threads chosen while running"
	}
	row("host", fmt.Sprintf("%s (pid %d, %s)", r.Host, r.PID, threads))
	row("output", r.OutDir)
	if r.SweepID != nil && r.Point != nil {
		row("sweep", fmt.Sprintf("%d, point %d", *r.SweepID, *r.Point))
	}
	tw.Flush()
	fmt.Fprintln(w, "constants:")
	tw = tabwriter.NewWriter(w, 2, 0, 2, ' ', 0)
	for _, c := range r.Constants {
		fmt.Fprintf(tw, "  %s\t%s\n", c.Name, shown(r, c.Name))
	}
	tw.Flush()
	fmt.Fprintln(w, "groups:")
	tw = tabwriter.NewWriter(w, 2, 0, 2, ' ', 0)
	for _, g := range r.Groups {
		fmt.Fprintf(tw, "  %s\t%d spikes\t%s\tCV %s\n", g.Group, g.Spikes, shown(r, "rate_"+g.Group), shown(r, "cv_"+g.Group))
	}
	tw.Flush()
}

func diffRuns(w io.Writer, a, b *store.Record) {
	names := map[string]bool{}
	var order []string
	for _, r := range []*store.Record{a, b} {
		for _, c := range r.Constants {
			if !names[c.Name] {
				names[c.Name] = true
				order = append(order, c.Name)
			}
		}
	}
	for _, g := range groupsOf([]*store.Record{a, b}) {
		order = append(order, "rate_"+g, "cv_"+g, "spikes_"+g)
	}
	order = append(order, "seed", "dt", "duration", "wall")
	tw := tabwriter.NewWriter(w, 2, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "\trun %d\trun %d\t\n", a.ID, b.ID)
	for _, n := range order {
		x, y := shown(a, n), shown(b, n)
		mark := ""
		if x != y {
			mark = "*"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", n, x, y, mark)
	}
	tw.Flush()
}

func plotRuns(w io.Writer, recs []*store.Record, x, y, out string) error {
	if x == "" || y == "" {
		return &exitError{code: 1, err: fmt.Errorf("soma runs plot needs --x and --y")}
	}
	type pt struct{ x, y float64 }
	var pts []pt
	var xd, yd units.Dimension
	for _, r := range recs {
		ns := r.Names()
		sx, okx := ns[x]
		sy, oky := ns[y]
		if okx && oky {
			pts = append(pts, pt{sx.Value, sy.Value})
			xd, yd = sx.Dim, sy.Dim
		}
	}
	if len(pts) == 0 {
		return &exitError{code: 1, err: fmt.Errorf("no run has both %s and %s", x, y)}
	}
	sort.Slice(pts, func(a, b int) bool { return pts[a].x < pts[b].x })
	xu, xs := units.Readable(xd)
	yu, ys := units.Readable(yd)
	var xv, yv []float64
	for _, p := range pts {
		xv, yv = append(xv, p.x*xs), append(yv, p.y*ys)
	}
	label := func(n, u string) string {
		if u == "" {
			return n
		}
		return fmt.Sprintf("%s (%s)", n, u)
	}
	if err := plot.Curve(out, fmt.Sprintf("%s against %s (%d runs)", y, x, len(pts)), label(x, xu), label(y, yu), xv, yv, nil); err != nil {
		return &exitError{code: 2, err: err}
	}
	abs, _ := filepath.Abs(out)
	fmt.Fprintf(w, "wrote %s\n", abs)
	return nil
}

// jsonRecords is what ls --json prints: the records with values in SI.
func jsonRecords(recs []*store.Record) []map[string]any {
	out := []map[string]any{}
	for _, r := range recs {
		consts := map[string]any{}
		for _, c := range r.Constants {
			consts[c.Name] = map[string]any{"value": c.Value, "unit": c.Dim}
		}
		groups := map[string]any{}
		for _, g := range r.Groups {
			cv := any(g.ISICV)
			if math.IsNaN(g.ISICV) {
				cv = nil
			}
			groups[g.Group] = map[string]any{"spikes": g.Spikes, "rate_hz": g.RateHz, "isi_cv": cv}
		}
		out = append(out, map[string]any{"id": r.ID, "name": r.Name, "status": r.Status, "error": r.Error,
			"model_file": r.ModelFile, "model_hash": r.ModelHash, "seed": r.Seed, "dt": r.DT, "duration": r.Duration,
			"start": r.Start, "wall": r.Wall, "version": r.Version, "revision": r.Revision, "host": r.Host,
			"threads": r.Threads, "out_dir": r.OutDir, "sweep_id": r.SweepID, "point": r.Point,
			"constants": consts, "groups": groups})
	}
	return out
}
