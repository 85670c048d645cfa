//go:build !unix

package store

// alive cannot tell on this system: a running record stays running.
func alive(pid int) bool { return true }
