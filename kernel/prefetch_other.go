//go:build !amd64 || purego

package kernel

import "unsafe"

// prefetchLines is a hint only; without it the loads wait as they come.
func prefetchLines(unsafe.Pointer, int) {}
