package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Staging collects the files of one result set in a hidden temporary
// directory and publishes them into a final directory on Commit, so that
// an interrupted or failed run leaves nothing half-written there.
//
// Guarantees:
//   - Nothing written under Path is visible in the final directory before
//     Commit.
//   - If the final directory does not exist at Commit, it is created by a
//     single rename of the staging directory, so all files appear at once.
//   - If it exists, each staged file replaces its counterpart by a rename:
//     every file is at all times either its complete old version or its
//     complete new one, and files that were not staged are left alone.
//     Commit is then not atomic as a whole: a crash or error part way can
//     leave some files new and others old, never a partial file.
//   - Abort, or a process that dies before Commit, leaves the final
//     directory untouched (after a crash the hidden staging directory
//     ".NAME.staging-*" next to it may remain and is safe to delete).
//
// Staging moves files but does not force them to disk: like the file
// writers of this package it guards against failed and killed runs, not
// against the machine losing power right after a run.
type Staging struct {
	final string
	dir   string
	done  bool
}

// NewStaging creates a staging directory for finalDir. It lives in the
// same parent directory (created if needed) so that Commit can rename
// without crossing file systems.
func NewStaging(finalDir string) (*Staging, error) {
	final, err := filepath.Abs(finalDir)
	if err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	dir, err := os.MkdirTemp(parent, "."+filepath.Base(final)+".staging-*")
	if err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	return &Staging{final: final, dir: dir}, nil
}

// Dir returns the staging directory.
func (s *Staging) Dir() string { return s.dir }

// Path returns where to write the file that Commit will publish as
// finalDir/name. Name may contain subdirectories, which the caller
// creates; it must be a local path (see filepath.IsLocal), and Path
// panics otherwise since escaping the staging directory is a bug.
func (s *Staging) Path(name string) string {
	if !filepath.IsLocal(name) {
		panic(fmt.Sprintf("output: staging path %q is not local", name))
	}
	return filepath.Join(s.dir, name)
}

var errStagingDone = errors.New("output: staging already committed or aborted")

// Commit publishes the staged files into the final directory, creating it
// if needed. On error the files not yet moved stay staged; call Abort to
// discard them.
func (s *Staging) Commit() error {
	if s.done {
		return errStagingDone
	}
	// MkdirTemp makes the directory private; give it the usual mode in
	// case it becomes the final directory itself.
	if err := os.Chmod(s.dir, 0o755); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if _, err := os.Lstat(s.final); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(s.dir, s.final); err == nil {
			s.done = true
			return nil
		}
		// The directory appeared meanwhile: fall back to moving files.
	}

	err := filepath.WalkDir(s.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(s.dir, p)
		if err != nil {
			return err
		}
		dst := filepath.Join(s.final, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		return os.Rename(p, dst)
	})
	if err != nil {
		return fmt.Errorf("output: committing to %s: %w", s.final, err)
	}
	s.done = true
	// Only empty directories remain.
	if err := os.RemoveAll(s.dir); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	return nil
}

// Abort discards the staging directory and everything still in it. It is
// a no-op after a successful Commit, so it can be deferred right after
// NewStaging.
func (s *Staging) Abort() {
	if s.done {
		return
	}
	s.done = true
	os.RemoveAll(s.dir)
}
