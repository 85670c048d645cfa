package soma

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/soma-sim/soma/output"
)

// streamNet is a seeded network of n LIF neurons with noise, spiking
// irregularly, with an event "up" and the monitors that monitors adds.
func streamNet(t testing.TB, n int, monitors func(net *Network, G *NeuronGroup)) *Network {
	t.Helper()
	net := NewNetwork()
	net.Seed(3)
	G, err := net.NeuronGroup(n, "dv/dt = (1.2 - v)/(10*ms) + 0.3*xi/sqrt(ms) : 1",
		Name("G"), Threshold("v > 1"), Reset("v = 0"), Event("up", "v > 0.9"), Method("euler"))
	if err != nil {
		t.Fatal(err)
	}
	if err := G.Set("v", "rand()"); err != nil {
		t.Fatal(err)
	}
	monitors(net, G)
	return net
}

// need returns x, and panics on an error, which fails the test.
func need[T any](x T, err error) T {
	if err != nil {
		panic(err)
	}
	return x
}

func noErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

type streamPair struct {
	spikes, ups *SpikeMonitor
	state       *StateMonitor
	rate        *PopulationRateMonitor
}

// pairNet builds streamNet with a spike monitor (recording v), an event
// monitor, a state monitor of 3 neurons and a rate monitor, given opts.
func pairNet(t testing.TB, opts ...Option) (*Network, *streamPair) {
	p := &streamPair{}
	net := streamNet(t, 50, func(net *Network, G *NeuronGroup) {
		o := func(name string) []Option { return append([]Option{Name(name)}, opts...) }
		p.spikes = need(net.SpikeMonitor(G, append(o("spikes"), Variables("v"))...))
		p.ups = need(net.EventMonitor(G, "up", o("ups")...))
		p.state = need(net.StateMonitor(G, []string{"v"}, append(o("vm"), Record(1, 7, 30))...))
		p.rate = need(net.PopulationRateMonitor(G, o("rate")...))
	})
	return net, p
}

func (p *streamPair) all() []StreamingMonitor {
	return []StreamingMonitor{p.spikes, p.ups, p.state, p.rate}
}

// sameRecordings fails unless the monitors of a and b recorded the same.
func sameRecordings(t *testing.T, a, b *streamPair) {
	t.Helper()
	for k, m := range []*SpikeMonitor{a.spikes, a.ups} {
		o := []*SpikeMonitor{b.spikes, b.ups}[k]
		if len(m.T()) == 0 {
			t.Fatalf("%s recorded nothing", m.name)
		}
		if !reflect.DeepEqual(m.T(), o.T()) || !reflect.DeepEqual(m.I(), o.I()) || !reflect.DeepEqual(m.Steps(), o.Steps()) || !reflect.DeepEqual(m.Count(), o.Count()) {
			t.Errorf("%s: the recordings differ (%d and %d events)", m.name, len(m.T()), len(o.T()))
		}
		for _, v := range m.Variables() {
			x, _ := m.Values(v)
			y, _ := o.Values(v)
			if !reflect.DeepEqual(x, y) {
				t.Errorf("%s: %s differs", m.name, v)
			}
		}
	}
	x, _ := a.state.Values("v")
	y, _ := b.state.Values("v")
	if !reflect.DeepEqual(a.state.T(), b.state.T()) || !reflect.DeepEqual(x, y) {
		t.Errorf("vm: the recordings differ")
	}
	if !reflect.DeepEqual(a.rate.T(), b.rate.T()) || !reflect.DeepEqual(a.rate.Rate(), b.rate.Rate()) {
		t.Errorf("rate: the recordings differ")
	}
}

// heldRecords is the number of records a monitor holds in memory.
func heldRecords(m StreamingMonitor) int {
	switch m := m.(type) {
	case *SpikeMonitor:
		return m.held()
	case *StateMonitor:
		return len(m.t)
	case *PopulationRateMonitor:
		return len(m.t)
	}
	return -1
}

// TestStreamSameRecording: streaming monitors record what monitors in
// memory do, hold at most one chunk at any step, and a chunk holds
// whole records.
func TestStreamSameRecording(t *testing.T) {
	// A chunk smaller than the buffers' start, and one that they grow to.
	for _, c := range []struct{ chunk, steps int }{{7, 300}, {1100, 12000}} {
		t.Run(fmt.Sprint(c.chunk), func(t *testing.T) { testStreamSameRecording(t, c.chunk, c.steps) })
	}
}

func testStreamSameRecording(t *testing.T, chunk, steps int) {
	dir := t.TempDir()
	netA, a := pairNet(t)
	netB, b := pairNet(t, ChunkSize(chunk))
	for _, m := range b.all() {
		if err := m.StreamTo(filepath.Join(dir, m.Name())); err != nil {
			t.Fatal(err)
		}
	}
	dt := netA.DT()
	noErr(t, netA.Run(float64(steps)*dt))
	maxHeld, maxCap := 0, 0
	for range steps / 10 {
		noErr(t, netB.Run(10*dt))
		for _, m := range b.all() {
			maxHeld = max(maxHeld, heldRecords(m))
			maxCap = max(maxCap, cap(b.spikes.i), cap(b.ups.t), cap(b.state.t), cap(b.rate.rate))
		}
	}
	if maxHeld > chunk || maxCap > chunk {
		t.Errorf("a streaming monitor held %d records in buffers of %d, more than a chunk of %d", maxHeld, maxCap, chunk)
	}
	sameRecordings(t, a, b)
	// The chunks on disk are whole, of chunk records each, and a monitor
	// holds what is not in them.
	for _, m := range b.all() {
		files := need(output.Chunks(m.StreamDir()))
		if len(files) < 2 {
			t.Errorf("%s wrote %d chunks", m.Name(), len(files))
		}
		for _, f := range files {
			z := need(output.ReadNPZ(f, "t"))
			a, _ := z.Get("t")
			if l := len(a.Data.([]float64)); l != chunk {
				t.Errorf("%s: %s holds %d records", m.Name(), filepath.Base(f), l)
			}
		}
		noErr(t, m.Flush())
		if heldRecords(m) != 0 {
			t.Errorf("%s holds %d records after Flush", m.Name(), heldRecords(m))
		}
	}
	if _, err := os.Stat(filepath.Join(b.state.StreamDir(), "record.npy")); err != nil {
		t.Error(err)
	}
	sameRecordings(t, a, b) // after Flush as well
	// Chunks of a spike monitor: t, i (int64), v, _step.
	z := need(output.ReadChunks(b.spikes.StreamDir()))
	if got := z.Names(); !reflect.DeepEqual(got, []string{"t", "i", "v", "_step"}) {
		t.Errorf("spike chunks hold %v", got)
	}
	if i, _ := z.Get("i"); !reflect.DeepEqual(i.Data, toInt64(a.spikes.I())) {
		t.Error("the chunks' i differs")
	}
	vm := need(output.ReadChunks(b.state.StreamDir()))
	if v, _ := vm.Get("v"); !reflect.DeepEqual(v.Shape, []int{steps, 3}) {
		t.Errorf("state chunks: v has shape %v", v.Shape)
	}
}

func toInt64(x []int32) []int64 {
	out := make([]int64, len(x))
	for k, v := range x {
		out[k] = int64(v)
	}
	return out
}

// TestStreamOption: Stream as an option streams from the start, and
// monitors that start streaming after recording write what they held
// first.
func TestStreamOption(t *testing.T) {
	dir := t.TempDir()
	netA, a := pairNet(t)
	netB, b := pairNet(t, ChunkSize(10))
	netC := streamNet(t, 50, func(net *Network, G *NeuronGroup) {
		need(net.SpikeMonitor(G, Name("spikes"), Stream(filepath.Join(dir, "c")), ChunkSize(5)))
	})
	dt := netA.DT()
	noErr(t, netA.Run(200*dt))
	noErr(t, netB.Run(100*dt))
	for _, m := range b.all() {
		noErr(t, m.StreamTo(filepath.Join(dir, m.Name())))
		if heldRecords(m) >= 10 {
			t.Errorf("%s holds %d records after StreamTo", m.Name(), heldRecords(m))
		}
	}
	noErr(t, netB.Run(100*dt))
	noErr(t, netC.Run(200*dt))
	sameRecordings(t, a, b)
	c := netC.objects[1].(*SpikeMonitor)
	if !c.Streaming() || !reflect.DeepEqual(c.T(), a.spikes.T()) {
		t.Errorf("a monitor made with Stream recorded otherwise")
	}
	if err := b.spikes.StreamTo(dir); err == nil {
		t.Error("a second StreamTo was accepted")
	}
	if _, err := netA.StateMonitor(netA.objects[0].(*NeuronGroup), []string{"v"}, MaxSamples(3), Stream(dir)); err == nil {
		t.Error("MaxSamples with Stream was accepted")
	}
	if _, err := netA.SpikeMonitor(netA.objects[0].(*NeuronGroup), MaxSamples(3)); err == nil {
		t.Error("MaxSamples was accepted by a SpikeMonitor")
	}
}

// TestStreamStoreRestore: a restore removes the chunks written since the
// state was stored, and the run goes on as it would have.
func TestStreamStoreRestore(t *testing.T) {
	dir := t.TempDir()
	netA, a := pairNet(t)
	netB, b := pairNet(t, ChunkSize(6))
	dt := netA.DT()
	noErr(t, netA.Run(150*dt))
	noErr(t, netB.Run(50*dt))
	netB.Store("before") // before streaming: the restore writes what it held
	for _, m := range b.all() {
		noErr(t, m.StreamTo(filepath.Join(dir, m.Name())))
	}
	noErr(t, netB.Run(50*dt))
	netB.Store("mid")
	noErr(t, netB.Run(80*dt))
	noErr(t, netB.Restore("mid"))
	noErr(t, netB.Run(50*dt))
	noErr(t, netB.Restore("before"))
	noErr(t, netB.Run(100*dt))
	sameRecordings(t, a, b)
	noErr(t, netB.Restore("mid")) // its chunks are gone
	if b.spikes.Err() == nil || !strings.Contains(b.spikes.Err().Error(), "are gone") {
		t.Errorf("restoring a state whose chunks were removed: %v", b.spikes.Err())
	}
}

// TestStreamWriteFailure: a chunk that cannot be written stops the
// recording and fails the next run.
func TestStreamWriteFailure(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "spikes")
	net, p := pairNet(t, ChunkSize(3))
	noErr(t, p.spikes.StreamTo(dir))
	noErr(t, os.RemoveAll(dir))
	noErr(t, os.WriteFile(dir, nil, 0o644)) // a file where the folder was
	noErr(t, net.Run(100*net.DT()))
	if p.spikes.Err() == nil {
		t.Fatal("no error")
	}
	if heldRecords(p.spikes) > 3 {
		t.Errorf("the failed monitor holds %d records", heldRecords(p.spikes))
	}
	if err := net.Run(net.DT()); err == nil || !strings.Contains(err.Error(), "monitor 'spikes'") {
		t.Errorf("the next run: %v", err)
	}
}

// TestMonitorBudget: monitors under a budget start streaming when they
// pass it, record what they would have, and the memory they hold stays
// near the budget.
func TestMonitorBudget(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "streams")
	netA, a := pairNet(t)
	netB, b := pairNet(t, ChunkSize(500))
	var started []string
	budget := &MonitorBudget{Bytes: 256 << 10, Dir: func() (string, error) { return dir, nil },
		Started: func(m, d string) { started = append(started, m) }}
	budget.Watch(b.all()...)
	dt := netA.DT()
	noErr(t, netA.Run(40000*dt))
	var most int64
	for range 200 {
		noErr(t, netB.Run(200*dt))
		most = max(most, budget.Held())
	}
	sameRecordings(t, a, b)
	if len(started) < 2 {
		t.Errorf("started streaming: %v", started)
	}
	t.Logf("started streaming: %v", started)
	if most > 2*budget.Bytes {
		t.Errorf("the monitors held up to %d bytes under a budget of %d", most, budget.Bytes)
	}
	for _, m := range started {
		if _, err := os.Stat(filepath.Join(dir, m, output.ChunkFile(0))); err != nil {
			t.Error(err)
		}
	}
}

// TestStreamBoundedMemory: over a run that records 20 times the chunk
// size, the heap of a streaming network stays near its size at the start.
func TestStreamBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("a long run")
	}
	dir := t.TempDir()
	net := streamNet(t, 2000, func(net *Network, G *NeuronGroup) {
		need(net.SpikeMonitor(G, Name("spikes"), Variables("v"), Stream(filepath.Join(dir, "spikes"))))
		need(net.StateMonitor(G, []string{"v"}, Name("vm"), Stream(filepath.Join(dir, "vm"))))
	})
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	noErr(t, net.Run(net.DT()))
	before := heap()
	noErr(t, net.Run(5000*net.DT())) // vm alone records 80 MB
	after := heap()
	vm := net.objects[2].(*StateMonitor)
	if files, _ := output.Chunks(vm.StreamDir()); len(files) < 15 {
		t.Errorf("vm wrote %d chunks", len(files))
	}
	if after > before+16<<20 {
		t.Errorf("the heap grew from %d to %d bytes", before, after)
	}
	t.Logf("heap %d -> %d bytes", before, after)
}

// TestMaxSamples: a StateMonitor with MaxSamples holds the last samples
// of the full recording, in time order.
func TestMaxSamples(t *testing.T) {
	var full, ring, big *StateMonitor
	net := streamNet(t, 20, func(net *Network, G *NeuronGroup) {
		full = need(net.StateMonitor(G, []string{"v"}, Name("full"), Record(2, 5)))
		ring = need(net.StateMonitor(G, []string{"v"}, Name("ring"), Record(2, 5), MaxSamples(7)))
		big = need(net.StateMonitor(G, []string{"v"}, Name("big"), Record(2, 5), MaxSamples(1000)))
	})
	dt := net.DT()
	for _, steps := range []int{3, 4, 1, 10, 2, 300} {
		noErr(t, net.Run(float64(steps)*dt))
		ft := full.T()
		n := min(len(ft), 7)
		if got := ring.T(); !reflect.DeepEqual(got, ft[len(ft)-n:]) {
			t.Fatalf("after %d samples: T %v, want %v", len(ft), got, ft[len(ft)-n:])
		}
		fv, _ := full.Values("v")
		rv, _ := ring.Values("v")
		for r := range fv {
			if !reflect.DeepEqual(rv[r], fv[r][len(ft)-n:]) {
				t.Errorf("after %d samples: neuron %d: %v, want %v", len(ft), r, rv[r], fv[r][len(ft)-n:])
			}
		}
		if o, _ := ring.Of("v", 5); !reflect.DeepEqual(o, rv[1]) {
			t.Errorf("Of: %v", o)
		}
	}
	if cap(ring.t) != 7 || ring.HeldBytes() != 7*8+7*2*8 {
		t.Errorf("the ring holds %d bytes", ring.HeldBytes())
	}
	if !reflect.DeepEqual(big.T(), full.T()) {
		t.Error("a ring that is not full differs")
	}
	net.Store("s")
	noErr(t, net.Run(5*dt))
	noErr(t, net.Restore("s"))
	noErr(t, net.Run(5*dt))
	if ft := full.T(); !reflect.DeepEqual(ring.T(), ft[len(ft)-7:]) {
		t.Error("after a restore the ring differs")
	}
	if err := ring.StreamTo(t.TempDir()); err == nil {
		t.Error("a ring accepted StreamTo")
	}
	if _, err := net.StateMonitor(net.objects[0].(*NeuronGroup), []string{"v"}, MaxSamples(-1)); err == nil {
		t.Error("MaxSamples(-1) was accepted")
	}
}
