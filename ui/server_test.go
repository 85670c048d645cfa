package ui_test

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/sbinet/npyio/npz"

	"github.com/soma-sim/soma"
	"github.com/soma-sim/soma/model"
	"github.com/soma-sim/soma/ui"
)

// cuba builds the CUBA example, short.
func cuba(t testing.TB, sets ...string) *model.Model {
	t.Helper()
	m, err := model.Load("../examples/cuba/cuba.yaml", append([]string{"duration=50*ms"}, sets...))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// start serves a network and runs its simulation until the test ends.
func start(t testing.TB, net *soma.Network, opts ui.Options) (*ui.Server, *httptest.Server) {
	t.Helper()
	srv, err := ui.New(net, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.Run(ctx); close(done) }()
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		srv.Close()
		ts.Close()
		cancel()
		<-done
	})
	return srv, ts
}

// tab is a websocket client that decodes what the server sends.
type tab struct {
	t      testing.TB
	conn   *websocket.Conn
	nextID int
	// spikes by group: absolute step and neuron
	steps   map[string][]int64
	neurons map[string][]int32
	traces  map[string][]float32
	grids   map[string][]float32
	weights map[string][]float32
	hello   map[string]any
	status  map[string]any
	results map[int]map[string]any
	events  []map[string]any
	params  []any
}

func dial(t testing.TB, ts *httptest.Server) *tab {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(ts.URL, "http")+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	conn.SetReadLimit(1 << 30)
	tb := &tab{t: t, conn: conn, steps: map[string][]int64{}, neurons: map[string][]int32{}, traces: map[string][]float32{},
		grids: map[string][]float32{}, weights: map[string][]float32{}, results: map[int]map[string]any{}}
	t.Cleanup(func() { conn.Close(websocket.StatusNormalClosure, "") })
	tb.until(func() bool { return tb.hello != nil })
	return tb
}

// read handles one message.
func (tb *tab) read(ctx context.Context) error {
	typ, b, err := tb.conn.Read(ctx)
	if err != nil {
		return err
	}
	if typ == websocket.MessageText {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			tb.t.Fatal(err)
		}
		switch m["type"] {
		case "hello":
			tb.hello = m
			tb.params = m["params"].([]any)
		case "status":
			tb.status = m
		case "result":
			tb.results[int(m["id"].(float64))] = m
		case "event":
			tb.events = append(tb.events, m["event"].(map[string]any))
		case "params":
			tb.params = m["params"].([]any)
		case "reset":
			step := int64(m["step"].(float64))
			for g, st := range tb.steps {
				k := 0
				for k < len(st) && st[k] < step {
					k++
				}
				tb.steps[g], tb.neurons[g] = st[:k], tb.neurons[g][:k]
			}
		}
		return nil
	}
	n := binary.LittleEndian.Uint32(b)
	var hdr struct {
		Base   int64
		Status map[string]any
		Arrays []struct {
			Key, Type string
			Len       int
		}
	}
	if err := json.Unmarshal(b[4:4+n], &hdr); err != nil {
		tb.t.Fatal(err)
	}
	if (4+n)%8 != 0 {
		tb.t.Fatalf("header of %d bytes is not padded to 8", n)
	}
	tb.status = hdr.Status
	off := int(4 + n)
	arrays := map[string][]uint32{}
	for _, a := range hdr.Arrays {
		vals := make([]uint32, a.Len)
		if a.Type == "u16" {
			for k := range vals {
				vals[k] = uint32(binary.LittleEndian.Uint16(b[off+2*k:]))
			}
			off += (2*a.Len + 3) &^ 3
		} else {
			for k := range vals {
				vals[k] = binary.LittleEndian.Uint32(b[off+4*k:])
			}
			off += 4 * a.Len
		}
		arrays[a.Key] = vals
	}
	if off != len(b) {
		tb.t.Fatalf("frame has %d bytes, arrays end at %d", len(b), off)
	}
	f32 := func(v []uint32) []float32 {
		out := make([]float32, len(v))
		for k, x := range v {
			out[k] = math.Float32frombits(x)
		}
		return out
	}
	for key, v := range arrays {
		parts := strings.Split(key, "/")
		switch parts[0] {
		case "spikes":
			if parts[2] == "steps" {
				counts := arrays["spikes/"+parts[1]+"/counts"]
				for r, s := range v {
					for range counts[r] {
						tb.steps[parts[1]] = append(tb.steps[parts[1]], hdr.Base+int64(int32(s)))
					}
				}
				for _, i := range arrays["spikes/"+parts[1]+"/i"] {
					tb.neurons[parts[1]] = append(tb.neurons[parts[1]], int32(i))
				}
			}
		case "trace":
			k := strings.TrimPrefix(key, "trace/")
			tb.traces[k] = append(tb.traces[k], f32(v)...)
		case "grid":
			tb.grids[strings.TrimPrefix(key, "grid/")] = f32(v)
		case "weights":
			tb.weights[strings.TrimPrefix(key, "weights/")] = f32(v)
		}
	}
	return nil
}

// until reads messages until cond holds.
func (tb *tab) until(cond func() bool) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for !cond() {
		if err := tb.read(ctx); err != nil {
			tb.t.Fatalf("waiting: %v", err)
		}
	}
}

// do sends a command and waits for its answer.
func (tb *tab) do(cmd map[string]any) map[string]any {
	tb.t.Helper()
	tb.nextID++
	id := tb.nextID
	cmd["id"] = id
	b, _ := json.Marshal(cmd)
	if err := tb.conn.Write(context.Background(), websocket.MessageText, b); err != nil {
		tb.t.Fatal(err)
	}
	tb.until(func() bool { return tb.results[id] != nil })
	return tb.results[id]
}

func TestHelloDescribesModel(t *testing.T) {
	m := cuba(t)
	_, ts := start(t, m.Net, ui.ModelOptions(m))
	tb := dial(t, ts)
	groups := tb.hello["groups"].([]any)
	if len(groups) != 1 {
		t.Fatalf("groups: %v", groups)
	}
	g := groups[0].(map[string]any)
	if g["name"] != "P" || g["n"].(float64) != 4000 || g["cols"].(float64) != 50 || g["rows"].(float64) != 80 {
		t.Errorf("group P: %v", g)
	}
	vars := g["vars"].([]any)
	if len(vars) != 3 || vars[0].(map[string]any)["unit"] != "mV" || vars[0].(map[string]any)["scale"].(float64) != 1000 {
		t.Errorf("vars: %v", vars)
	}
	var names []string
	for _, p := range tb.params {
		names = append(names, p.(map[string]any)["name"].(string))
	}
	if want := "duration taum taue taui Vt Vr El we wi N"; strings.Join(names, " ") != want {
		t.Errorf("params %q, want %q", strings.Join(names, " "), want)
	}
	if plan := tb.hello["plan"].(map[string]any); math.Abs(plan["end"].(float64)-0.05) > 1e-12 {
		t.Errorf("plan: %v", plan)
	}
}

func TestStepAdvancesExactly(t *testing.T) {
	m := cuba(t)
	_, ts := start(t, m.Net, ui.ModelOptions(m))
	tb := dial(t, ts)
	total := int64(0)
	for _, n := range []int64{1, 7, 10, 333} {
		if r := tb.do(map[string]any{"cmd": "step", "n": n}); r["ok"] != true {
			t.Fatal(r)
		}
		total += n
		tb.until(func() bool {
			return tb.status["mode"] == "paused" && int64(tb.status["step"].(float64)) == total
		})
		if got := tb.status["t"].(float64); math.Abs(got-float64(total)*1e-4) > 1e-12 {
			t.Errorf("after %d steps t = %g s", total, got)
		}
	}
	if math.Abs(m.Net.T()-float64(total)*1e-4) > 1e-12 {
		t.Errorf("the network is at %g s, want %g s", m.Net.T(), float64(total)*1e-4)
	}
}

func TestRunPlanShowsSpikes(t *testing.T) {
	m := cuba(t)
	_, ts := start(t, m.Net, ui.ModelOptions(m))
	tb := dial(t, ts)
	tb.do(map[string]any{"cmd": "select", "selection": []map[string]any{{"group": "P", "index": 5}}})
	tb.do(map[string]any{"cmd": "run"})
	tb.until(func() bool { return tb.status["mode"] == "paused" && tb.status["planDone"] == true })
	if step := int64(tb.status["step"].(float64)); step != 500 {
		t.Errorf("the plan ended at step %d, want 500", step)
	}
	tb.until(func() bool { return len(tb.grids["P/v"]) == 4000 })
	if len(tb.steps["P"]) == 0 {
		t.Fatal("no spikes")
	}
	// The page got every spike of the model's own spike monitor.
	mon := m.Monitors[0].Spikes
	if len(tb.steps["P"]) != mon.NumSpikes() {
		t.Errorf("page has %d spikes, monitor %d", len(tb.steps["P"]), mon.NumSpikes())
	}
	if n := len(tb.traces["P/v/5"]); n != 500 {
		t.Errorf("trace of P[5] has %d samples, want 500", n)
	}
	if n := len(tb.traces["P/v/mean"]); n != 25 {
		t.Errorf("mean of v has %d samples, want 25 (one per 2 ms)", n)
	}
}

// The weights of a plastic synapses object follow STDP.
func TestWeightsFollowSTDP(t *testing.T) {
	m, err := model.Load("../examples/stdp/song_abbott.yaml", []string{"duration=100*ms"})
	if err != nil {
		t.Fatal(err)
	}
	_, ts := start(t, m.Net, ui.ModelOptions(m))
	tb := dial(t, ts)
	tb.do(map[string]any{"cmd": "select", "selection": []map[string]any{{"group": "neurons", "index": 0}}})
	tb.until(func() bool { return len(tb.weights["S/w/in/0"]) == 1000 })
	before := append([]float32(nil), tb.weights["S/w/in/0"]...)
	tb.do(map[string]any{"cmd": "select", "selection": []map[string]any{{"group": "input", "index": 3}}})
	tb.until(func() bool { return len(tb.weights["S/w/out/3"]) == 1 })
	tb.do(map[string]any{"cmd": "select", "selection": []map[string]any{{"group": "neurons", "index": 0}}})
	tb.do(map[string]any{"cmd": "run"})
	tb.until(func() bool { return tb.status["planDone"] == true && tb.status["mode"] == "paused" })
	tb.until(func() bool { return !reflect.DeepEqual(tb.weights["S/w/in/0"], before) })
	want, _ := m.Synapses[0].Syn.Values("w")
	got := tb.weights["S/w/in/0"]
	for k := range want {
		if float32(want[k]) != got[k] {
			t.Fatalf("weight of input %d: page %g, network %g", k, got[k], want[k])
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestSetConstant(t *testing.T) {
	m := cuba(t)
	_, ts := start(t, m.Net, ui.ModelOptions(m))
	tb := dial(t, ts)
	r := tb.do(map[string]any{"cmd": "set", "target": "const/El", "value": "-40*mV"})
	if r["ok"] != true || !strings.Contains(r["message"].(string), "recompiled in") {
		t.Fatalf("accepted edit: %v", r)
	}
	if q := m.Net.Namespace["El"]; fmt.Sprint(q) == "" {
		t.Fatal(q)
	}
	for _, bad := range []struct{ value, want string }{
		{"3*second", "El must be in volt"},
		{"-40*mV +", "-40*mV +"},
		{"nosuchname", "nosuchname"},
	} {
		r := tb.do(map[string]any{"cmd": "set", "target": "const/El", "value": bad.value})
		if r["ok"] != false || !strings.Contains(r["error"].(string), bad.want) {
			t.Errorf("set El = %q: %v, want an error with %q", bad.value, r, bad.want)
		}
	}
	for _, p := range tb.params {
		p := p.(map[string]any)
		if p["name"] == "El" && p["value"] != "-40*mV" {
			t.Errorf("El is shown as %v after the rejected edits", p["value"])
		}
	}
}

// The rate goes up with El, through the edit, without rebuilding.
func TestSetConstantChangesActivity(t *testing.T) {
	m := cuba(t)
	_, ts := start(t, m.Net, ui.ModelOptions(m))
	tb := dial(t, ts)
	at := int64(0)
	stepTo := func(n int64) {
		tb.do(map[string]any{"cmd": "step", "n": n})
		at += n
		tb.until(func() bool { return tb.status["mode"] == "paused" && int64(tb.status["step"].(float64)) == at })
	}
	count := func() int {
		before := len(tb.steps["P"])
		stepTo(200)
		return len(tb.steps["P"]) - before
	}
	stepTo(200) // past the initial transient
	low := count()
	tb.do(map[string]any{"cmd": "set", "target": "const/El", "value": "-30*mV"})
	high := count()
	if high <= 2*low {
		t.Errorf("spikes in 20 ms: %d at El=-49 mV, %d at El=-30 mV", low, high)
	}
}

func TestSetVariable(t *testing.T) {
	m := cuba(t)
	_, ts := start(t, m.Net, ui.ModelOptions(m))
	tb := dial(t, ts)
	if r := tb.do(map[string]any{"cmd": "set", "target": "P.v", "value": "-55*mV + i*0*mV"}); r["ok"] != true {
		t.Fatal(r)
	}
	v, _ := m.Net.Objects()[0].(*soma.NeuronGroup).Values("v")
	if math.Abs(v[17]+0.055) > 1e-15 {
		t.Errorf("v[17] = %g", v[17])
	}
	if r := tb.do(map[string]any{"cmd": "set", "target": "P.v", "value": "3*nA"}); r["ok"] != false {
		t.Errorf("a current for a voltage was accepted: %v", r)
	}
	if r := tb.do(map[string]any{"cmd": "set", "target": "Ce.w", "value": "1"}); r["ok"] != false {
		t.Errorf("a synapses object without w: %v", r)
	}
}

func TestSaveLoadRepeatsSpikes(t *testing.T) {
	m := cuba(t)
	_, ts := start(t, m.Net, ui.ModelOptions(m))
	tb := dial(t, ts)
	tb.do(map[string]any{"cmd": "step", "n": 100})
	tb.until(func() bool { return tb.status["mode"] == "paused" && int64(tb.status["step"].(float64)) == 100 })
	if r := tb.do(map[string]any{"cmd": "save", "name": "a"}); r["ok"] != true {
		t.Fatal(r)
	}
	run := func() ([]int64, []int32) {
		tb.do(map[string]any{"cmd": "step", "n": 300})
		tb.until(func() bool { return tb.status["mode"] == "paused" && int64(tb.status["step"].(float64)) == 400 })
		k := 0
		for k < len(tb.steps["P"]) && tb.steps["P"][k] < 100 {
			k++
		}
		return append([]int64(nil), tb.steps["P"][k:]...), append([]int32(nil), tb.neurons["P"][k:]...)
	}
	s1, i1 := run()
	if len(s1) == 0 {
		t.Fatal("no spikes")
	}
	if r := tb.do(map[string]any{"cmd": "load", "name": "a"}); r["ok"] != true {
		t.Fatal(r)
	}
	tb.until(func() bool { return int64(tb.status["step"].(float64)) == 100 })
	s2, i2 := run()
	if !reflect.DeepEqual(s1, s2) || !reflect.DeepEqual(i1, i2) {
		t.Errorf("after load: %d spikes, first time %d", len(s2), len(s1))
	}
	if r := tb.do(map[string]any{"cmd": "load", "name": "nope"}); r["ok"] != false {
		t.Errorf("loading an unknown state: %v", r)
	}
}

func TestTokenAndOrigin(t *testing.T) {
	m := cuba(t)
	_, ts := start(t, m.Net, ui.Options{Token: "s3cret"})
	for _, c := range []struct {
		path string
		want int
	}{{"/", 403}, {"/?token=wrong", 403}, {"/export/params.yaml", 403}, {"/?token=s3cret", 200}, {"/export/params.yaml?token=s3cret", 200}} {
		res, err := http.Get(ts.URL + c.path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != c.want {
			t.Errorf("GET %s: %d, want %d", c.path, res.StatusCode, c.want)
		}
	}
	// A cross-site page cannot open the websocket, even with the token.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	h := http.Header{"Origin": {"http://evil.example"}}
	_, res, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(ts.URL, "http")+"/ws?token=s3cret", &websocket.DialOptions{HTTPHeader: h})
	if err == nil || res == nil || res.StatusCode != 403 {
		t.Errorf("websocket from another origin: %v (%v)", err, res)
	}
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(ts.URL, "http")+"/ws?token=s3cret", nil)
	if err != nil {
		t.Fatalf("websocket with the token: %v", err)
	}
	conn.Close(websocket.StatusNormalClosure, "")
}

// drive and leak are a network made of Go behaviours: leak integrates
// v toward I and spikes at 1; drive sets I.
type leak struct{ v, I []float64 }

func (l *leak) Initialize(ctx *soma.Context) error {
	l.v = ctx.NewVector("v", "rand()")
	l.I = ctx.NewVector("I", 0)
	ctx.NewSpikeEvent()
	return nil
}

func (l *leak) Iteration(ctx *soma.Context) {
	for k := range l.v {
		l.v[k] += ctx.DT() / 0.01 * (l.I[k] - l.v[k])
		if l.v[k] > 1 {
			l.v[k] = 0
			ctx.Spike(k)
		}
	}
}

type drive struct{ I []float64 }

func (d *drive) Initialize(ctx *soma.Context) error { d.I = ctx.Vector("I"); return nil }
func (d *drive) Iteration(ctx *soma.Context) {
	for k := range d.I {
		d.I[k] = 2
	}
}

func TestBehaviourOffStopsItsEffect(t *testing.T) {
	net := soma.NewNetwork()
	net.Seed(3)
	G, err := net.NeuronGroup(100, "", soma.Name("G"))
	if err != nil {
		t.Fatal(err)
	}
	G.AddBehaviour(1, &leak{})
	G.AddBehaviour(2, &drive{})
	_, ts := start(t, net, ui.Options{Variables: []string{"v", "I"}})
	tb := dial(t, ts)
	var drv string
	for _, m := range tb.hello["modules"].([]any) {
		m := m.(map[string]any)
		if m["name"] == "G.drive" {
			drv = m["id"].(string)
		}
		if strings.Contains(m["name"].(string), "recorder") {
			t.Errorf("the UI's own recorder is listed: %v", m)
		}
	}
	if drv == "" {
		t.Fatalf("no G.drive in %v", tb.hello["modules"])
	}
	at := int64(0)
	spikes := func(n int64) int {
		before := len(tb.steps["G"])
		tb.do(map[string]any{"cmd": "step", "n": n})
		at += n
		tb.until(func() bool { return tb.status["mode"] == "paused" && int64(tb.status["step"].(float64)) == at })
		return len(tb.steps["G"]) - before
	}
	if n := spikes(1000); n < 100 {
		t.Fatalf("%d spikes with the drive on", n)
	}
	if r := tb.do(map[string]any{"cmd": "active", "module": drv, "active": false}); r["ok"] != true {
		t.Fatal(r)
	}
	spikes(200) // I stays at 2 until... the drive only sets it: reset I
	tb.do(map[string]any{"cmd": "set", "target": "G.I", "value": "0"})
	if n := spikes(1000); n != 0 {
		t.Errorf("%d spikes with the drive off and I = 0", n)
	}
	if r := tb.do(map[string]any{"cmd": "active", "module": drv, "active": true}); r["ok"] != true {
		t.Fatal(r)
	}
	if n := spikes(1000); n < 100 {
		t.Errorf("%d spikes with the drive on again", n)
	}
	kinds := ""
	for _, e := range tb.events {
		kinds += e["kind"].(string) + " "
	}
	if !strings.Contains(kinds, "off") || !strings.Contains(kinds, "on") {
		t.Errorf("events: %s", kinds)
	}
}

// Two tabs see the same spikes; a tab that reads nothing does not hold
// the simulation back.
func TestTabsAreIndependent(t *testing.T) {
	m := cuba(t, "duration=200*ms")
	_, ts := start(t, m.Net, ui.ModelOptions(m))
	a, b := dial(t, ts), dial(t, ts)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	stuck, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(ts.URL, "http")+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer stuck.CloseNow()
	a.do(map[string]any{"cmd": "run"})
	for _, tb := range []*tab{a, b} {
		tb.until(func() bool { return tb.status["planDone"] == true && tb.status["mode"] == "paused" })
		tb.until(func() bool { return len(tb.steps["P"]) == m.Monitors[0].Spikes.NumSpikes() })
	}
	if !reflect.DeepEqual(a.steps, b.steps) || !reflect.DeepEqual(a.neurons, b.neurons) {
		t.Error("the two tabs have different spikes")
	}
}

func TestFastForwardAndSpeedLimit(t *testing.T) {
	m := cuba(t)
	_, ts := start(t, m.Net, ui.ModelOptions(m))
	tb := dial(t, ts)
	if r := tb.do(map[string]any{"cmd": "ff", "n": 300}); r["ok"] != true {
		t.Fatal(r)
	}
	tb.until(func() bool { return tb.status["mode"] == "paused" && int64(tb.status["step"].(float64)) == 300 })
	if n := len(tb.steps["P"]); n != 0 {
		t.Errorf("%d spikes drawn during a fast-forward", n)
	}
	var ff map[string]any
	tb.until(func() bool {
		for _, e := range tb.events {
			if e["kind"] == "ff" {
				ff = e
			}
		}
		return ff != nil
	})
	if ff["step"].(float64) != 0 || math.Abs(ff["until"].(float64)-0.03) > 1e-12 {
		t.Errorf("ff event %v", ff)
	}
	// 20 ms at a tenth of real time take at least 0.2 s.
	tb.do(map[string]any{"cmd": "speed", "rtf": 0.1})
	began := time.Now()
	tb.do(map[string]any{"cmd": "run"})
	tb.until(func() bool { return tb.status["planDone"] == true && tb.status["mode"] == "paused" })
	if el := time.Since(began); el < 190*time.Millisecond {
		t.Errorf("20 ms at real-time factor 0.1 took %v", el)
	}
	if n := len(tb.steps["P"]); n == 0 {
		t.Error("no spikes after the fast-forward")
	}
	if r := tb.do(map[string]any{"cmd": "speed", "rtf": -1}); r["ok"] != false {
		t.Errorf("negative speed accepted: %v", r)
	}
}

func TestExports(t *testing.T) {
	m := cuba(t)
	_, ts := start(t, m.Net, ui.ModelOptions(m))
	tb := dial(t, ts)
	tb.do(map[string]any{"cmd": "select", "selection": []map[string]any{{"group": "P", "index": 2}}})
	tb.do(map[string]any{"cmd": "run"})
	tb.until(func() bool { return tb.status["planDone"] == true && tb.status["mode"] == "paused" })
	get := func(path string) []byte {
		res, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("GET %s: %d %v", path, res.StatusCode, err)
		}
		return b
	}
	path := filepath.Join(t.TempDir(), "data.npz")
	if err := os.WriteFile(path, get("/export/data.npz?from=0.01&to=0.02"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := npz.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var st []float64
	if err := r.Read("P_spike_t.npy", &st); err != nil {
		t.Fatalf("%v (arrays %v)", err, r.Keys())
	}
	want := 0
	for _, s := range tb.steps["P"] {
		if s >= 100 && s <= 200 {
			want++
		}
	}
	if len(st) != want || st[0] < 0.01-1e-12 || st[len(st)-1] > 0.02+1e-12 {
		t.Errorf("%d spike times in [%g, %g], want %d in [0.01, 0.02]", len(st), st[0], st[len(st)-1], want)
	}
	var v []float64
	if err := r.Read("P_v_2.npy", &v); err != nil || len(v) != 101 {
		t.Errorf("trace of P[2]: %d samples, %v", len(v), err)
	}
	params := string(get("/export/params.yaml"))
	if !strings.Contains(params, "  El: -49*mV\n") || !strings.Contains(params, "  taum: 20*ms\n") {
		t.Errorf("params.yaml:\n%s", params)
	}
	res, _ := http.Get(ts.URL + "/export/data.npz?from=soon")
	if res.StatusCode != 400 {
		t.Errorf("a bad time: %d", res.StatusCode)
	}
	for _, p := range []string{"/../go.mod", "/assets/../server.go", "/export/../../etc/passwd"} {
		res, _ := http.Get(ts.URL + p)
		if res.StatusCode == 200 {
			b, _ := io.ReadAll(res.Body)
			if !strings.Contains(string(b), "<html") {
				t.Errorf("GET %s served something: %.80q", p, b)
			}
		}
	}
}

// A tab gets the grid snapshots of the variables its grids show only.
func TestGridShowsOneVariable(t *testing.T) {
	m := cuba(t)
	_, ts := start(t, m.Net, ui.ModelOptions(m))
	tb := dial(t, ts)
	tb.until(func() bool { return len(tb.grids["P/v"]) == 4000 })
	if _, ok := tb.grids["P/ge"]; ok {
		t.Error("ge's grid was sent before the tab asked for it")
	}
	tb.do(map[string]any{"cmd": "grid", "grids": map[string]string{"P": "ge"}})
	tb.do(map[string]any{"cmd": "step", "n": 10})
	tb.until(func() bool { return len(tb.grids["P/ge"]) == 4000 })
}
