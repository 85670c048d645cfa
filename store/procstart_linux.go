package store

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"time"
)

// processStart is when a process started, from /proc: its start in clock
// ticks after boot (field 22 of /proc/PID/stat) plus the boot time.
func processStart(pid int) (time.Time, bool) {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return time.Time{}, false
	}
	// The command name, field 2, is in parentheses and may hold spaces.
	k := bytes.LastIndexByte(stat, ')')
	if k < 0 {
		return time.Time{}, false
	}
	fields := strings.Fields(string(stat[k+1:]))
	if len(fields) < 20 {
		return time.Time{}, false
	}
	ticks, err := strconv.ParseUint(fields[19], 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	boot, ok := bootTime()
	if !ok {
		return time.Time{}, false
	}
	// Linux reports process times in USER_HZ, 100 a second on every
	// architecture it runs on.
	return boot.Add(time.Duration(ticks) * (time.Second / 100)), true
}

func bootTime() (time.Time, bool) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return time.Time{}, false
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "btime "); ok {
			s, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return time.Unix(s, 0), err == nil
		}
	}
	return time.Time{}, false
}
