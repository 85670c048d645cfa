package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/soma-sim/soma"
	"github.com/soma-sim/soma/expr"
	"github.com/soma-sim/soma/units"
)

// Status is the state of the run the page shows.
type Status struct {
	Type           string   `json:"type"`
	T              float64  `json:"t"`
	Step           int64    `json:"step"`
	Mode           string   `json:"mode"`
	StepsPerSecond float64  `json:"stepsPerSecond"`
	Realtime       float64  `json:"realtime"`
	Speed          float64  `json:"speed"`
	PlanEnd        *float64 `json:"planEnd"`
	PlanDone       bool     `json:"planDone"`
}

// Event is one entry of the event timeline.
type Event struct {
	T     float64  `json:"t"`
	Step  int64    `json:"step"`
	Kind  string   `json:"kind"`
	Text  string   `json:"text"`
	Until *float64 `json:"until,omitempty"`
}

// Selected is a neuron chosen in a tab.
type Selected struct {
	Group string `json:"group"`
	Index int    `json:"index"`
}

// command is a message from a tab, with where to answer.
type command struct {
	ID        *int64            `json:"id"`
	Cmd       string            `json:"cmd"`
	N         int64             `json:"n"`
	RTF       float64           `json:"rtf"`
	Selection []Selected        `json:"selection"`
	Target    string            `json:"target"`
	Value     string            `json:"value"`
	Module    string            `json:"module"`
	Active    bool              `json:"active"`
	Name      string            `json:"name"`
	Grids     map[string]string `json:"grids"`

	from *client // nil for commands from Go (tests)
	done chan result
}

// result answers a command.
type result struct {
	Type    string `json:"type"`
	ID      *int64 `json:"id,omitempty"`
	OK      bool   `json:"ok"`
	Message string `json:"message,omitempty"`
	Error   string `json:"error,omitempty"`
}

// Modes of the run.
const (
	modePaused   = "paused"
	modeRunning  = "running"  // following the plan
	modeEndless  = "endless"  // without end
	modeStepping = "stepping" // a step N in progress
	modeFF       = "ff"       // fast-forward without recording
)

// Wall-clock periods of the simulation goroutine.
const (
	chunkWall   = 10 * time.Millisecond  // a chunk of steps between looks at commands
	ffChunkWall = 50 * time.Millisecond  // the same while fast-forwarding
	gridEvery   = 33 * time.Millisecond  // grid snapshots (about 30 per second)
	weightEvery = 100 * time.Millisecond // weights of the selected neurons
	histEvery   = 500 * time.Millisecond // weight histograms
)

// saved is a stored network state with the UI's own position in the plan.
type saved struct {
	step    int64
	planPos int
}

// session owns the network: only its goroutine (Server.Run) touches it.
type session struct {
	net      *soma.Network
	opts     Options
	dt       float64
	groups   []*group
	byName   map[string]*group
	syns     []*synapses
	rec      *recorder
	recMod   *soma.Module
	hist     *history
	cmds     chan *command
	mods     []*soma.Module
	selected map[*client][]Selected
	server   *Server

	mode      string
	stopAt    int64 // for stepping and ff: the step to pause at
	speed     float64
	planStart []int64 // the step each plan segment starts at, and its end last
	planPos   int     // the next segment to begin
	saves     map[string]saved
	events    []Event
	ffFrom    int64

	chunk                             int64 // steps per chunk, adapted to chunkWall
	anchorWall                        time.Time
	anchorStep                        int64
	rateWall                          time.Time
	rateStep                          int64
	stepsPerSecond, realtime          float64
	lastGrid, lastWeights, lastHistAt time.Time
	weightsDirty                      bool
	histVersion                       int
	lastStatus                        time.Time
}

func newSession(net *soma.Network, opts Options) (*session, error) {
	if err := net.Initialize(); err != nil {
		return nil, err
	}
	dt := net.DT()
	if opts.History <= 0 {
		opts.History = 5
	}
	s := &session{net: net, opts: opts, dt: dt, byName: map[string]*group{}, cmds: make(chan *command, 64),
		selected: map[*client][]Selected{}, mode: modePaused, saves: map[string]saved{}, chunk: 10}
	s.groups, s.syns = collect(net, opts)
	for _, g := range s.groups {
		s.byName[g.info.Name] = g
	}
	// Group means every 2 ms: smooth curves at a fraction of a step's cost.
	meanEvery := max(1, int64(math.Round(2e-3/dt)))
	s.rec = newRecorder(s.groups, meanEvery)
	mod, err := net.AddBehaviour(recorderKey, s.rec, soma.Name("ui.recorder"))
	if err != nil {
		return nil, err
	}
	s.recMod = mod
	s.hist = newHistory(int64(math.Ceil(opts.History / dt)))
	step := s.step()
	s.hist.now, s.hist.first = step, step
	if len(opts.Plan) > 0 {
		at := step
		for _, seg := range opts.Plan {
			s.planStart = append(s.planStart, at)
			at += int64(math.Round(seg.Duration / dt))
		}
		s.planStart = append(s.planStart, at)
	}
	s.refreshLists()
	s.capture(true)
	return s, nil
}

// step is the network's current step on its default clock.
func (s *session) step() int64 { return int64(math.Round(s.net.T() / s.dt)) }

// run is the simulation goroutine.
func (s *session) run(ctx context.Context) {
	for {
		if s.mode == modePaused {
			select {
			case c := <-s.cmds:
				s.handle(c)
			case <-ctx.Done():
				return
			}
			continue
		}
		for drained := false; !drained; {
			select {
			case c := <-s.cmds:
				s.handle(c)
			case <-ctx.Done():
				return
			default:
				drained = true
			}
		}
		if s.mode == modePaused {
			continue
		}
		if wait := s.throttle(); wait > 0 {
			select {
			case c := <-s.cmds:
				s.handle(c)
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			continue
		}
		if err := s.advance(); err != nil {
			s.log("error", err.Error())
			s.mode = modePaused
			s.capture(true)
		}
	}
}

// throttle returns how long to wait to keep within the speed limit.
func (s *session) throttle() time.Duration {
	if s.speed <= 0 || s.mode == modeFF {
		return 0
	}
	simulated := float64(s.step()-s.anchorStep) * s.dt
	due := s.anchorWall.Add(time.Duration(simulated / s.speed * float64(time.Second)))
	if wait := time.Until(due); wait > 0 {
		return min(wait, 50*time.Millisecond)
	}
	return 0
}

// advance runs one chunk of steps and publishes what it recorded.
func (s *session) advance() error {
	now := s.step()
	n := s.chunk
	if s.mode == modeFF {
		n = s.chunk * int64(ffChunkWall/chunkWall)
	}
	if s.speed > 0 && s.mode != modeFF {
		n = min(n, max(1, int64(s.speed*chunkWall.Seconds()/s.dt)))
	}
	if err := s.beginSegments(now); err != nil {
		return err
	}
	limit := int64(math.MaxInt64)
	switch s.mode {
	case modeStepping, modeFF:
		limit = s.stopAt
	case modeRunning:
		// The next segment's start (to make its assignments) or the end.
		limit = s.planStart[min(s.planPos, len(s.planStart)-1)]
	}
	if limit <= now {
		s.finish(now)
		return nil
	}
	n = min(n, limit-now)
	began := time.Now()
	if err := s.net.Run(float64(n) * s.dt); err != nil {
		return err
	}
	took := time.Since(began)
	// Adapt the chunk so that one takes about chunkWall.
	if took > 0 {
		perStep := took.Seconds() / float64(n)
		s.chunk = max(1, min(1_000_000, int64(chunkWall.Seconds()/perStep)))
	}
	after := s.step()
	s.measure(after)
	if after >= limit && (s.mode != modeRunning || s.planPos >= len(s.opts.Plan)) {
		s.finish(after)
		return nil
	}
	if s.mode == modeFF {
		if time.Since(s.lastStatus) > 250*time.Millisecond {
			s.publishStatus()
		}
		return nil
	}
	s.capture(false)
	return nil
}

// beginSegments makes the assignments of plan segments that start now.
func (s *session) beginSegments(now int64) error {
	for s.mode == modeRunning && s.planPos < len(s.opts.Plan) && s.planStart[s.planPos] <= now {
		seg := s.opts.Plan[s.planPos]
		s.planPos++
		if seg.Before != nil {
			if err := seg.Before(); err != nil {
				return err
			}
		}
		s.event("plan", seg.Label, nil)
	}
	return nil
}

// finish ends a step N, a fast-forward or the plan.
func (s *session) finish(now int64) {
	switch s.mode {
	case modeFF:
		until := float64(now) * s.dt
		s.event("ff", fmt.Sprintf("fast-forward from %s to %s", format(float64(s.ffFrom)*s.dt, secondDim), format(until, secondDim)), &until)
		s.rec.on = true
	case modeRunning:
		s.event("plan", "end of the plan", nil)
	}
	s.mode = modePaused
	s.capture(true)
}

// measure updates steps per second and the real-time factor.
func (s *session) measure(step int64) {
	now := time.Now()
	if s.rateWall.IsZero() {
		s.rateWall, s.rateStep = now, step
		return
	}
	if el := now.Sub(s.rateWall).Seconds(); el >= 0.5 {
		s.stepsPerSecond = float64(step-s.rateStep) / el
		s.realtime = s.stepsPerSecond * s.dt
		s.rateWall, s.rateStep = now, step
	}
}

// status returns the current status.
func (s *session) status() Status {
	st := Status{Type: "status", T: float64(s.step()) * s.dt, Step: s.step(), Mode: s.mode, Speed: s.speed}
	if s.mode != modePaused {
		st.StepsPerSecond, st.Realtime = s.stepsPerSecond, s.realtime
	}
	if n := len(s.planStart); n > 0 {
		end := float64(s.planStart[n-1]) * s.dt
		st.PlanEnd = &end
		st.PlanDone = s.planPos >= len(s.opts.Plan) && s.step() >= s.planStart[n-1]
	}
	return st
}

// capture moves recorded data into the history with, when due (or when
// forced), grids, weights and histograms, and wakes the writers.
func (s *session) capture(force bool) {
	now := time.Now()
	step := s.step()
	// What takes time is computed before the lock, which the tabs'
	// writers also take.
	var grid map[string][]float32
	if force || now.Sub(s.lastGrid) >= gridEvery {
		s.lastGrid = now
		grid = map[string][]float32{}
		for _, g := range s.groups {
			for k, v := range g.vars {
				grid[g.info.Name+"/"+g.info.Vars[k].Name] = snapshot(v)
			}
		}
	}
	var weights map[string][]float32
	if force || s.weightsDirty || now.Sub(s.lastWeights) >= weightEvery {
		s.lastWeights, s.weightsDirty = now, false
		weights = s.weights()
	}
	var hists map[string]*histogram
	if force || now.Sub(s.lastHistAt) >= histEvery {
		s.lastHistAt = now
		s.histVersion++
		hists = map[string]*histogram{}
		for _, sy := range s.syns {
			for k, v := range sy.vars {
				hg := weightHistogram(v)
				hg.version = s.histVersion
				hists[sy.info.Name+"/"+sy.info.Vars[k].Name] = hg
			}
		}
	}
	status := s.status()
	h := s.hist
	h.mu.Lock()
	defer h.mu.Unlock()
	s.rec.flush(h)
	h.now = step
	h.trim()
	if grid != nil {
		h.grid, h.gridStep = grid, step
		h.gridVer++
	}
	if weights != nil {
		h.weights = weights
		h.weightsVer++
	}
	for key, hg := range hists {
		h.hists[key] = hg
	}
	h.status = status
	s.lastStatus = now
	h.notify()
}

// publishStatus sends the status alone (during a fast-forward).
func (s *session) publishStatus() {
	s.lastStatus = time.Now()
	st := s.status()
	s.hist.mu.Lock()
	s.hist.status = st
	s.hist.mu.Unlock()
	s.broadcastJSON(st)
}

// snapshot copies a variable as float32.
func snapshot(v *soma.Variable) []float32 {
	n := v.Len()
	out := make([]float32, n)
	if xs := v.Float64s(); xs != nil {
		for k, x := range xs {
			out[k] = float32(x)
		}
		return out
	}
	for k := range out {
		out[k] = float32(v.At(k))
	}
	return out
}

// handle carries out a command and answers it.
func (s *session) handle(c *command) {
	msg, err := s.do(c)
	r := result{Type: "result", ID: c.ID, OK: err == nil, Message: msg}
	if err != nil {
		r.Error = err.Error()
	}
	if c.done != nil {
		c.done <- r
	}
	if c.from != nil && c.ID != nil {
		c.from.sendJSON(r)
	}
	if s.mode == modePaused || c.Cmd == "select" {
		s.capture(true)
	}
}

func (s *session) do(c *command) (string, error) {
	switch c.Cmd {
	case "hello":
		c.from.sendJSON(s.hello())
		return "", nil
	case "bye":
		delete(s.selected, c.from)
		s.followSelection()
		return "", nil
	case "run":
		if len(s.planStart) == 0 || s.step() >= s.planStart[len(s.planStart)-1] {
			return s.start(modeEndless, "run without end")
		}
		return s.start(modeRunning, "run the plan")
	case "endless":
		return s.start(modeEndless, "run without end")
	case "pause":
		if s.mode == modePaused {
			return "already paused", nil
		}
		if s.mode == modeFF {
			s.finish(s.step())
		}
		s.mode = modePaused
		s.event("pause", "pause", nil)
		return "paused", nil
	case "step":
		if c.N <= 0 {
			return "", fmt.Errorf("step needs a positive number of steps, got %d", c.N)
		}
		s.stopAt = s.step() + c.N
		return s.start(modeStepping, fmt.Sprintf("step %d", c.N))
	case "ff":
		if c.N <= 0 {
			return "", fmt.Errorf("fast-forward needs a positive number of steps, got %d", c.N)
		}
		s.capture(true)
		s.stopAt, s.ffFrom = s.step()+c.N, s.step()
		s.rec.on = false
		return s.start(modeFF, "")
	case "speed":
		if c.RTF < 0 || math.IsNaN(c.RTF) || math.IsInf(c.RTF, 0) {
			return "", fmt.Errorf("the speed limit must be a real-time factor of 0 (none) or more, got %g", c.RTF)
		}
		s.speed = c.RTF
		s.anchorWall, s.anchorStep = time.Now(), s.step()
		return fmt.Sprintf("speed limit %g", c.RTF), nil
	case "select":
		if c.from != nil {
			s.selected[c.from] = c.Selection
		}
		s.followSelection()
		s.weightsDirty = true
		return "", nil
	case "set":
		return s.set(c.Target, c.Value)
	case "active":
		return s.setActive(c.Module, c.Active)
	case "save":
		return s.save(c.Name)
	case "load":
		return s.load(c.Name)
	}
	return "", fmt.Errorf("unknown command '%s'", c.Cmd)
}

// start switches to a running mode.
func (s *session) start(mode, what string) (string, error) {
	s.mode = mode
	s.anchorWall, s.anchorStep = time.Now(), s.step()
	s.rateWall = time.Time{}
	if what != "" {
		s.event("run", what, nil)
	}
	return what, nil
}

// followSelection traces the union of every tab's selection.
func (s *session) followSelection() {
	var all []Selected
	for _, sel := range s.selected {
		all = append(all, sel...)
	}
	s.rec.follow(all, s.byName)
}

// set changes a constant or a variable.
func (s *session) set(target, value string) (string, error) {
	value = strings.TrimSpace(value)
	if value == "" {
		return "", fmt.Errorf("no value given for %s", target)
	}
	var owner, name string
	switch {
	case strings.HasPrefix(target, "const/"):
		return s.setConstant(strings.TrimPrefix(target, "const/"), value)
	case strings.HasPrefix(target, "var/"):
		owner, name, _ = strings.Cut(strings.TrimPrefix(target, "var/"), "/")
	case strings.Contains(target, "."):
		owner, name, _ = strings.Cut(target, ".")
	default:
		return s.setConstant(target, value)
	}
	var err error
	switch obj := s.object(owner).(type) {
	case *soma.NeuronGroup:
		if obj.Var(name) == nil {
			return "", fmt.Errorf("group '%s' has no variable '%s'", owner, name)
		}
		err = obj.Set(name, value)
	case *soma.Synapses:
		if obj.Var(name) == nil {
			return "", fmt.Errorf("synapses '%s' have no variable '%s'", owner, name)
		}
		err = obj.Set(name, value)
		s.weightsDirty = true
	default:
		return "", fmt.Errorf("the network has no group or synapses named '%s'", owner)
	}
	if err != nil {
		return "", err
	}
	text := fmt.Sprintf("%s.%s = %s", owner, name, value)
	s.event("set", text, nil)
	s.refreshLists()
	return text, nil
}

// object finds a group or synapses by name.
func (s *session) object(name string) any {
	for _, o := range s.net.Objects() {
		if n, ok := o.(interface{ Name() string }); ok && n.Name() == name {
			return o
		}
	}
	return nil
}

// setConstant evaluates a new value for a constant with soma's expression
// parser, checks that its dimension is the old one, and recompiles the
// kernels that folded it.
func (s *session) setConstant(name, value string) (string, error) {
	old, ok := quantityOf(s.net.Namespace[name])
	if !ok {
		return "", fmt.Errorf("the network has no constant named '%s'", name)
	}
	n, err := expr.Parse(value)
	if err != nil {
		return "", err
	}
	ns := expr.MapNamespace{}
	for k, x := range s.net.Namespace {
		if q, ok := quantityOf(x); ok {
			ns[k] = expr.Symbol{Kind: expr.Constant, Dim: q.Dim, Type: expr.Float, Value: q.Value}
		}
	}
	q, err := expr.Eval(n, ns)
	if err != nil {
		return "", err
	}
	if q.Dim != old.Dim {
		return "", fmt.Errorf("%s must be in %s, like its value %s; %s is in %s",
			name, old.Dim.Name(), format(old.Value, old.Dim), value, q.Dim.Name())
	}
	prev := s.net.Namespace[name]
	switch prev.(type) {
	case units.Quantity:
		s.net.Namespace[name] = q
	default:
		s.net.Namespace[name] = q.Value
	}
	began := time.Now()
	if _, err := s.net.Schedule(); err != nil {
		// The new value does not build (a division by zero folded, say):
		// keep the old one.
		s.net.Namespace[name] = prev
		if _, err2 := s.net.Schedule(); err2 != nil {
			return "", errors.Join(err, err2)
		}
		return "", err
	}
	took := time.Since(began)
	text := fmt.Sprintf("%s = %s (recompiled in %.3g ms)", name, value, took.Seconds()*1e3)
	s.event("set", text, nil)
	s.refreshLists()
	return text, nil
}

// setActive switches a behaviour or an object on or off.
func (s *session) setActive(id string, active bool) (string, error) {
	var name string
	switch {
	case strings.HasPrefix(id, "b/"):
		var k int
		if _, err := fmt.Sscanf(id, "b/%d", &k); err != nil || k < 0 || k >= len(s.mods) {
			return "", fmt.Errorf("no behaviour with the id '%s'", id)
		}
		s.mods[k].SetActive(active)
		name = s.mods[k].Name()
	case strings.HasPrefix(id, "o/"):
		name = strings.TrimPrefix(id, "o/")
		if err := s.net.SetActive(name, active); err != nil {
			return "", err
		}
	default:
		return "", fmt.Errorf("no behaviour or object with the id '%s'", id)
	}
	kind := "off"
	if active {
		kind = "on"
	}
	text := name + " " + kind
	s.event(kind, text, nil)
	s.refreshLists()
	return text, nil
}

// save stores the network state under a name.
func (s *session) save(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", fmt.Errorf("a saved state needs a name")
	}
	s.capture(true)
	s.net.Store("ui:" + name)
	s.saves[name] = saved{step: s.step(), planPos: s.planPos}
	s.event("save", "save "+name, nil)
	s.broadcastJSON(map[string]any{"type": "saves", "saves": s.saveNames()})
	return "saved " + name + " at " + format(float64(s.step())*s.dt, secondDim), nil
}

// load restores a saved state and forgets the history after its time.
func (s *session) load(name string) (string, error) {
	sv, ok := s.saves[name]
	if !ok {
		return "", fmt.Errorf("no saved state named '%s'", name)
	}
	if err := s.net.Restore("ui:" + name); err != nil {
		return "", err
	}
	if s.mode == modeFF {
		s.rec.on = true
	}
	s.mode = modePaused
	s.planPos = sv.planPos
	s.rec.discard()
	s.hist.mu.Lock()
	s.hist.truncate(sv.step)
	s.hist.mu.Unlock()
	t := float64(sv.step) * s.dt
	s.broadcastJSON(map[string]any{"type": "reset", "t": t, "step": sv.step})
	s.event("load", "load "+name, nil)
	s.refreshLists()
	return "loaded " + name + " at " + format(t, secondDim), nil
}

func (s *session) saveNames() []string {
	out := []string{}
	for name := range s.saves {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// event logs an entry of the timeline and sends it to every tab.
func (s *session) event(kind, text string, until *float64) {
	step := s.step()
	if kind == "ff" {
		step = s.ffFrom
	}
	e := Event{T: float64(step) * s.dt, Step: step, Kind: kind, Text: text, Until: until}
	s.events = append(s.events, e)
	if len(s.events) > 10000 {
		s.events = s.events[len(s.events)-10000:]
	}
	s.broadcastJSON(map[string]any{"type": "event", "event": e})
}

func (s *session) log(kind, text string) { s.event(kind, text, nil) }

// refreshLists recomputes the parameter and module lists and sends them.
func (s *session) refreshLists() {
	params := describeParams(s.net, s.groups, s.opts.Constants)
	modules, mods := describeModules(s.net, s.recMod)
	s.mods = mods
	s.hist.mu.Lock()
	s.hist.params, s.hist.modules = params, modules
	s.hist.mu.Unlock()
	s.broadcastJSON(map[string]any{"type": "params", "params": params})
	s.broadcastJSON(map[string]any{"type": "modules", "modules": modules})
}

// hello describes the network to a new tab.
func (s *session) hello() map[string]any {
	groups := make([]GroupInfo, len(s.groups))
	for k, g := range s.groups {
		groups[k] = g.info
	}
	syns := make([]SynapsesInfo, len(s.syns))
	for k, sy := range s.syns {
		syns[k] = sy.info
		syns[k].N = sy.s.Len()
	}
	var plan any
	if len(s.planStart) > 0 {
		var segs []map[string]any
		for k, seg := range s.opts.Plan {
			segs = append(segs, map[string]any{"start": float64(s.planStart[k]) * s.dt,
				"end": float64(s.planStart[k+1]) * s.dt, "label": seg.Label})
		}
		plan = map[string]any{"end": float64(s.planStart[len(s.planStart)-1]) * s.dt, "segments": segs}
	}
	s.hist.mu.Lock()
	params, modules := s.hist.params, s.hist.modules
	s.hist.mu.Unlock()
	name := s.opts.Name
	if name == "" {
		name = "soma"
	}
	events := s.events
	if events == nil {
		events = []Event{}
	}
	return map[string]any{"type": "hello", "name": name, "dt": s.dt, "history": s.opts.History,
		"groups": groups, "synapses": syns, "params": params, "modules": modules, "events": events,
		"saves": s.saveNames(), "plan": plan, "status": s.status()}
}

// broadcastJSON sends a message to every tab.
func (s *session) broadcastJSON(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	for c := range s.clients() {
		c.sendText(b)
	}
}

// clients returns the connected tabs; the server fills it.
func (s *session) clients() map[*client]bool {
	if s.server == nil {
		return nil
	}
	return s.server.clientSet()
}
