package output

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
)

// Array is an n-dimensional array in C (row-major) order.
//
// Data must be one of []float64, []float32, []int64, []int32, []bool or
// []uint8, or a Streamed source of one of these. A nil Shape means a 1-D array of len(Data); a non-nil empty
// Shape means a 0-d (scalar) array, which needs exactly one element.
type Array struct {
	Data  any
	Shape []int
}

// npyMagic starts every .npy file.
const npyMagic = "\x93NUMPY"

// npyAlign is the alignment numpy uses for the start of the data, so that
// the array can be memory-mapped with any element size.
const npyAlign = 64

// growthDigits mirrors numpy's GROWTH_AXIS_MAX_DIGITS: numpy reserves room
// in the header so the first axis can later grow in place, and we pad the
// same way so our headers are byte-identical to numpy's.
const growthDigits = 21

// dtype returns the numpy type descriptor and element count of a.Data.
func (a Array) dtype() (descr string, n int, err error) {
	switch d := a.Data.(type) {
	case []float64:
		return "<f8", len(d), nil
	case []float32:
		return "<f4", len(d), nil
	case []int64:
		return "<i8", len(d), nil
	case []int32:
		return "<i4", len(d), nil
	case []bool:
		return "|b1", len(d), nil
	case []uint8:
		return "|u1", len(d), nil
	case Streamed:
		descr, _, err := Array{Data: d.Type}.dtype()
		if _, ok := d.Type.(Streamed); ok || d.Len < 0 || d.Fill == nil {
			err = errors.New("output: a Streamed array needs a slice Type, a length and Fill")
		}
		return descr, d.Len, err
	case nil:
		return "", 0, errors.New("output: array has no data")
	default:
		return "", 0, fmt.Errorf("output: unsupported array data type %T", a.Data)
	}
}

// shape returns the effective shape after checking it against the data.
func (a Array) shape() (descr string, shape []int, err error) {
	descr, n, err := a.dtype()
	if err != nil {
		return "", nil, err
	}
	if a.Shape == nil {
		return descr, []int{n}, nil
	}
	size := 1
	for _, s := range a.Shape {
		if s < 0 {
			return "", nil, fmt.Errorf("output: negative dimension in shape %v", a.Shape)
		}
		if s == 0 {
			size = 0
		}
	}
	if size != 0 {
		for _, s := range a.Shape {
			// Guard the product against overflow before comparing it.
			if size > math.MaxInt/s {
				return "", nil, fmt.Errorf("output: shape %v is too large", a.Shape)
			}
			size *= s
		}
	}
	if size != n {
		return "", nil, fmt.Errorf("output: shape %v holds %d elements but data has %d", a.Shape, size, n)
	}
	return descr, a.Shape, nil
}

// npyHeader builds the complete header (magic through the final newline)
// exactly as numpy.save does.
func npyHeader(descr string, shape []int) []byte {
	var dict bytes.Buffer
	dict.WriteString("{'descr': '")
	dict.WriteString(descr)
	dict.WriteString("', 'fortran_order': False, 'shape': (")
	for i, s := range shape {
		if i > 0 {
			dict.WriteString(", ")
		}
		dict.WriteString(strconv.Itoa(s))
	}
	if len(shape) == 1 {
		dict.WriteByte(',') // a Python 1-tuple
	}
	dict.WriteString("), }")
	if len(shape) > 0 {
		pad := growthDigits - len(strconv.Itoa(shape[0]))
		dict.WriteString(spaces(max(pad, 0)))
	}

	// Version 1.0 stores the header length in 2 bytes; numpy falls back to
	// version 2.0 (4 bytes) only when the header does not fit.
	major, lenBytes := byte(1), 2
	hlen := dict.Len() + 1 // + the final '\n'
	pad := npyAlign - (len(npyMagic)+2+lenBytes+hlen)%npyAlign
	if hlen+pad > math.MaxUint16 {
		major, lenBytes = 2, 4
		pad = npyAlign - (len(npyMagic)+2+lenBytes+hlen)%npyAlign
	}

	out := make([]byte, 0, len(npyMagic)+2+lenBytes+hlen+pad)
	out = append(out, npyMagic...)
	out = append(out, major, 0)
	if lenBytes == 2 {
		out = binary.LittleEndian.AppendUint16(out, uint16(hlen+pad))
	} else {
		out = binary.LittleEndian.AppendUint32(out, uint32(hlen+pad))
	}
	out = append(out, dict.Bytes()...)
	out = append(out, spaces(pad)...)
	return append(out, '\n')
}

func spaces(n int) string { return string(bytes.Repeat([]byte{' '}, n)) }

// WriteNPY writes a in NumPy .npy format (version 1.0, little-endian,
// C order), byte-for-byte as numpy.save would.
func WriteNPY(w io.Writer, a Array) error {
	descr, shape, err := a.shape()
	if err != nil {
		return err
	}
	if _, err := w.Write(npyHeader(descr, shape)); err != nil {
		return err
	}
	return writeData(w, a.Data)
}

// chunkBytes bounds the encoding buffer so large arrays are not copied whole.
const chunkBytes = 64 << 10

func writeData(w io.Writer, data any) error {
	switch d := data.(type) {
	case Streamed:
		return d.write(w)
	case []float64:
		return writeLE(w, d, 8, func(b []byte, v float64) []byte {
			return binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		})
	case []float32:
		return writeLE(w, d, 4, func(b []byte, v float32) []byte {
			return binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
		})
	case []int64:
		return writeLE(w, d, 8, func(b []byte, v int64) []byte {
			return binary.LittleEndian.AppendUint64(b, uint64(v))
		})
	case []int32:
		return writeLE(w, d, 4, func(b []byte, v int32) []byte {
			return binary.LittleEndian.AppendUint32(b, uint32(v))
		})
	case []bool:
		return writeLE(w, d, 1, func(b []byte, v bool) []byte {
			if v {
				return append(b, 1)
			}
			return append(b, 0)
		})
	case []uint8:
		_, err := w.Write(d)
		return err
	}
	return fmt.Errorf("output: unsupported array data type %T", data)
}

// Streamed is array data produced while the array is written, for arrays
// too large to hold in memory: Fill calls put with consecutive pieces of
// the data, slices of the type of Type, Len elements in all. The bytes
// written are those of one slice holding all the pieces.
type Streamed struct {
	Type any // a slice of the element type, e.g. []float64(nil)
	Len  int
	Fill func(put func(piece any) error) error
}

func (s Streamed) write(w io.Writer) error {
	want, _, _ := Array{Data: s.Type}.dtype()
	n := 0
	err := s.Fill(func(piece any) error {
		descr, m, err := Array{Data: piece}.dtype()
		if err != nil {
			return err
		}
		if _, nested := piece.(Streamed); nested || descr != want {
			return fmt.Errorf("output: a piece of type %T in a Streamed array of %T", piece, s.Type)
		}
		if n += m; n > s.Len {
			return fmt.Errorf("output: a Streamed array of %d elements got more", s.Len)
		}
		return writeData(w, piece)
	})
	if err == nil && n != s.Len {
		err = fmt.Errorf("output: a Streamed array of %d elements got %d", s.Len, n)
	}
	return err
}

// writeLE encodes s in little-endian order in bounded chunks, so the
// output is the same on any host byte order.
func writeLE[T any](w io.Writer, s []T, size int, put func([]byte, T) []byte) error {
	buf := make([]byte, 0, min(len(s)*size, chunkBytes))
	for _, v := range s {
		if len(buf)+size > cap(buf) {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
		buf = put(buf, v)
	}
	if len(buf) > 0 {
		_, err := w.Write(buf)
		return err
	}
	return nil
}
