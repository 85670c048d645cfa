package output

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// filePerm is the mode of files this package creates; os.CreateTemp
// would otherwise leave them readable by the owner only.
const filePerm = 0o644

// WriteNPYFile writes a to path as a .npy file, atomically.
func WriteNPYFile(path string, a Array) error {
	if _, _, err := a.shape(); err != nil {
		return err
	}
	return writeFileAtomic(path, func(w io.Writer) error { return WriteNPY(w, a) })
}

// WriteJSONFile writes v to path as indented JSON with a trailing
// newline, atomically. HTML characters are not escaped, since the file
// is for people and scripts, not for embedding in web pages.
func WriteJSONFile(path string, v any) error {
	return writeFileAtomic(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(v) // Encode appends the newline
	})
}

// writeFileAtomic writes a temporary file next to path with fill and
// renames it over path. The temporary file is in the same directory so the
// rename cannot cross file systems; on any error it is removed and path is
// left as it was, so a failed or killed run never leaves a half-written
// file under the real name.
//
// The data is not forced to disk (no fsync), as numpy.save and Brian2 do
// not force theirs: that took 10 ms for the 2.5 MB of spikes of a
// 2-second COBA run, longer than building the network, and protects only
// against the machine failing within seconds of the write.
func writeFileAtomic(path string, fill func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()

	bw := bufio.NewWriterSize(f, 1<<16)
	if err = fill(bw); err != nil {
		return fmt.Errorf("output: writing %s: %w", path, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("output: writing %s: %w", path, err)
	}
	if err = f.Chmod(filePerm); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("output: writing %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	return nil
}
