package output

import (
	"archive/zip"
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
)

// A stream folder holds one recording as numbered chunk files,
// chunk-000000.npz, chunk-000001.npz, ...: each a complete .npz archive
// of arrays whose first axis is the chunk's share of the recording, so
// that concatenating the chunks' arrays along their first axis gives
// the recording. Each chunk is written to a hidden temporary file and
// renamed into place, so a chunk file is always complete: a run killed
// while writing leaves the chunks before it, readable by numpy.load or
// ReadChunks, and at most a hidden temporary file.

// chunkName matches a chunk file and captures its number.
var chunkName = regexp.MustCompile(`^chunk-([0-9]+)\.npz$`)

// ChunkFile returns the name of chunk k in a stream folder.
func ChunkFile(k int) string { return fmt.Sprintf("chunk-%06d.npz", k) }

// ChunkWriter appends chunks to a stream folder.
type ChunkWriter struct {
	dir string
	n   int
}

// NewChunkWriter creates dir (and its parents) for a new stream. Chunk
// files already there, of an earlier stream, are removed; other files
// are left alone.
func NewChunkWriter(dir string) (*ChunkWriter, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	old, err := chunkNumbers(dir)
	if err != nil {
		return nil, err
	}
	for _, k := range old {
		if err := os.Remove(filepath.Join(dir, ChunkFile(k))); err != nil {
			return nil, fmt.Errorf("output: %w", err)
		}
	}
	return &ChunkWriter{dir: dir}, nil
}

// Dir returns the stream folder.
func (w *ChunkWriter) Dir() string { return w.dir }

// Len returns the number of chunks written.
func (w *ChunkWriter) Len() int { return w.n }

// Files returns the paths of the chunks written, in order.
func (w *ChunkWriter) Files() []string {
	out := make([]string, w.n)
	for k := range out {
		out[k] = filepath.Join(w.dir, ChunkFile(k))
	}
	return out
}

// Write writes z as the next chunk. The chunk appears under its name only
// once complete. It is not forced to disk (see writeFileAtomic): the
// chunks survive a killed process, which is what they are for, and an
// fsync per chunk would cost more than the writing.
func (w *ChunkWriter) Write(z *NPZ) error {
	if err := WriteNPZFile(filepath.Join(w.dir, ChunkFile(w.n)), z); err != nil {
		return err
	}
	w.n++
	return nil
}

// Truncate removes the chunks from number n on, so that the next Write
// writes chunk n.
func (w *ChunkWriter) Truncate(n int) error {
	for ; w.n > n; w.n-- {
		if err := os.Remove(filepath.Join(w.dir, ChunkFile(w.n-1))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("output: %w", err)
		}
	}
	return nil
}

// chunkNumbers returns the numbers of the chunk files in dir, sorted.
func chunkNumbers(dir string) ([]int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	var out []int
	for _, e := range entries {
		if m := chunkName.FindStringSubmatch(e.Name()); m != nil && e.Type().IsRegular() {
			k, err := strconv.Atoi(m[1])
			if err != nil {
				return nil, fmt.Errorf("output: chunk file %s: %w", e.Name(), err)
			}
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out, nil
}

// Chunks returns the paths of the chunk files in a stream folder, in
// order. Chunks are written one after another, so a missing number is
// an error rather than the end of the recording.
func Chunks(dir string) ([]string, error) {
	nums, err := chunkNumbers(dir)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(nums))
	for k, n := range nums {
		if n != k {
			return nil, fmt.Errorf("output: %s: %s is missing", dir, ChunkFile(k))
		}
		out[k] = filepath.Join(dir, ChunkFile(n))
	}
	return out, nil
}

// ReadChunks reads a stream folder whole: each array of its first chunk
// (or only those named), concatenated along the first axis over all
// chunks. It reads what a killed run left as well as a finished stream. A
// folder without chunks gives an empty archive.
func ReadChunks(dir string, names ...string) (*NPZ, error) {
	files, err := Chunks(dir)
	if err != nil {
		return nil, err
	}
	out := NewNPZ()
	if len(files) == 0 {
		return out, nil
	}
	first, err := ReadNPZ(files[0], names...)
	if err != nil {
		return nil, err
	}
	for _, name := range first.Names() {
		a0, _ := first.Get(name)
		a, err := ConcatChunks(files, name, a0.Data)
		if err != nil {
			return nil, err
		}
		s := a.Data.(Streamed)
		data, err := collect(s)
		if err != nil {
			return nil, err
		}
		if err := out.Add(name, Array{Data: data, Shape: a.Shape}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// collect gathers the data of a Streamed array into one slice.
func collect(s Streamed) (any, error) {
	switch s.Type.(type) {
	case []float64:
		return collectAs[float64](s)
	case []float32:
		return collectAs[float32](s)
	case []int64:
		return collectAs[int64](s)
	case []int32:
		return collectAs[int32](s)
	case []bool:
		return collectAs[bool](s)
	default:
		return collectAs[uint8](s)
	}
}

func collectAs[T any](s Streamed) ([]T, error) {
	out := make([]T, 0, s.Len)
	err := s.Fill(func(piece any) error {
		p, ok := piece.([]T)
		if !ok {
			return fmt.Errorf("output: a piece of type %T in a Streamed array of %T", piece, s.Type)
		}
		out = append(out, p...)
		return nil
	})
	return out, err
}

// chunkEntry is one array in one chunk file.
type chunkEntry struct {
	file   string
	header npyHeaderInfo
}

// chunkHeaders reads the header of array name in each file and checks that
// they agree on the type and on every axis but the first.
func chunkHeaders(files []string, name string) ([]chunkEntry, error) {
	out := make([]chunkEntry, len(files))
	for k, path := range files {
		err := withEntry(path, name, func(r io.Reader) error {
			h, err := readNPYHeader(r)
			out[k] = chunkEntry{path, h}
			return err
		})
		if err != nil {
			return nil, err
		}
		h, h0 := out[k].header, out[0].header
		if len(h.shape) == 0 {
			return nil, fmt.Errorf("output: %s: array %q is 0-d, a chunk's arrays have a first axis", path, name)
		}
		if h.descr != h0.descr || !slices.Equal(h.shape[1:], h0.shape[1:]) {
			return nil, fmt.Errorf("output: %s: array %q is %s %v, the first chunk's is %s %v", path, name, h.descr, h.shape, h0.descr, h0.shape)
		}
	}
	return out, nil
}

// withEntry calls fn with a reader of array name in the .npz at path.
func withEntry(path, name string, fn func(r io.Reader) error) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name != name+".npy" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("output: %s: %w", path, err)
		}
		defer rc.Close()
		if err := fn(bufio.NewReaderSize(rc, chunkBytes)); err != nil {
			return fmt.Errorf("output: %s: array %q: %w", path, name, err)
		}
		return nil
	}
	return fmt.Errorf("output: %s has no array %q", path, name)
}

// typeOf returns a nil slice of the element type of descr.
func typeOf(descr string) any {
	switch descr {
	case "<f8":
		return []float64(nil)
	case "<f4":
		return []float32(nil)
	case "<i8":
		return []int64(nil)
	case "<i4":
		return []int32(nil)
	case "|b1":
		return []bool(nil)
	}
	return []uint8(nil)
}

// ConcatChunks returns array name of the chunk files concatenated along
// the first axis, as a Streamed array that reads one chunk at a time when
// it is written. The arrays must be of the element type of typ, a slice
// such as []float64(nil); an empty list of files gives an empty 1-d
// array of that type.
func ConcatChunks(files []string, name string, typ any) (Array, error) {
	want, _, err := Array{Data: typ}.dtype()
	if err != nil {
		return Array{}, err
	}
	if len(files) == 0 {
		return Array{Data: Streamed{Type: typ, Fill: func(func(any) error) error { return nil }}}, nil
	}
	entries, err := chunkHeaders(files, name)
	if err != nil {
		return Array{}, err
	}
	if d := entries[0].header.descr; d != want {
		return Array{}, fmt.Errorf("output: %s: array %q is %s, not %s", files[0], name, d, want)
	}
	shape := slices.Clone(entries[0].header.shape)
	shape[0] = 0
	total := 0
	for _, e := range entries {
		shape[0] += e.header.shape[0]
		total += e.header.size()
	}
	fill := func(put func(any) error) error {
		for _, e := range entries {
			err := withEntry(e.file, name, func(r io.Reader) error {
				a, err := ReadNPY(r)
				if err != nil {
					return err
				}
				return put(a.Data)
			})
			if err != nil {
				return err
			}
		}
		return nil
	}
	return Array{Data: Streamed{Type: typeOf(entries[0].header.descr), Len: total, Fill: fill}, Shape: shape}, nil
}

// TransposeChunks returns the float64 arrays name of the chunk files,
// each (rows, cols), concatenated along the rows and transposed: (cols,
// total rows), as a Streamed array. It holds at most about mem bytes of
// the result at a time: blocks of result rows, each gathered in one pass
// over the chunks, or, when a single result row is larger than mem, each
// result row in pieces, one pass per row. An empty list of files gives
// a (cols, 0) array.
func TransposeChunks(files []string, name string, cols int, mem int64) (Array, error) {
	if len(files) == 0 {
		return Array{Data: []float64{}, Shape: []int{cols, 0}}, nil
	}
	entries, err := chunkHeaders(files, name)
	if err != nil {
		return Array{}, err
	}
	h0 := entries[0].header
	if h0.descr != "<f8" || len(h0.shape) != 2 || h0.shape[1] != cols {
		return Array{}, fmt.Errorf("output: %s: array %q is %s %v, not a float64 array of %d columns", files[0], name, h0.descr, h0.shape, cols)
	}
	rows := 0
	for _, e := range entries {
		rows += e.header.shape[0]
	}
	block := 1
	if rows > 0 {
		block = int(min(max(mem/int64(8*rows), 1), int64(max(cols, 1))))
	}
	inMemory := int64(block)*int64(rows)*8 <= mem
	fill := func(put func(any) error) error {
		var buf []float64
		for c0 := 0; c0 < cols; c0 += block {
			c1 := min(c0+block, cols)
			if !inMemory { // one result row, c0, put a chunk's piece at a time
				for _, e := range entries {
					buf = slices.Grow(buf[:0], e.header.shape[0])[:e.header.shape[0]]
					if err := readColumns(e, name, cols, c0, c1, func(t int, row []float64) { buf[t] = row[0] }); err != nil {
						return err
					}
					if err := put(buf); err != nil {
						return err
					}
				}
				continue
			}
			buf = slices.Grow(buf[:0], (c1-c0)*rows)[:(c1-c0)*rows]
			t0 := 0
			for _, e := range entries {
				err := readColumns(e, name, cols, c0, c1, func(t int, row []float64) {
					for c, x := range row {
						buf[c*rows+t0+t] = x
					}
				})
				if err != nil {
					return err
				}
				t0 += e.header.shape[0]
			}
			if err := put(buf); err != nil {
				return err
			}
		}
		return nil
	}
	return Array{Data: Streamed{Type: []float64(nil), Len: rows * cols, Fill: fill}, Shape: []int{cols, rows}}, nil
}

// readColumns reads the rows of a chunk's (rows, cols) float64 array in
// order and calls fn with the values of columns c0 to c1 of each.
func readColumns(e chunkEntry, name string, cols, c0, c1 int, fn func(t int, row []float64)) error {
	return withEntry(e.file, name, func(r io.Reader) error {
		if _, err := readNPYHeader(r); err != nil {
			return err
		}
		rowBytes := 8 * cols
		per := max(1, chunkBytes/max(rowBytes, 1)) // rows per read
		raw := make([]byte, per*rowBytes)
		vals := make([]float64, c1-c0)
		for t := 0; t < e.header.shape[0]; {
			m := min(per, e.header.shape[0]-t)
			if _, err := io.ReadFull(r, raw[:m*rowBytes]); err != nil {
				return fmt.Errorf("reading .npy data: %w", err)
			}
			for j := 0; j < m; j++ {
				row := raw[j*rowBytes:]
				for c := c0; c < c1; c++ {
					vals[c-c0] = math.Float64frombits(binary.LittleEndian.Uint64(row[8*c:]))
				}
				fn(t+j, vals)
			}
			t += m
		}
		return nil
	})
}

// NewStreamDir creates a hidden folder for the streams of the run whose
// results go to finalDir: ".NAME.stream-*" next to it (on the same file
// system as the results, which it may become as large as).
func NewStreamDir(finalDir string) (string, error) {
	final, err := filepath.Abs(finalDir)
	if err != nil {
		return "", fmt.Errorf("output: %w", err)
	}
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("output: %w", err)
	}
	dir, err := os.MkdirTemp(parent, "."+filepath.Base(final)+".stream-*")
	if err != nil {
		return "", fmt.Errorf("output: %w", err)
	}
	return dir, nil
}
