package output

import (
	"archive/zip"
	"fmt"
	"io"
	"strings"
	"time"
)

// NPZ collects named arrays for writing as a NumPy .npz archive, the
// format numpy.savez produces and numpy.load reads.
//
// Arrays are kept by reference and encoded only when the archive is
// written, so their data must not change between Add and WriteTo.
type NPZ struct {
	names  []string
	arrays map[string]Array
}

// NewNPZ returns an empty archive.
func NewNPZ() *NPZ {
	return &NPZ{arrays: make(map[string]Array)}
}

// Add appends the array a under name (without the .npy suffix, which is
// how numpy.load names it). Entries are written in the order they were
// added. The array is validated now so that errors surface at the call
// that caused them.
func (z *NPZ) Add(name string, a Array) error {
	if name == "" || strings.ContainsAny(name, "/\\\x00") {
		return fmt.Errorf("output: invalid npz array name %q", name)
	}
	if _, dup := z.arrays[name]; dup {
		return fmt.Errorf("output: duplicate npz array name %q", name)
	}
	if _, _, err := a.shape(); err != nil {
		return fmt.Errorf("output: npz array %q: %w", name, err)
	}
	z.names = append(z.names, name)
	z.arrays[name] = a
	return nil
}

// Names returns the array names in insertion order.
func (z *NPZ) Names() []string {
	return append([]string(nil), z.names...)
}

// zipEpoch is the earliest time a zip entry can carry. A fixed timestamp
// makes archives of the same arrays byte-identical across runs.
var zipEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// WriteTo writes the archive to w, one stored (uncompressed) NAME.npy
// entry per array, as numpy.savez does, and returns the number of bytes
// written. Simulation output is mostly float noise that compresses
// little, and deflating it took longer than the simulation of small
// networks.
func (z *NPZ) WriteTo(w io.Writer) (int64, error) {
	cw := &countingWriter{w: w}
	zw := zip.NewWriter(cw)
	for _, name := range z.names {
		ew, err := zw.CreateHeader(&zip.FileHeader{
			Name:     name + ".npy",
			Method:   zip.Store,
			Modified: zipEpoch,
		})
		if err != nil {
			return cw.n, err
		}
		if err := WriteNPY(ew, z.arrays[name]); err != nil {
			return cw.n, fmt.Errorf("output: npz array %q: %w", name, err)
		}
	}
	err := zw.Close()
	return cw.n, err
}

// WriteNPZFile writes z to path atomically: readers see either the old
// file or the complete new one, never a partial archive.
func WriteNPZFile(path string, z *NPZ) error {
	return writeFileAtomic(path, func(w io.Writer) error {
		_, err := z.WriteTo(w)
		return err
	})
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
