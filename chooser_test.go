package soma

import (
	"slices"
	"testing"
	"time"
)

// TestThreadChooserChecks: the checks of the automatic choice, on a clock
// where each step takes a given time on one thread and on two. A choice
// that wins by far is checked rarer and shorter; a close one keeps full
// checks that grow rarer by half as much; a change starts over.
func TestThreadChooserChecks(t *testing.T) {
	type check struct {
		at      int64 // the step the check starts at
		windows int
	}
	run := func(steps int64, perStep func(step int64, threads int) time.Duration) ([]check, []int) {
		c := newThreadChooser(2, 0)
		now := time.Unix(0, 0)
		var checks []check
		var choices []int
		using := 2
		for step := range steps {
			if step >= c.next {
				if c.trial == -1 {
					checks = append(checks, check{step, c.windows})
				}
				using = c.advance(step, now)
				if c.trial == -1 {
					choices = append(choices, using)
				}
			}
			now = now.Add(perStep(step, using))
		}
		return checks, choices
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
		name    string
		perStep func(int64, int) time.Duration
		checks  []check
		choices []int
	}{
		{"two threads by far", fixed(150, 85),
			[]check{{0, 8}, {1152, 4}, {5312, 4}}, []int{2, 2, 2}},
		{"one thread by far", fixed(2, 3),
			[]check{{0, 8}, {384, 8}, {1536, 4}, {5696, 4}}, []int{1, 1, 1, 1}},
		{"close", fixed(100, 95),
			[]check{{0, 8}, {640, 8}, {1792, 8}, {3968, 8}}, []int{2, 2, 2, 2}},
		{"a change", func(step int64, threads int) time.Duration {
			if step >= 1000 && threads == 2 {
				return 300
			}
			return fixed(150, 85)(step, threads)
		}, []check{{0, 8}, {1152, 4}, {1472, 8}, {2624, 4}}, []int{2, 1, 1, 1}},
	} {
		checks, choices := run(6000, c.perStep)
		if !slices.Equal(checks, c.checks) || !slices.Equal(choices, c.choices) {
			t.Errorf("%s: checks %v choosing %v, want %v choosing %v", c.name, checks, choices, c.checks, c.choices)
		}
	}
}
