package soma

import (
	"slices"
	"testing"
	"time"
)

// TestThreadChooserChecks: the checks of the automatic choice, on a clock
// where each step takes a given time on one thread and on two. A choice
// that wins by far is checked rarer and shorter; a close one keeps full
// checks that grow rarer by half as much; a change starts over; steps
// dearer than a window's time end each window after one step. The first
// check comes after one window on all threads.
func TestThreadChooserChecks(t *testing.T) {
	type check struct {
		at      int64 // the step the check starts at
		windows int
	}
	run := func(steps int64, perStep func(step int64, threads int) time.Duration) (checks []check, choices []int, oneThread int64) {
		c := newThreadChooser(2, 0)
		now := time.Unix(0, 0)
		clock := func() time.Time { return now }
		using := 2
		for step := range steps {
			if c.trial == -1 && step >= c.next {
				checks = append(checks, check{step, c.windows})
			}
			if threads, ok := c.at(step, clock); ok {
				using = threads
				if c.trial == -1 {
					choices = append(choices, using)
				}
			}
			if using == 1 {
				oneThread++
			}
			now = now.Add(perStep(step, using))
		}
		return checks, choices, oneThread
	}
	fixed := func(one, two time.Duration) func(int64, int) time.Duration {
		return func(_ int64, threads int) time.Duration {
			if threads == 1 {
				return one
			}
			return two
		}
	}
	for _, c := range []struct {
		name      string
		perStep   func(int64, int) time.Duration
		checks    []check
		choices   []int
		oneThread int64
	}{
		{"two threads by far", fixed(150, 85),
			[]check{{16, 8}, {1168, 4}, {5328, 4}}, []int{2, 2, 2}, 64 + 32 + 32},
		{"one thread by far", fixed(2, 3),
			[]check{{16, 8}, {400, 8}, {1552, 4}, {5712, 4}}, []int{1, 1, 1, 1}, 6000 - 16 - 64 - 64 - 32 - 32},
		{"close", fixed(100, 95),
			[]check{{16, 8}, {656, 8}, {1808, 8}, {3984, 8}}, []int{2, 2, 2, 2}, 4 * 64},
		{"a change", func(step int64, threads int) time.Duration {
			if step >= 1000 && threads == 2 {
				return 300
			}
			return fixed(150, 85)(step, threads)
		}, []check{{16, 8}, {1168, 4}, {1488, 8}, {2640, 4}}, []int{2, 1, 1, 1}, 64 + 32 + (1488 - 1232) + 64 + (2640 - 1616) + 32 + (6000 - 2704)},
		{"dear first steps", func(step int64, threads int) time.Duration {
			switch {
			case step < 200 && threads == 1:
				return 37 * time.Millisecond
			case step < 200:
				return 16 * time.Millisecond
			}
			return fixed(3500*time.Microsecond, 2*time.Millisecond)(step, threads)
		}, []check{{16, 8}, {1048, 4}, {5148, 4}}, []int{2, 2, 2}, 4 + 2 + 2},
	} {
		checks, choices, oneThread := run(6000, c.perStep)
		if !slices.Equal(checks, c.checks) || !slices.Equal(choices, c.choices) || oneThread != c.oneThread {
			t.Errorf("%s: checks %v choosing %v, %d steps on one thread; want %v choosing %v, %d steps",
				c.name, checks, choices, oneThread, c.checks, c.choices, c.oneThread)
		}
	}
}
