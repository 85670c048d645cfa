package bench

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Result holds every sample of one network. A status explains a simulator
// that has no samples at all (its Brian2 project did not build, it was not
// asked for, ...).
type Result struct {
	Net    Network  `json:"network"`
	Soma   []Sample `json:"soma"`
	Brian  []Sample `json:"brian2"`
	OpenMP []Sample `json:"brian2_openmp"`
	// SomaOne is soma on one thread, in the same rounds as Soma, when the
	// suite runs on several: the speed-up of threads from one set.
	SomaOne []Sample `json:"soma_one_thread,omitempty"`
	// SomaAuto is soma without --threads (choosing between one thread and
	// all) in the same rounds, when asked for.
	SomaAuto []Sample `json:"soma_auto,omitempty"`
	// Probes are what the machine's threads gave in those rounds, one per
	// round (ProbeThreads).
	Probes       []Probe `json:"probes,omitempty"`
	BrianStatus  string  `json:"brian2_status,omitempty"`
	OpenMPStatus string  `json:"brian2_openmp_status,omitempty"`
}

// Stats summarises the samples of one simulator on one network: medians
// over its runs. Fail is set instead when any run failed or timed out: a
// median over the runs that happened to work would flatter the simulator.
type Stats struct {
	Runs      int
	Wall      time.Duration
	MinWall   time.Duration
	MaxWall   time.Duration
	Loop      time.Duration
	CPU       time.Duration
	MaxRSSKiB int64
	Rate      float64
	Fail      string
}

// Summarise computes the medians of the samples. status, when not empty,
// is why there are no samples.
func Summarise(samples []Sample, status string) Stats {
	if status != "" {
		return Stats{Fail: status}
	}
	if len(samples) == 0 {
		return Stats{Fail: "not run"}
	}
	failed := 0
	for _, s := range samples {
		if s.TimedOut {
			return Stats{Fail: "timeout"}
		}
		if !s.OK() {
			failed++
		}
	}
	if failed > 0 {
		return Stats{Fail: fmt.Sprintf("%d/%d failed", failed, len(samples))}
	}
	var wall, loop, cpu, rss, rate []float64
	for _, s := range samples {
		wall = append(wall, float64(s.Wall))
		loop = append(loop, float64(s.Loop))
		cpu = append(cpu, float64(s.CPU))
		rss = append(rss, float64(s.MaxRSSKiB))
		rate = append(rate, s.Rate)
	}
	return Stats{
		Runs:      len(wall),
		Wall:      time.Duration(Median(wall)),
		MinWall:   time.Duration(slices.Min(wall)),
		MaxWall:   time.Duration(slices.Max(wall)),
		Loop:      time.Duration(Median(loop)),
		CPU:       time.Duration(Median(cpu)),
		MaxRSSKiB: int64(Median(rss)),
		Rate:      Median(rate),
	}
}

// Median of xs (the mean of the two middle values for an even count); NaN
// for none.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

// column is one column of a results table: its heading and how to fill a
// row from the network and the statistics of soma (s), Brian2 (b),
// Brian2's OpenMP build (o) and soma on one thread in the same rounds
// (one).
type column struct {
	head  string
	cell  func(n Network, s, b, o, one Stats) string
	needs needs // the columns of a simulator that did not run are left out
}

// needs says which simulator a column reports on.
type needs int

const (
	always    needs = iota
	brian2          // Brian2's single-threaded build
	openMP          // Brian2's OpenMP build
	oneThread       // soma on one thread beside soma on several
)

// TableOptions says how the suite was run.
type TableOptions struct {
	Threads int  // soma's GOMAXPROCS and the OpenMP build's threads
	Brian   bool // Brian2 was run
	OpenMP  bool // Brian2's OpenMP build was run
	// oneThread: soma ran on one thread beside several (Result.SomaOne).
	oneThread bool
}

func (o TableOptions) shows(c column) bool {
	switch c.needs {
	case brian2:
		return o.Brian
	case openMP:
		return o.OpenMP
	case oneThread:
		return o.oneThread
	}
	return true
}

// WriteTables writes the suite's results as three markdown tables:
// end-to-end process wall times with their ratios, peak memory and firing
// rates; where the time goes: the simulation loop alone as each simulator
// reports it, CPU time (user + system) and everything outside the loop;
// and the spread of the wall times behind each median. threads is
// options say how the suite was run; the columns of a simulator that did
// not run are left out.
func WriteTables(w io.Writer, results []Result, options TableOptions) error {
	for _, r := range results {
		options.oneThread = options.oneThread || len(r.SomaOne) > 0
	}
	omp := fmt.Sprintf("OpenMP %d thr", options.Threads)
	main := []column{
		{head: "network", cell: func(n Network, _, _, _, _ Stats) string { return n.Name }},
		{head: "N", cell: func(n Network, _, _, _, _ Stats) string { return strconv.Itoa(n.N) }},
		{head: "T (s)", cell: func(n Network, _, _, _, _ Stats) string { return formatFloat(n.Duration) }},
		{head: "soma (s)", cell: func(_ Network, s, _, _, _ Stats) string { return wallCell(s) }},
		{head: "Brian2 (s)", needs: brian2, cell: func(_ Network, _, b, _, _ Stats) string { return wallCell(b) }},
		{head: "soma/Brian2", needs: brian2, cell: func(_ Network, s, b, _, _ Stats) string { return ratio(s, b, s.Wall, b.Wall) }},
		{head: "Brian2 " + omp + " (s)", needs: openMP, cell: func(_ Network, _, _, o, _ Stats) string { return wallCell(o) }},
		{head: "soma/OpenMP", needs: openMP, cell: func(_ Network, s, _, o, _ Stats) string { return ratio(s, o, s.Wall, o.Wall) }},
		{head: "soma 1 thr (s)", needs: oneThread, cell: func(_ Network, _, _, _, one Stats) string { return wallCell(one) }},
		{head: "1 thr/soma", needs: oneThread, cell: func(_ Network, s, _, _, one Stats) string { return ratio(one, s, one.Wall, s.Wall) }},
		{head: "RSS soma (MiB)", cell: func(_ Network, s, _, _, _ Stats) string { return rssCell(s) }},
		{head: "RSS Brian2 (MiB)", needs: brian2, cell: func(_ Network, _, b, _, _ Stats) string { return rssCell(b) }},
		{head: "RSS OpenMP (MiB)", needs: openMP, cell: func(_ Network, _, _, o, _ Stats) string { return rssCell(o) }},
		{head: "rate soma (Hz)", cell: func(_ Network, s, _, _, _ Stats) string { return rateCell(s) }},
		{head: "rate Brian2 (Hz)", needs: brian2, cell: func(_ Network, _, b, _, _ Stats) string { return rateCell(b) }},
		{head: "rate OpenMP (Hz)", needs: openMP, cell: func(_ Network, _, _, o, _ Stats) string { return rateCell(o) }},
	}
	detail := []column{
		{head: "network", cell: func(n Network, _, _, _, _ Stats) string { return n.Name }},
		{head: "soma loop (s)", cell: func(_ Network, s, _, _, _ Stats) string { return timeCell(s, s.Loop) }},
		{head: "Brian2 loop (s)", needs: brian2, cell: func(_ Network, _, b, _, _ Stats) string { return timeCell(b, b.Loop) }},
		{head: "soma/Brian2", needs: brian2, cell: func(_ Network, s, b, _, _ Stats) string { return ratio(s, b, s.Loop, b.Loop) }},
		{head: omp + " loop (s)", needs: openMP, cell: func(_ Network, _, _, o, _ Stats) string { return timeCell(o, o.Loop) }},
		{head: "soma/OpenMP", needs: openMP, cell: func(_ Network, s, _, o, _ Stats) string { return ratio(s, o, s.Loop, o.Loop) }},
		{head: "soma 1 thr loop (s)", needs: oneThread, cell: func(_ Network, _, _, _, one Stats) string { return timeCell(one, one.Loop) }},
		{head: "1 thr/soma", needs: oneThread, cell: func(_ Network, s, _, _, one Stats) string { return ratio(one, s, one.Loop, s.Loop) }},
		{head: "soma CPU (s)", cell: func(_ Network, s, _, _, _ Stats) string { return timeCell(s, s.CPU) }},
		{head: "Brian2 CPU (s)", needs: brian2, cell: func(_ Network, _, b, _, _ Stats) string { return timeCell(b, b.CPU) }},
		{head: "soma/Brian2", needs: brian2, cell: func(_ Network, s, b, _, _ Stats) string { return ratio(s, b, s.CPU, b.CPU) }},
		{head: "soma rest (s)", cell: func(_ Network, s, _, _, _ Stats) string { return timeCell(s, s.Wall-s.Loop) }},
		{head: "Brian2 rest (s)", needs: brian2, cell: func(_ Network, _, b, _, _ Stats) string { return timeCell(b, b.Wall-b.Loop) }},
	}
	spread := []column{
		{head: "network", cell: func(n Network, _, _, _, _ Stats) string { return n.Name }},
		{head: "soma runs", cell: func(_ Network, s, _, _, _ Stats) string { return runsCell(s) }},
		{head: "soma min–max (s)", cell: func(_ Network, s, _, _, _ Stats) string { return spreadCell(s) }},
		{head: "Brian2 runs", needs: brian2, cell: func(_ Network, _, b, _, _ Stats) string { return runsCell(b) }},
		{head: "Brian2 min–max (s)", needs: brian2, cell: func(_ Network, _, b, _, _ Stats) string { return spreadCell(b) }},
		{head: "OpenMP runs", needs: openMP, cell: func(_ Network, _, _, o, _ Stats) string { return runsCell(o) }},
		{head: "OpenMP min–max (s)", needs: openMP, cell: func(_ Network, _, _, o, _ Stats) string { return spreadCell(o) }},
	}
	for k, cols := range [][]column{main, detail, spread} {
		if k > 0 {
			if _, err := fmt.Fprintln(w); err != nil {
				return err
			}
		}
		var head []string
		for _, c := range cols {
			if options.shows(c) {
				head = append(head, c.head)
			}
		}
		var rows [][]string
		for _, r := range results {
			s := Summarise(r.Soma, "")
			b := Summarise(r.Brian, r.BrianStatus)
			o := Summarise(r.OpenMP, r.OpenMPStatus)
			one := Summarise(r.SomaOne, "")
			var row []string
			for _, c := range cols {
				if options.shows(c) {
					row = append(row, c.cell(r.Net, s, b, o, one))
				}
			}
			rows = append(rows, row)
		}
		if err := writeMarkdown(w, head, rows); err != nil {
			return err
		}
	}
	return writeProbes(w, results)
}

// writeProbes writes, when the machine was probed, a table of the
// speed-up of soma's threads (and of its automatic choice, when run)
// beside what the machine's threads gave in the same rounds, medians of
// the probes.
func writeProbes(w io.Writer, results []Result) error {
	auto := false
	for _, r := range results {
		auto = auto || len(r.SomaAuto) > 0
	}
	var rows [][]string
	for _, r := range results {
		if len(r.Probes) == 0 {
			continue
		}
		s, one := Summarise(r.Soma, ""), Summarise(r.SomaOne, "")
		var compute, memory []float64
		for _, p := range r.Probes {
			compute, memory = append(compute, p.Compute), append(memory, p.Memory)
		}
		row := []string{r.Net.Name, ratio(one, s, one.Loop, s.Loop), roundsRatio(r.SomaOne, r.Soma)}
		if auto {
			a := Summarise(r.SomaAuto, "")
			row = append(row, timeCell(a, a.Loop), ratio(one, a, one.Loop, a.Loop), roundsRatio(r.SomaOne, r.SomaAuto))
		}
		rows = append(rows, append(row, fmt.Sprintf("%.2f", Median(compute)), fmt.Sprintf("%.2f", Median(memory))))
	}
	if len(rows) == 0 {
		return nil
	}
	head := []string{"network", "soma loop 1 thr/soma", "median of rounds"}
	if auto {
		head = append(head, "soma auto loop (s)", "1 thr/auto", "median of rounds")
	}
	head = append(head, "machine: arithmetic", "machine: memory reads")
	if _, err := fmt.Fprint(w, "\nThe speed-up of soma's threads (and of its automatic choice, without --threads, when run) beside what the machine's threads gave in the same rounds"+
		" (one thread's time over the threads' for fixed work, median of one probe per round)."+
		" The machine's speed drifts between rounds, so beside the ratio of the medians stands the median of each round's own ratio, of two runs made in the same round, seconds apart:\n\n"); err != nil {
		return err
	}
	return writeMarkdown(w, head, rows)
}

// roundsRatio is the median over rounds of num's loop time over den's in
// the same round, for the rounds where both ran; "—" when none did.
func roundsRatio(num, den []Sample) string {
	var xs []float64
	for k := range min(len(num), len(den)) {
		if num[k].OK() && den[k].OK() && den[k].Loop > 0 {
			xs = append(xs, float64(num[k].Loop)/float64(den[k].Loop))
		}
	}
	if len(xs) == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f", Median(xs))
}

func wallCell(s Stats) string {
	if s.Fail != "" {
		return s.Fail
	}
	return formatSeconds(s.Wall)
}

// timeCell is a secondary time of a run (loop, CPU, the rest); a failure
// is only named in the wall-time column.
func timeCell(s Stats, d time.Duration) string {
	if s.Fail != "" {
		return "—"
	}
	return formatSeconds(d)
}

// runsCell is the number of completed runs behind a median.
func runsCell(s Stats) string {
	if s.Fail != "" {
		return "—"
	}
	return strconv.Itoa(s.Runs)
}

// spreadCell is the range of the wall times of the completed runs.
func spreadCell(s Stats) string {
	if s.Fail != "" {
		return "—"
	}
	return formatSeconds(s.MinWall) + "–" + formatSeconds(s.MaxWall)
}

// ratio is a/b of two times of two simulators' statistics.
func ratio(sa, sb Stats, a, b time.Duration) string {
	if sa.Fail != "" || sb.Fail != "" || b <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f", float64(a)/float64(b))
}

func rssCell(s Stats) string {
	if s.Fail != "" || s.MaxRSSKiB <= 0 {
		return "—"
	}
	return strconv.FormatInt((s.MaxRSSKiB+512)/1024, 10)
}

func rateCell(s Stats) string {
	if s.Fail != "" {
		return "—"
	}
	return fmt.Sprintf("%.2f", s.Rate)
}

// formatSeconds prints a duration in seconds with three significant
// digits (at least one decimal place below 100 s).
func formatSeconds(d time.Duration) string {
	s := d.Seconds()
	switch {
	case s >= 100:
		return fmt.Sprintf("%.0f", s)
	case s >= 10:
		return fmt.Sprintf("%.1f", s)
	case s >= 1:
		return fmt.Sprintf("%.2f", s)
	default:
		return fmt.Sprintf("%.3f", s)
	}
}

func formatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// writeMarkdown writes a markdown table, padded so that it also reads well
// as plain text; the first column is left-aligned, the others right-aligned.
func writeMarkdown(w io.Writer, head []string, rows [][]string) error {
	width := make([]int, len(head))
	for c, h := range head {
		width[c] = len([]rune(h))
	}
	for _, r := range rows {
		for c, cell := range r {
			width[c] = max(width[c], len([]rune(cell)))
		}
	}
	line := func(cells []string) string {
		var b strings.Builder
		b.WriteString("|")
		for c, cell := range cells {
			pad := strings.Repeat(" ", width[c]-len([]rune(cell)))
			if c == 0 {
				b.WriteString(" " + cell + pad + " |")
			} else {
				b.WriteString(" " + pad + cell + " |")
			}
		}
		return b.String()
	}
	sep := make([]string, len(head))
	for c := range head {
		if c == 0 {
			sep[c] = ":" + strings.Repeat("-", width[c]-1)
		} else {
			sep[c] = strings.Repeat("-", width[c]-1) + ":"
		}
	}
	var b strings.Builder
	b.WriteString(line(head) + "\n")
	b.WriteString(line(sep) + "\n")
	for _, r := range rows {
		b.WriteString(line(r) + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
