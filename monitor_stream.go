package soma

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"github.com/soma-sim/soma/output"
)

// Stream makes a spike, event, state or rate monitor write its recording
// to the folder dir while it runs, in chunks, instead of holding all of it
// in memory (see SpikeMonitor.StreamTo).
func Stream(dir string) Option {
	return option{"Stream", []string{"monitor"}, func(c *config) { c.streamDir = dir }}
}

// ChunkSize sets the number of records in each chunk of a streaming
// monitor: spikes or events, or samples (times) of a state or rate
// monitor. The default is about 4 MiB of data per chunk.
func ChunkSize(records int) Option {
	return option{"ChunkSize", []string{"monitor"}, func(c *config) { c.chunk = records }}
}

// MaxSamples makes a StateMonitor keep only its last n samples, in a ring
// buffer, for runs of any length (Brian2 records everything). Its
// recordings then hold the last n samples in time order.
func MaxSamples(n int) Option {
	return option{"MaxSamples", []string{"statemonitor"}, func(c *config) { c.maxSamples = n }}
}

// defaultChunkBytes is the size of a streamed chunk unless ChunkSize sets
// it: large enough that writing the data costs far more than creating its
// file, small enough that a monitor holds only a few megabytes.
const defaultChunkBytes = 4 << 20

// budgetFirstMark is the number of records at which a monitor under a
// MonitorBudget first asks it; it asks again each time the number doubles.
const budgetFirstMark = 4096

// streaming is the state the monitors share for streaming. The monitors'
// step compares the length of the recording with mark and takes the slow
// path (write a chunk, ask the budget, fill a ring) only when it reaches
// it, so that a monitor that does not stream pays one comparison a step.
type streaming struct {
	w     *output.ChunkWriter // nil unless streaming
	chunk int                 // records per chunk asked for (0: defaultChunkBytes worth)
	size  int                 // records per chunk while streaming
	// recordBytes is the size of a record in a chunk.
	recordBytes int
	mark        int
	budget      *MonitorBudget
	err         error // the first failure to stream; the recording stops there
	// serials numbers the chunks in the order they were written (writes
	// counts them), so that a restore can tell a chunk of the stored state
	// from one written in its place after an earlier restore.
	serials []int64
	writes  int64
}

// write writes z as the next chunk.
func (s *streaming) write(z *output.NPZ) error {
	if err := s.w.Write(z); err != nil {
		return err
	}
	s.writes++
	s.serials = append(s.serials, s.writes)
	return nil
}

// chunkMark identifies the chunks a streaming monitor has written, for a
// snapshot.
type chunkMark struct {
	n      int
	serial int64 // of chunk n-1
}

func (s *streaming) chunkMark() chunkMark {
	if s.w == nil || s.w.Len() == 0 {
		return chunkMark{}
	}
	return chunkMark{s.w.Len(), s.serials[s.w.Len()-1]}
}

// Streaming reports whether the monitor streams its recording to disk.
func (s *streaming) Streaming() bool { return s.w != nil }

// StreamDir returns the folder the monitor streams to ("" when it does
// not).
func (s *streaming) StreamDir() string {
	if s.w == nil {
		return ""
	}
	return s.w.Dir()
}

// SetChunkSize sets the number of records per chunk of a stream started
// later (see ChunkSize).
func (s *streaming) SetChunkSize(records int) { s.chunk = records }

// Err returns the first error in streaming the recording: writing a chunk,
// starting to stream under a MonitorBudget, or reading the chunks back. The
// recording stops at a failure to write; the next Run of the network then
// fails with the error.
func (s *streaming) Err() error { return s.err }

func (s *streaming) fail(name string, err error) {
	if s.err == nil {
		s.err = fmt.Errorf("monitor '%s': %w", name, err)
	}
}

// startStream opens the chunk writer of a monitor whose records take
// recordBytes each on disk.
func (s *streaming) startStream(name, dir string, recordBytes int) error {
	if s.w != nil {
		return fmt.Errorf("monitor '%s' streams already, to %s", name, s.w.Dir())
	}
	if s.chunk < 0 {
		return fmt.Errorf("monitor '%s': the chunk size must be positive, got %d", name, s.chunk)
	}
	w, err := output.NewChunkWriter(dir)
	if err != nil {
		return fmt.Errorf("monitor '%s': %w", name, err)
	}
	s.w, s.size, s.recordBytes = w, s.chunk, max(recordBytes, 1)
	if s.size == 0 {
		s.size = max(1, defaultChunkBytes/max(recordBytes, 1))
	}
	s.mark = s.size
	return nil
}

func (s *streaming) watched(b *MonitorBudget) {
	s.budget = b
	if s.w == nil {
		s.mark = min(s.mark, budgetFirstMark)
	}
}

// overBudget is called when a recording that does not stream reaches its
// mark: it starts streaming when the growth to come (as much again as m
// holds) would pass the budget, and reports whether it did (or failed to).
// Otherwise it sets the next mark at twice the length n.
func (s *streaming) overBudget(m StreamingMonitor, n int) bool {
	b := s.budget
	if b == nil || b.Held()+m.HeldBytes() <= b.Bytes {
		s.mark = max(2*n, budgetFirstMark)
		if b == nil {
			s.mark = math.MaxInt
		}
		return false
	}
	if err := b.start(m); err != nil {
		s.fail(m.Name(), err)
	}
	return true
}

// restoreChunks returns a streaming monitor's folder to the chunks it had
// when a snapshot was taken, and rechunk then writes the whole chunks of
// what the restored monitor holds.
//
// Chunks are written one after another, so when the last chunk of the
// stored state is still there, so are the others; a restore to an earlier
// state may have removed it.
func (s *streaming) restoreChunks(name string, c chunkMark, rechunk func() error) {
	if s.w == nil {
		return
	}
	if c.n > s.w.Len() || (c.n > 0 && s.serials[c.n-1] != c.serial) {
		s.fail(name, fmt.Errorf("the stored state's chunks are gone: a restore to an earlier state removed them"))
		return
	}
	if err := s.w.Truncate(c.n); err != nil {
		s.fail(name, err)
		return
	}
	s.serials = s.serials[:c.n]
	rechunk()
}

// A streaming monitor's buffers start at startBytes (or a chunk, if
// smaller) and double up to a chunk, so that a short recording does not
// take a whole chunk of memory. They grow on the monitor's slow path,
// exactly, so they never hold more than a chunk.
const startBytes = 64 << 10

// bufferRecords is the capacity of a streaming monitor's buffers for n
// records.
func (s *streaming) bufferRecords(n int) int {
	return min(s.size, max(n, startBytes/s.recordBytes, 1))
}

// streamedBytes is about what a monitor whose records take recordBytes
// holds when it streams a recording of n records: up to a chunk.
func (s *streaming) streamedBytes(n int64, recordBytes int) int64 {
	size := int64(s.chunk)
	if size == 0 {
		size = int64(max(1, defaultChunkBytes/max(recordBytes, 1)))
	}
	return min(n, size) * int64(recordBytes)
}

// rebuffer returns a buffer of capacity c (at least its length) holding
// s[from:], from bufferSlice.
func rebuffer[T largeNumber](s []T, from, c int) []T {
	out := bufferSlice[T](max(c, len(s)-from))[:len(s)-from]
	copy(out, s[from:])
	return out
}

// growCap returns s with a capacity of at least c, reallocated exactly.
func growCap[T largeNumber](s []T, c int) []T {
	if cap(s) >= c {
		return s
	}
	return rebuffer(s, 0, c)
}

// StreamingMonitor is a monitor that can stream its recording to disk:
// *SpikeMonitor (spikes and events), *StateMonitor or
// *PopulationRateMonitor.
type StreamingMonitor interface {
	Name() string
	StreamTo(dir string) error
	Flush() error
	Streaming() bool
	StreamDir() string
	HeldBytes() int64
	Err() error
	SetChunkSize(records int)
	watched(b *MonitorBudget)
}

// MonitorBudget bounds the memory that monitors hold: when the recording
// of a monitor under the budget is about to grow the total that they hold
// past Bytes, that monitor starts streaming (see SpikeMonitor.StreamTo) to
// a folder of its name in the folder that Dir returns. Dir is called
// once, when the first monitor starts; Started, if set, is called for
// each monitor that starts.
//
// A recording is checked when its length reaches 4096 records and each
// time it doubles, so the total may pass Bytes by what one recording grew
// since its last check. A StateMonitor with MaxSamples is bounded already
// and never streams, but what it holds counts.
type MonitorBudget struct {
	Bytes   int64
	Dir     func() (string, error)
	Started func(monitor, dir string)

	members []StreamingMonitor
	dir     string
	dirErr  error
}

// Watch puts monitors under the budget.
func (b *MonitorBudget) Watch(monitors ...StreamingMonitor) {
	for _, m := range monitors {
		if !slices.Contains(b.members, m) {
			b.members = append(b.members, m)
			m.watched(b)
		}
	}
}

// Held returns the memory the watched monitors' recordings hold, in bytes.
func (b *MonitorBudget) Held() int64 {
	var n int64
	for _, m := range b.members {
		n += m.HeldBytes()
	}
	return n
}

// Folder returns the folder the monitors stream to, creating it if no
// monitor has yet.
func (b *MonitorBudget) Folder() (string, error) {
	if b.dir == "" && b.dirErr == nil {
		if b.Dir == nil {
			b.dirErr = fmt.Errorf("the monitor budget has no folder to stream to")
		} else {
			b.dir, b.dirErr = b.Dir()
		}
	}
	return b.dir, b.dirErr
}

// Start makes m stream to its folder in the budget's folder.
func (b *MonitorBudget) Start(m StreamingMonitor) error {
	return b.start(m)
}

func (b *MonitorBudget) start(m StreamingMonitor) error {
	name := m.Name()
	if !filepath.IsLocal(name) || strings.ContainsAny(name, `/\`) {
		return fmt.Errorf("cannot stream monitor '%s' to a folder of its name", name)
	}
	parent, err := b.Folder()
	if err != nil {
		return err
	}
	dir := filepath.Join(parent, name)
	if err := m.StreamTo(dir); err != nil {
		return err
	}
	if b.Started != nil {
		b.Started(name, dir)
	}
	return nil
}
