// Package output writes simulation results in formats that NumPy and
// ordinary JSON tooling read directly: .npy arrays, .npz archives of
// arrays, and indented JSON documents.
//
// Every file writer in this package writes to a temporary file in the
// destination directory and renames it into place, so a reader never
// sees a half-written file. Staging extends this to a set of files that
// are produced together (one run's --out directory), and a stream folder
// (ChunkWriter) to a recording written in numbered chunks while a run goes
// on, readable up to its last chunk if the run is killed (ReadChunks), and
// assembled into one archive without being held in memory (ConcatChunks,
// TransposeChunks). ReadNPY and ReadNPZ read what the writers write.
package output
