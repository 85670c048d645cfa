//go:build amd64 && !purego

package kernel

import "unsafe"

// prefetchLines asks for the lines cache lines from p on without waiting
// for them (PREFETCHT0), 64 bytes apart: a hint that cannot fault.
//
//go:noescape
func prefetchLines(p unsafe.Pointer, lines int)
