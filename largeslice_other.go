//go:build !linux

package soma

import "unsafe"

// adviseHugePages does nothing where transparent huge pages are not known.
func adviseHugePages(unsafe.Pointer, uintptr) {}
