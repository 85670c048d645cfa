package output

import (
	"archive/zip"
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// npyHeaderInfo is what a .npy header says about its array.
type npyHeaderInfo struct {
	descr string
	shape []int
}

// size returns the number of elements.
func (h npyHeaderInfo) size() int {
	n := 1
	for _, s := range h.shape {
		n *= s
	}
	return n
}

// elemSize returns the size in bytes of one element of descr.
func elemSize(descr string) (int, bool) {
	switch descr {
	case "<f8", "<i8":
		return 8, true
	case "<f4", "<i4":
		return 4, true
	case "|b1", "|u1", "<u1":
		return 1, true
	}
	return 0, false
}

var (
	npyDescr   = regexp.MustCompile(`'descr':\s*'([^']*)'`)
	npyFortran = regexp.MustCompile(`'fortran_order':\s*(True|False)`)
	npyShape   = regexp.MustCompile(`'shape':\s*\(([^)]*)\)`)
)

// readNPYHeader reads the header of a .npy array, leaving r at its data.
// It accepts the little-endian, C-order arrays of the types Array holds,
// in any of the format's versions.
func readNPYHeader(r io.Reader) (npyHeaderInfo, error) {
	var pre [8]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		return npyHeaderInfo{}, fmt.Errorf("output: reading a .npy header: %w", err)
	}
	if string(pre[:6]) != npyMagic {
		return npyHeaderInfo{}, errors.New("output: not a .npy array")
	}
	var hlen int
	switch pre[6] {
	case 1:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return npyHeaderInfo{}, fmt.Errorf("output: reading a .npy header: %w", err)
		}
		hlen = int(binary.LittleEndian.Uint16(b[:]))
	case 2, 3:
		var b [4]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return npyHeaderInfo{}, fmt.Errorf("output: reading a .npy header: %w", err)
		}
		hlen = int(binary.LittleEndian.Uint32(b[:]))
	default:
		return npyHeaderInfo{}, fmt.Errorf("output: unsupported .npy version %d", pre[6])
	}
	if hlen > 1<<24 {
		return npyHeaderInfo{}, fmt.Errorf("output: .npy header of %d bytes is too long", hlen)
	}
	dict := make([]byte, hlen)
	if _, err := io.ReadFull(r, dict); err != nil {
		return npyHeaderInfo{}, fmt.Errorf("output: reading a .npy header: %w", err)
	}
	d, f, s := npyDescr.FindSubmatch(dict), npyFortran.FindSubmatch(dict), npyShape.FindSubmatch(dict)
	if d == nil || f == nil || s == nil {
		return npyHeaderInfo{}, fmt.Errorf("output: malformed .npy header %q", dict)
	}
	h := npyHeaderInfo{descr: string(d[1])}
	if _, ok := elemSize(h.descr); !ok {
		return npyHeaderInfo{}, fmt.Errorf("output: unsupported .npy dtype %q", h.descr)
	}
	if string(f[1]) == "True" {
		return npyHeaderInfo{}, errors.New("output: Fortran-order .npy arrays are not supported")
	}
	h.shape = []int{}
	for _, part := range strings.Split(string(s[1]), ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 {
			return npyHeaderInfo{}, fmt.Errorf("output: malformed .npy shape %q", s[1])
		}
		h.shape = append(h.shape, n)
	}
	if n := h.size(); n < 0 || n > math.MaxInt/8 {
		return npyHeaderInfo{}, fmt.Errorf("output: .npy shape %v is too large", h.shape)
	}
	return h, nil
}

// ReadNPY reads one array in .npy format, as WriteNPY or numpy.save
// write it: little-endian and C-ordered, of a type Array holds. It reads
// nothing beyond the array, so arrays written one after another can be
// read one after another.
func ReadNPY(r io.Reader) (Array, error) {
	h, err := readNPYHeader(r)
	if err != nil {
		return Array{}, err
	}
	data, err := readData(r, h.descr, h.size())
	if err != nil {
		return Array{}, err
	}
	return Array{Data: data, Shape: h.shape}, nil
}

// readData reads n elements of type descr.
func readData(r io.Reader, descr string, n int) (any, error) {
	size, _ := elemSize(descr)
	switch descr {
	case "<f8":
		return readLE(r, n, size, func(b []byte) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(b)) })
	case "<f4":
		return readLE(r, n, size, func(b []byte) float32 { return math.Float32frombits(binary.LittleEndian.Uint32(b)) })
	case "<i8":
		return readLE(r, n, size, func(b []byte) int64 { return int64(binary.LittleEndian.Uint64(b)) })
	case "<i4":
		return readLE(r, n, size, func(b []byte) int32 { return int32(binary.LittleEndian.Uint32(b)) })
	case "|b1":
		return readLE(r, n, size, func(b []byte) bool { return b[0] != 0 })
	default: // |u1
		out := make([]uint8, n)
		if _, err := io.ReadFull(r, out); err != nil {
			return nil, fmt.Errorf("output: reading .npy data: %w", err)
		}
		return out, nil
	}
}

// readLE decodes n little-endian elements through a bounded buffer.
func readLE[T any](r io.Reader, n, size int, get func([]byte) T) ([]T, error) {
	out := make([]T, n)
	buf := make([]byte, min(n*size, chunkBytes))
	for k := 0; k < n; {
		m := min(len(buf)/size, n-k)
		if _, err := io.ReadFull(r, buf[:m*size]); err != nil {
			return nil, fmt.Errorf("output: reading .npy data: %w", err)
		}
		for j := 0; j < m; j++ {
			out[k+j] = get(buf[j*size:])
		}
		k += m
	}
	return out, nil
}

// ReadNPZ reads a .npz archive of .npy arrays (stored or deflated), as
// WriteNPZFile or numpy.savez write it. With names, it reads only those
// arrays (those present) and skips the data of the others. The arrays
// are in the archive's order.
func ReadNPZ(path string, names ...string) (*NPZ, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	defer zr.Close()
	z := NewNPZ()
	for _, f := range zr.File {
		name, ok := strings.CutSuffix(f.Name, ".npy")
		if !ok || (len(names) > 0 && !slices.Contains(names, name)) {
			continue
		}
		a, err := readEntry(f)
		if err != nil {
			return nil, fmt.Errorf("output: %s: array %q: %w", path, name, err)
		}
		if err := z.Add(name, a); err != nil {
			return nil, err
		}
	}
	return z, nil
}

func readEntry(f *zip.File) (Array, error) {
	rc, err := f.Open()
	if err != nil {
		return Array{}, err
	}
	defer rc.Close()
	return ReadNPY(bufio.NewReaderSize(rc, chunkBytes))
}

// Get returns the array called name.
func (z *NPZ) Get(name string) (Array, bool) {
	a, ok := z.arrays[name]
	return a, ok
}
