package soma

import "unsafe"

// Per-synapse arrays (target indices, weights, delays) are tens of
// megabytes to gigabytes, and each step reads a piece of every row that
// spiked, from anywhere in them. With the usual 4 KiB pages nearly every
// such piece costs a miss in the translation cache (TLB), and on a
// virtual machine a miss walks two page tables. Two threads each read a
// part of every due row, so they pay the misses of every row each, and
// the misses decide how much a second core gains. A 2 MiB page holds
// about 400 of Brunel's rows (1250 targets, 5 KB each) and 6500 of CUBA's
// (80 targets); a 4 KiB page holds less than one of Brunel's.

// largeNumber is what a large array holds: no pointers, so that its
// memory may be advised freely.
type largeNumber interface {
	~int32 | ~int64 | ~uint8 | ~float32 | ~float64 | ~bool
}

// largeSlice returns a zeroed slice of n elements. On Linux a slice of at
// least hugePageMin bytes is advised onto transparent huge pages before
// anything writes it (where the system allows them only on request, the
// default of most distributions), so that its pages are 2 MiB from the
// first write on. Elsewhere, and for smaller slices, it is make.
func largeSlice[T largeNumber](n int) []T {
	s := make([]T, n)
	var zero T
	if size := uintptr(n) * unsafe.Sizeof(zero); n > 0 && size >= hugePageMin {
		adviseHugePages(unsafe.Pointer(unsafe.SliceData(s)), size)
	}
	return s
}

// prefault writes each 4 KiB page of s, which must hold only zeros, with
// the zero it holds, so that the system maps the memory now: otherwise the
// first step of a run pays a page fault per page of every state variable
// it writes, and on two threads the faults of both contend.
func prefault[T largeNumber](s []T) {
	var zero T
	stride := max(1, 4096/int(unsafe.Sizeof(zero)))
	for k := 0; k < len(s); k += stride {
		s[k] = zero
	}
}

// grow returns b resliced to n elements when it has the room, and a new
// largeSlice otherwise; the old values are not kept. Buffers reused from
// step to step and per-synapse arrays rebuilt in place both use it.
func grow[T largeNumber](b []T, n int) []T {
	if cap(b) >= n {
		return b[:n]
	}
	return largeSlice[T](n)
}

// hugePageMin is the smallest slice worth huge pages: a few of them.
const hugePageMin = 4 << 20

// bufferSlice returns a zeroed slice of n elements for a buffer that is
// written and read in order: a recording, a spike queue slot. It is make,
// never on huge pages. Such buffers gain nothing from fewer TLB misses,
// and they are first written during the run, on the thread that records:
// on a virtual machine a fresh huge page costs more to fault in than its
// 512 small pages (a first sequential write of 64 MB took 0.09–2.3 ms per
// MB on huge pages, varying from run to run, and 0.35–0.40 ms per MB on
// 4 KiB pages).
func bufferSlice[T largeNumber](n int) []T { return make([]T, n) }
