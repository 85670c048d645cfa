package soma

import (
	"syscall"
	"unsafe"
)

// adviseHugePages asks for transparent huge pages for the whole 4 KiB
// pages of size bytes at p. The advice only speeds memory up; a kernel
// that refuses it (huge pages off) leaves the memory as it was.
func adviseHugePages(p unsafe.Pointer, size uintptr) {
	const page = 4096
	start := uintptr(p)
	lo := (start+page-1)&^(page-1) - start
	hi := (start+size)&^(page-1) - start
	if hi <= lo {
		return
	}
	b := unsafe.Slice((*byte)(p), size)
	_ = syscall.Madvise(b[lo:hi], syscall.MADV_HUGEPAGE)
}
