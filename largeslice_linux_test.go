package soma

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"unsafe"
)

// TestLargeSliceAdvisesHugePages: a large per-synapse array is zeroed,
// has its length, and lies in memory advised for transparent huge pages
// (VmFlags "hg"), so that its pages are 2 MiB from the first write on; a
// small one is a plain slice of its length. grow keeps a slice that has
// the room.
func TestLargeSliceAdvisesHugePages(t *testing.T) {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || strings.Contains(string(mode), "[never]") {
		t.Skipf("transparent huge pages are off here (%q, %v): nothing to advise", strings.TrimSpace(string(mode)), err)
	}
	big := largeSlice[int32](16 << 20) // 64 MiB
	if len(big) != 16<<20 {
		t.Fatalf("len %d", len(big))
	}
	for k := 0; k < len(big); k += 4096 {
		if big[k] != 0 {
			t.Fatalf("element %d is %d, not zero", k, big[k])
		}
	}
	if flags := vmFlags(t, uintptr(unsafe.Pointer(&big[len(big)/2]))); !strings.Contains(flags, " hg") {
		t.Errorf("a 64 MiB slice is not advised for huge pages: VmFlags%s", flags)
	}
	small := largeSlice[float64](1000)
	if len(small) != 1000 || cap(small) != 1000 {
		t.Errorf("small slice: len %d cap %d", len(small), cap(small))
	}
	if got := grow(big[:10], 100); len(got) != 100 || &got[0] != &big[0] {
		t.Errorf("grow made a new slice where the old one had room")
	}
	if got := grow(small, 2000); len(got) != 2000 {
		t.Errorf("grow: len %d", len(got))
	}
}

// vmFlags returns the VmFlags line of the mapping that holds address p.
func vmFlags(t *testing.T, p uintptr) string {
	b, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	inside := false
	for _, line := range strings.Split(string(b), "\n") {
		var lo, hi uintptr
		if n, _ := fmt.Sscanf(line, "%x-%x", &lo, &hi); n == 2 {
			inside = p >= lo && p < hi
			continue
		}
		if inside && strings.HasPrefix(line, "VmFlags:") {
			return strings.TrimPrefix(line, "VmFlags:")
		}
	}
	t.Fatalf("no mapping holds %#x", p)
	return ""
}
