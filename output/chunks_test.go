package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// writeChunks writes a stream of n-row chunks of t (float64), i (int64)
// and x, a (rows, cols) float64 array, and returns the whole of each.
func writeChunks(t *testing.T, dir string, sizes []int, cols int) (tt []float64, ii []int64, x []float64) {
	t.Helper()
	w, err := NewChunkWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	row := 0
	for _, n := range sizes {
		z := NewNPZ()
		ct, ci, cx := make([]float64, n), make([]int64, n), make([]float64, n*cols)
		for k := range n {
			ct[k], ci[k] = float64(row)*0.1, int64(row*7%5)
			for c := range cols {
				cx[k*cols+c] = float64(row) + float64(c)/1000
			}
			row++
		}
		tt, ii, x = append(tt, ct...), append(ii, ci...), append(x, cx...)
		for _, a := range []struct {
			name string
			a    Array
		}{{"t", Array{Data: ct}}, {"i", Array{Data: ci}}, {"x", Array{Data: cx, Shape: []int{n, cols}}}} {
			if err := z.Add(a.name, a.a); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Write(z); err != nil {
			t.Fatal(err)
		}
	}
	if w.Len() != len(sizes) {
		t.Fatalf("Len %d after %d chunks", w.Len(), len(sizes))
	}
	return tt, ii, x
}

func transpose(x []float64, rows, cols int) []float64 {
	out := make([]float64, len(x))
	for r := range rows {
		for c := range cols {
			out[c*rows+r] = x[r*cols+c]
		}
	}
	return out
}

func npzBytes(t *testing.T, z *NPZ) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := z.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestChunksAssembleIdentically: an archive of arrays streamed from
// chunks, concatenated or transposed, is byte for byte the archive of the
// same arrays held in memory, whatever the memory allowed.
func TestChunksAssembleIdentically(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mon")
	sizes, cols := []int{5, 5, 3, 1}, 4
	tt, ii, x := writeChunks(t, dir, sizes, cols)
	rows := len(tt)
	want := NewNPZ()
	for _, a := range []struct {
		name string
		a    Array
	}{{"t", Array{Data: tt}}, {"i", Array{Data: ii}}, {"x", Array{Data: transpose(x, rows, cols), Shape: []int{cols, rows}}}} {
		if err := want.Add(a.name, a.a); err != nil {
			t.Fatal(err)
		}
	}
	wantBytes := npzBytes(t, want)

	files, err := Chunks(dir)
	if err != nil || len(files) != len(sizes) {
		t.Fatalf("Chunks: %v, %v", files, err)
	}
	// mem: a whole result, two result rows, one result row, less than one.
	for _, mem := range []int64{1 << 20, int64(2 * rows * 8), int64(rows * 8), 8} {
		got := NewNPZ()
		for _, c := range []struct {
			name string
			typ  any
		}{{"t", []float64(nil)}, {"i", []int64(nil)}} {
			name := c.name
			a, err := ConcatChunks(files, name, c.typ)
			if err != nil {
				t.Fatal(err)
			}
			if err := got.Add(name, a); err != nil {
				t.Fatal(err)
			}
		}
		a, err := TransposeChunks(files, "x", cols, mem)
		if err != nil {
			t.Fatal(err)
		}
		if err := got.Add("x", a); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(npzBytes(t, got), wantBytes) {
			t.Errorf("mem %d: the streamed archive differs from the one in memory", mem)
		}
	}
}

// TestReadChunks: a stream folder reads back whole, ignoring a temporary
// file a killed writer left, and the chunks read as .npz archives.
func TestReadChunks(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mon")
	tt, ii, x := writeChunks(t, dir, []int{3, 2}, 2)
	if err := os.WriteFile(filepath.Join(dir, "."+ChunkFile(2)+".tmp-123"), []byte("PK\x03\x04torn"), 0o644); err != nil {
		t.Fatal(err)
	}
	z, err := ReadChunks(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := z.Names(); !reflect.DeepEqual(got, []string{"t", "i", "x"}) {
		t.Fatalf("names %v", got)
	}
	for name, want := range map[string]Array{"t": {Data: tt, Shape: []int{5}}, "i": {Data: ii, Shape: []int{5}}, "x": {Data: x, Shape: []int{5, 2}}} {
		if got, _ := z.Get(name); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
	one, err := ReadNPZ(filepath.Join(dir, ChunkFile(1)), "x")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := one.Get("x"); !reflect.DeepEqual(got, Array{Data: x[6:], Shape: []int{2, 2}}) || len(one.Names()) != 1 {
		t.Errorf("chunk 1: %v %v", one.Names(), got)
	}

	// A gap is an error, not the end of the recording.
	if err := os.Rename(filepath.Join(dir, ChunkFile(1)), filepath.Join(dir, ChunkFile(3))); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadChunks(dir); err == nil || !strings.Contains(err.Error(), ChunkFile(1)+" is missing") {
		t.Errorf("a gap: %v", err)
	}
	// A new stream in the folder removes the old chunks, and only them.
	if _, err := NewChunkWriter(dir); err != nil {
		t.Fatal(err)
	}
	if files, _ := Chunks(dir); len(files) != 0 {
		t.Errorf("old chunks left: %v", files)
	}
	if _, err := os.Stat(filepath.Join(dir, "."+ChunkFile(2)+".tmp-123")); err != nil {
		t.Errorf("another file was removed: %v", err)
	}
	if z, err := ReadChunks(dir); err != nil || len(z.Names()) != 0 {
		t.Errorf("an empty stream: %v %v", z.Names(), err)
	}
}

// TestNoChunks: the arrays of an empty stream are those of empty
// recordings; a wrong type is an error.
func TestNoChunks(t *testing.T) {
	want := NewNPZ()
	got := NewNPZ()
	for _, a := range []Array{{Data: []int64{}}, {Data: []float64{}, Shape: []int{3, 0}}} {
		if err := want.Add(fmt.Sprint(len(want.Names())), a); err != nil {
			t.Fatal(err)
		}
	}
	a, err := ConcatChunks(nil, "i", []int64(nil))
	if err != nil {
		t.Fatal(err)
	}
	b, err := TransposeChunks(nil, "x", 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := got.Add("0", a); err != nil {
		t.Fatal(err)
	}
	if err := got.Add("1", b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(npzBytes(t, got), npzBytes(t, want)) {
		t.Error("empty streams differ from empty arrays")
	}
	dir := t.TempDir()
	writeChunks(t, dir, []int{2}, 2)
	files, _ := Chunks(dir)
	if _, err := ConcatChunks(files, "i", []float64(nil)); err == nil {
		t.Error("int64 chunks were read as float64")
	}
	if _, err := TransposeChunks(files, "x", 3, 1); err == nil {
		t.Error("chunks of 2 columns were read as 3")
	}
	if _, err := ConcatChunks(files, "nope", []float64(nil)); err == nil {
		t.Error("a missing array was read")
	}
}

func TestChunkWriterTruncate(t *testing.T) {
	dir := t.TempDir()
	writeChunks(t, dir, []int{1, 1, 1}, 1)
	w := &ChunkWriter{dir: dir, n: 3}
	if err := w.Truncate(1); err != nil {
		t.Fatal(err)
	}
	if files, _ := Chunks(dir); len(files) != 1 || w.Len() != 1 || !reflect.DeepEqual(w.Files(), files) {
		t.Errorf("after Truncate(1): %v, Len %d", files, w.Len())
	}
}

// TestStreamedArray: a Streamed array writes the bytes of the slice of
// its pieces, and a wrong piece or length is an error.
func TestStreamedArray(t *testing.T) {
	data := []int32{1, -2, 3, 4, 5, -6}
	var want bytes.Buffer
	if err := WriteNPY(&want, Array{Data: data, Shape: []int{2, 3}}); err != nil {
		t.Fatal(err)
	}
	pieces := func(p ...any) Streamed {
		return Streamed{Type: []int32(nil), Len: len(data), Fill: func(put func(any) error) error {
			for _, x := range p {
				if err := put(x); err != nil {
					return err
				}
			}
			return nil
		}}
	}
	var got bytes.Buffer
	if err := WriteNPY(&got, Array{Data: pieces(data[:1], data[1:1], data[1:]), Shape: []int{2, 3}}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("streamed %q, want %q", got.Bytes(), want.Bytes())
	}
	for _, bad := range []Streamed{pieces(data[:3]), pieces(data, data[:1]), pieces([]int64{1, 2, 3, 4, 5, 6})} {
		if err := WriteNPY(&bytes.Buffer{}, Array{Data: bad}); err == nil {
			t.Errorf("no error for %v", bad)
		}
	}
	if err := NewNPZ().Add("x", Array{Data: Streamed{Type: []int32(nil), Len: 1}}); err == nil {
		t.Error("a Streamed array without Fill was accepted")
	}
}

// TestReadNPY reads back what WriteNPY writes, for every type, and
// arrays written one after another.
func TestReadNPY(t *testing.T) {
	var buf bytes.Buffer
	var want []Array
	for _, d := range testData(6) {
		for _, shape := range [][]int{nil, {2, 3}} {
			a := Array{Data: d, Shape: shape}
			if err := WriteNPY(&buf, a); err != nil {
				t.Fatal(err)
			}
			if shape == nil {
				a.Shape = []int{6}
			}
			want = append(want, a)
		}
	}
	for _, w := range want {
		got, err := ReadNPY(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("read %v, want %v", got, w)
		}
	}
	for _, bad := range []string{"", "\x93NUMPY\x01\x00", "NOTNUMPY\x01\x00\x04\x00abcd",
		"\x93NUMPY\x01\x00\x46\x00{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }\n"} {
		if _, err := ReadNPY(strings.NewReader(bad)); err == nil {
			t.Errorf("no error for %q", bad)
		}
	}
}

// TestNumpyReadsChunks: numpy.load reads each chunk, and their arrays
// concatenated are the recording.
func TestNumpyReadsChunks(t *testing.T) {
	py := pythonWithNumpy()
	if py == "" {
		t.Skip("no python3 with numpy")
	}
	dir := t.TempDir()
	tt, ii, x := writeChunks(t, dir, []int{4, 4, 2}, 3)
	script := `
import glob, json, os, sys, numpy as np
files = sorted(glob.glob(os.path.join(sys.argv[1], 'chunk-*.npz')), key=lambda f: int(os.path.basename(f)[6:-4]))
cs = [np.load(f) for f in files]
cat = lambda n: np.concatenate([c[n] for c in cs])
json.dump({'t': cat('t').tolist(), 'i': cat('i').tolist(), 'x': cat('x').tolist(), 'dtype': str(cat('i').dtype)}, sys.stdout)
`
	out, err := exec.Command(py, "-c", script, dir).Output()
	if err != nil {
		t.Fatalf("numpy: %v", err)
	}
	var got struct {
		T     []float64
		I     []int64
		X     [][]float64
		Dtype string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	var flat []float64
	for _, row := range got.X {
		flat = append(flat, row...)
	}
	if !reflect.DeepEqual(got.T, tt) || !reflect.DeepEqual(got.I, ii) || !reflect.DeepEqual(flat, x) || len(got.X) != 10 || got.Dtype != "int64" {
		t.Errorf("numpy read %s", out)
	}
}
