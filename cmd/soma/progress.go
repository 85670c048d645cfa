package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/soma-sim/soma"
	"golang.org/x/term"
)

// barWidth is the number of characters between the brackets of the bar.
const barWidth = 30

// progress draws a run's progress as one bar line that is redrawn in place,
// with what Brian2's report='stdout' prints: simulated time, percentage,
// elapsed and estimated remaining wall time. It is drawn by hand: the
// progress bar libraries pull in net/http, whose initialisation would add
// several milliseconds to every start of soma.
type progress struct {
	w        io.Writer
	drawn    bool // something is on the line
	finished bool // the bar reached 100% and the line was ended
}

// isTerminal reports whether f is an interactive terminal. A character
// device is not enough: /dev/null is one too.
func isTerminal(f *os.File) bool {
	return term.IsTerminal(int(f.Fd()))
}

func newProgress(w io.Writer) *progress {
	return &progress{w: w}
}

// report draws one progress report over the previous one.
func (p *progress) report(q soma.Progress) {
	if p.finished {
		return
	}
	p.drawn = true
	f := min(max(q.Fraction, 0), 1)
	// Carriage return, then clear the line: the text changes length.
	fmt.Fprintf(p.w, "\r\x1b[K%3d%% %s %s", int(math.Floor(100*f)), bar(f), progressText(q))
	if f == 1 {
		p.end()
	}
}

// bar draws [=====>    ] filled to the fraction f.
func bar(f float64) string {
	full := int(math.Floor(f * barWidth))
	if full >= barWidth {
		return "[" + strings.Repeat("=", barWidth) + "]"
	}
	return "[" + strings.Repeat("=", full) + ">" + strings.Repeat(" ", barWidth-full-1) + "]"
}

// end finishes the line, so what follows (the summary or an error) starts
// on a line of its own.
func (p *progress) end() {
	if p.drawn && !p.finished {
		fmt.Fprintln(p.w)
	}
	p.finished = true
}

// progressText is the part of the line after the bar, for example
// "0.25 s of 1 s simulated, 1.2s elapsed, ~3.6s remaining".
func progressText(q soma.Progress) string {
	s := fmt.Sprintf("%s of %s simulated, %s elapsed", simTime(q.T), simTime(q.Duration), wallTime(q.Elapsed))
	if q.Fraction < 1 {
		if q.Fraction > 0 {
			s += fmt.Sprintf(", ~%s remaining", wallTime(q.Remaining))
		} else {
			s += ", estimating remaining time"
		}
	}
	return s
}

// simTime prints a simulated time in seconds with four significant digits,
// which hides float noise such as 0.30000000000000004.
func simTime(t float64) string {
	return fmt.Sprintf("%.4g s", t)
}

// wallTime rounds a wall-clock duration to what a person reads: tenths of
// a second below a minute, whole seconds above.
func wallTime(d time.Duration) string {
	if d < time.Minute {
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}
