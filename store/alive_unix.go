//go:build unix

package store

import (
	"errors"
	"syscall"
	"time"
)

// alive reports whether the process that began a run at a time may still
// be running it: the pid exists (signal 0 checks without sending), and,
// where the system tells, that process is not younger than the run (a
// recycled pid is another program, e.g. after a container restarts).
func alive(pid int, began time.Time) bool {
	if pid <= 0 {
		return false
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	if t, ok := processStart(pid); ok && t.After(began.Add(clockSlack)) {
		return false
	}
	return true
}

// clockSlack absorbs the coarse clocks that process start times are
// computed from; a run is recorded well after its process started.
const clockSlack = 5 * time.Second
