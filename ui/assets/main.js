// main.js — soma's live page: wires the websocket (ws.js), the history
// (state.js) and the views, runs the draw loop (requestAnimationFrame,
// drawing only what changed) and exposes window.somaUI for tests.

import { Connection, tokenQuery } from './ws.js';
import { Store } from './state.js';
import { fmtTime, fmt, SEL_COLORS } from './plot.js';
import { GridView } from './views/grid.js';
import { RasterView } from './views/raster.js';
import { TracesView } from './views/traces.js';
import { WeightsView } from './views/weights.js';
import { StatsView } from './views/stats.js';
import { ParamsPanel, ModulesPanel, SavesPanel, EventsPanel } from './views/panels.js';

const $ = (id) => document.getElementById(id);
const STATS_EVERY = 500; // ms between recomputations of the histograms and spectrum
// While the simulation runs, the views are redrawn at most every LIVE_GAP
// ms: the page shares the machine with the simulation. Paused, scrubbing
// or clicking redraws at once.
let LIVE_GAP = 100;

const ui = {
  store: new Store(),
  hello: null,
  status: null,
  selection: [],
  live: true,
  scrubStep: 0,
  windowSec: 1,
  framesDrawn: 0,
  lastError: null,
  dirty: { raster: true, traces: true, grids: true, weights: true, stats: true, events: true, timeline: true },
  grids: new Map(),

  viewEnd() { return this.live ? this.store.now : Math.min(this.scrubStep, this.store.now); },
  windowSteps() { return Math.max(10, Math.round(this.windowSec / this.store.dt)); },
  all() { for (const k in this.dirty) this.dirty[k] = true; requestDraw(); },
  mark(view) { this.dirty[view] = true; requestDraw(); },
  noteError(e) { this.lastError = e; },

  select(group, index, add) {
    const k = this.selection.findIndex((s) => s.group === group && s.index === index);
    if (add) {
      if (k >= 0) this.selection.splice(k, 1); else this.selection.push({ group, index });
    } else {
      this.selection = [{ group, index }];
    }
    this.sendSelection();
  },
  // sendGrids tells the server which variable each grid shows: it sends
  // only those snapshots.
  sendGrids() {
    const grids = {};
    for (const [name, view] of this.grids) if (view.sel.value) grids[name] = view.sel.value;
    this.conn.send('grid', { grids });
  },
  sendSelection() {
    this.conn.send('select', { selection: this.selection });
    showSelection();
    this.all();
  },

  // rateOver is the mean rate (Hz) of a group over the last `steps` steps
  // of the visible window.
  rateOver(group, steps) {
    const g = this.hello?.groups.find((x) => x.name === group);
    const t = this.store.spikes.get(group);
    if (!g || !t || !g.n) return 0;
    const end = this.viewEnd(), from = Math.max(end - steps, this.store.first ?? 0);
    if (end <= from) return 0;
    return (t.lower(end) - t.lower(from)) / (g.n * (end - from) * this.store.dt);
  },

  scrubTo(step) {
    const s = this.store;
    step = Math.max(s.first ?? 0, Math.min(s.now, step));
    this.live = step >= s.now;
    this.scrubStep = step;
    syncScrub();
    this.all();
  },

  async load(name) {
    const res = await this.conn.send('load', { name });
    saves.show(res);
    if (!res.ok) this.noteError(res.error);
    return res;
  },
};

// ---- views
const raster = new RasterView($('raster'), $('rate'), $('tooltip'), ui);
ui.raster = raster;
const traces = new TracesView($('traces'), $('trace-var'), ui);
const weights = new WeightsView($('weight-maps'), $('weight-hists'), $('weights-info'), ui);
const stats = new StatsView($('isi'), $('ratehist'), $('spectrum'), $('hist-group'), ui);
const params = new ParamsPanel($('param-list'), $('free-set'), $('free-expr'), $('free-msg'), ui);
const modules = new ModulesPanel($('module-list'), ui);
const saves = new SavesPanel($('save-name'), $('save-list'), $('save-msg'), ui);
const events = new EventsPanel($('event-list'), $('timeline'), ui);

function showSelection() {
  const el = $('selection');
  el.replaceChildren();
  if (!ui.selection.length) { el.textContent = 'no neuron selected'; return; }
  el.append('selected: ');
  ui.selection.forEach((s, k) => {
    const c = document.createElement('span');
    c.className = 'chip';
    c.style.background = SEL_COLORS[k % SEL_COLORS.length];
    c.textContent = `${s.group}[${s.index}]`;
    c.title = 'click to deselect';
    c.onclick = () => { ui.selection.splice(k, 1); ui.sendSelection(); };
    el.append(c, ' ');
  });
}

function onHello(h) {
  const same = ui.hello && JSON.stringify(ui.hello.groups) === JSON.stringify(h.groups);
  ui.hello = h;
  ui.store.configure(h);
  document.title = `soma · ${h.name}`;
  $('netname').textContent = h.name;
  if (!same) {
    const list = $('grid-list');
    list.replaceChildren();
    ui.grids.clear();
    for (const g of h.groups) ui.grids.set(g.name, new GridView(list, g, ui));
  }
  ui.selection = ui.selection.filter((s) => h.groups.some((g) => g.name === s.group && s.index < g.n));
  traces.configure(h);
  stats.configure(h);
  params.update(h.params || []);
  modules.update(h.modules || []);
  saves.update(h.saves || []);
  ui.store.events = (h.events || []).slice();
  onStatus(h.status);
  ui.sendGrids();
  ui.sendSelection();
  ui.all();
}

function onStatus(st) {
  if (!st) return;
  ui.status = st;
  $('st-t').textContent = fmtTime(st.t);
  $('st-step').textContent = String(st.step);
  const mode = $('st-mode');
  mode.textContent = st.mode;
  mode.className = 'mode ' + st.mode;
  $('st-sps').textContent = fmt(Math.round(st.stepsPerSecond || 0));
  $('st-rtf').textContent = fmt(st.realtime || 0) + '×';
  $('st-plan').textContent = st.planEnd != null ? (st.planDone ? 'plan done' : `plan to ${fmtTime(st.planEnd)}`) : '';
  $('btn-pause').classList.toggle('on', st.mode === 'paused');
  $('btn-run').classList.toggle('on', st.mode === 'running');
  $('btn-endless').classList.toggle('on', st.mode === 'endless');
  const sp = $('speed');
  if (document.activeElement !== sp) {
    const v = String(st.speed || 0);
    if (![...sp.options].some((o) => o.value === v)) sp.append(new Option(v + '×', v));
    sp.value = v;
  }
}

function onText(m) {
  switch (m.type) {
    case 'hello': onHello(m); break;
    case 'status': onStatus(m); break;
    case 'params': params.update(m.params); break;
    case 'modules': modules.update(m.modules); break;
    case 'saves': saves.update(m.saves); break;
    case 'event': ui.store.addEvent(m.event); ui.all(); break;
    case 'reset': ui.store.dropFrom(m.step); if (!ui.live && ui.scrubStep > m.step) ui.scrubStep = m.step; ui.all(); break;
    case 'result': if (!m.ok) ui.noteError(m.error); break;
  }
}

let lastGridsVersion = -1, lastWeightsVersion = -1;
// perf: milliseconds spent on data frames and on drawing, per view
const perf = { dataMs: 0, dataFrames: 0, bytes: 0, draw: {} };
function timed(name, f) {
  const t0 = performance.now();
  f();
  perf.draw[name] = (perf.draw[name] || 0) + performance.now() - t0;
}
function onData(frame) {
  const t0 = performance.now();
  perf.dataFrames++;
  perf.bytes += frame.bytes || 0;
  ui.store.addFrame(frame);
  onStatus(frame.header.status);
  // scrubbed back, the views stay; only the timeline and slider move
  ui.dirty.timeline = true;
  if (ui.live) ui.dirty.raster = ui.dirty.traces = ui.dirty.stats = true;
  if (ui.store.gridsVersion !== lastGridsVersion) { lastGridsVersion = ui.store.gridsVersion; ui.dirty.grids = true; }
  if (ui.store.weightsVersion !== lastWeightsVersion) { lastWeightsVersion = ui.store.weightsVersion; ui.dirty.weights = true; }
  if (!ui.live) ui.dirty.grids = false;
  requestDraw();
  perf.dataMs += performance.now() - t0;
}

ui.conn = new Connection({
  open() {
    ui.store.clear();
    lastGridsVersion = lastWeightsVersion = -1;
    $('conn').textContent = 'connected'; $('conn').className = 'conn on';
  },
  close() { $('conn').textContent = 'offline'; $('conn').className = 'conn off'; },
  text: onText,
  data: onData,
  error(err) { ui.noteError(String(err)); console.error(err); },
});

// ---- scrubbing
function syncScrub() {
  const s = ui.store, sl = $('scrub-slider');
  sl.min = String(s.first ?? 0);
  sl.max = String(s.now);
  if (document.activeElement !== sl || ui.live) sl.value = String(ui.viewEnd());
  $('btn-live').classList.toggle('on', ui.live);
  const end = ui.viewEnd();
  $('scrub-label').textContent = ui.live ? `live · ${fmtTime(end * s.dt)}` : `${fmtTime(end * s.dt)} (−${fmtTime((s.now - end) * s.dt)})`;
}
$('scrub-slider').addEventListener('input', (ev) => ui.scrubTo(Number(ev.target.value)));
$('btn-live').addEventListener('click', () => { ui.live = true; syncScrub(); ui.all(); });
$('window').addEventListener('change', (ev) => { ui.windowSec = Number(ev.target.value); ui.all(); });

// ---- transport
const send = async (cmd, fields) => { const r = await ui.conn.send(cmd, fields); if (!r.ok) ui.noteError(r.error); return r; };
$('btn-run').onclick = () => send('run');
$('btn-pause').onclick = () => send('pause');
$('btn-endless').onclick = () => send('endless');
$('btn-step').onclick = () => send('step', { n: Math.max(1, Math.round(Number($('step-n').value) || 1)) });
$('btn-ff').onclick = () => send('ff', { n: Math.max(1, Math.round(Number($('ff-n').value) || 1)) });
$('speed').onchange = (ev) => send('speed', { rtf: Number(ev.target.value) });
document.addEventListener('keydown', (ev) => {
  if (ev.code !== 'Space' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const tag = document.activeElement?.tagName;
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return;
  ev.preventDefault();
  send(ui.status && ui.status.mode !== 'paused' ? 'pause' : 'run');
});

// ---- save / load
$('btn-save').onclick = async () => { const r = await send('save', { name: $('save-name').value.trim() }); saves.show(r); };
$('btn-load').onclick = () => ui.load($('save-name').value.trim());

// ---- exports
function download(url, name) {
  const a = $('download');
  a.href = url;
  a.download = name;
  a.click();
}
$('btn-npz').onclick = () => {
  const s = ui.store, end = ui.viewEnd(), from = Math.max(s.first ?? 0, end - ui.windowSteps());
  const q = `from=${(from * s.dt).toPrecision(12)}&to=${(end * s.dt).toPrecision(12)}` + tokenQuery('&');
  download(`/export/data.npz?${q}`, `${ui.hello?.name || 'soma'}-data.npz`);
};
$('btn-yaml').onclick = () => download('/export/params.yaml' + tokenQuery(), `${ui.hello?.name || 'soma'}-params.yaml`);
$('btn-png').onclick = () => composePNG().toBlob((blob) => {
  const url = URL.createObjectURL(blob);
  download(url, `${ui.hello?.name || 'soma'}-${(ui.viewEnd() * ui.store.dt).toFixed(3)}s.png`);
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}, 'image/png');

// composePNG draws every visible canvas of the page, with the panel
// titles, onto one canvas at its place on the page.
function composePNG() {
  const W = document.documentElement.clientWidth, H = document.documentElement.clientHeight;
  const dpr = window.devicePixelRatio || 1;
  const out = document.createElement('canvas');
  out.width = W * dpr; out.height = H * dpr;
  const ctx = out.getContext('2d');
  ctx.scale(dpr, dpr);
  ctx.fillStyle = '#eef0f3';
  ctx.fillRect(0, 0, W, H);
  for (const el of document.querySelectorAll('.panel, .box')) {
    const r = el.getBoundingClientRect();
    ctx.fillStyle = '#fff'; ctx.fillRect(r.left, r.top, r.width, r.height);
    ctx.strokeStyle = '#d9dde3'; ctx.strokeRect(r.left + 0.5, r.top + 0.5, r.width - 1, r.height - 1);
    const h3 = el.querySelector('h3');
    if (h3) {
      const hr = h3.getBoundingClientRect();
      ctx.fillStyle = '#374151'; ctx.font = '600 11px system-ui, sans-serif'; ctx.textBaseline = 'top';
      ctx.fillText(h3.firstChild?.textContent?.trim().toUpperCase() || '', hr.left, hr.top);
    }
  }
  for (const c of document.querySelectorAll('canvas')) {
    const r = c.getBoundingClientRect();
    if (!r.width || !r.height || c.offsetParent === null) continue;
    ctx.drawImage(c, r.left, r.top, r.width, r.height);
  }
  ctx.fillStyle = '#1d2330'; ctx.font = '600 12px system-ui, sans-serif'; ctx.textBaseline = 'bottom';
  ctx.fillText(`soma · ${ui.hello?.name || ''} · t = ${fmtTime(ui.viewEnd() * ui.store.dt)}`, 8, H - 4);
  return out;
}

// ---- the draw loop: only what changed, histograms a few times a second
let drawing = true;
let lastStats = 0, lastEventsLen = -1, lastW = 0, lastH = 0, lastDraw = -1e9;
let framePending = false, timerPending = false, statsTimer = false;

// requestDraw asks for an animation frame (once) when something changed:
// no frames are requested while nothing changes. While running, the frame
// waits for LIVE_GAP since the last one; the statistics wait STATS_EVERY.
function requestDraw() {
  if (framePending || timerPending || !drawing) return;
  const running = ui.status && ui.status.mode !== 'paused';
  const wait = running && ui.live ? LIVE_GAP - (performance.now() - lastDraw) : 0;
  if (wait > 1) {
    timerPending = true;
    setTimeout(() => { timerPending = false; requestDraw(); }, wait);
    return;
  }
  framePending = true;
  requestAnimationFrame(frame);
}

function frame(now) {
  framePending = false;
  if (!drawing) return;
  lastDraw = performance.now();
  if (ui.dirty.stats && now - lastStats < STATS_EVERY && !statsTimer) {
    statsTimer = true;
    setTimeout(() => { statsTimer = false; requestDraw(); }, STATS_EVERY - (now - lastStats));
  }
  if (innerWidth !== lastW || innerHeight !== lastH) { lastW = innerWidth; lastH = innerHeight; for (const k in ui.dirty) ui.dirty[k] = true; }
  const d = ui.dirty;
  let drew = false;
  if (d.raster) { d.raster = false; timed('raster', () => raster.draw()); drew = true; }
  if (d.traces) { d.traces = false; timed('traces', () => traces.draw()); drew = true; }
  if (d.grids) { d.grids = false; timed('grids', () => { for (const g of ui.grids.values()) g.draw(ui.selection); }); drew = true; }
  if (d.weights) { d.weights = false; timed('weights', () => weights.draw()); drew = true; }
  if (d.stats && now - lastStats >= STATS_EVERY) { d.stats = false; lastStats = now; timed('stats', () => stats.draw()); drew = true; }
  if (d.timeline) {
    d.timeline = false;
    timed('events', () => {
      events.draw();
      if (ui.store.events.length !== lastEventsLen || d.events) { lastEventsLen = ui.store.events.length; events.list(); }
      d.events = false;
      syncScrub();
    });
  }
  if (drew) ui.framesDrawn++;
}
addEventListener('resize', () => ui.all());
requestDraw();
showSelection();

// ---- the test hook
window.somaUI = {
  get connected() { return ui.conn.connected; },
  get hello() { return ui.hello; },
  get status() { return ui.status; },
  get framesDrawn() { return ui.framesDrawn; },
  get spikeCount() { return ui.store.spikeCount(); },
  get selection() { return ui.selection.map((s) => ({ ...s })); },
  get lastError() { return ui.lastError; },
  get live() { return ui.live; },
  get viewEnd() { return ui.viewEnd(); },
  get first() { return ui.store.first; },
  get now() { return ui.store.now; },
  get events() { return ui.store.events.slice(); },
  get grids() { return ui.store.grids.length; },
  // displayedRate: Hz of a group over the last 100 ms shown.
  displayedRate(group) { return ui.rateOver(group, Math.max(1, Math.round(0.1 / ui.store.dt))); },
  traceKeys() { return traces.drawn.slice(); },
  weightKeys() { return [...ui.store.weights.keys()]; },
  // cell returns the page coordinates of a neuron's grid cell.
  cell(group, index) { return ui.grids.get(group)?.cellCenter(index) ?? null; },
  // spikes returns "step:index" strings of a group's spikes in [from, to).
  spikes(group, from, to) {
    const t = ui.store.spikes.get(group);
    if (!t) return [];
    const out = [];
    for (let k = t.lower(from), e = t.lower(to); k < e; k++) out.push(t.cols[0][k] + ':' + t.cols[1][k]);
    return out;
  },
  send(cmd, fields) { return ui.conn.send(cmd, fields); },
  scrubTo(step) { ui.scrubTo(step); },
  goLive() { ui.live = true; ui.all(); },
  setDrawing(on) { drawing = on; ui.all(); },
  // setLiveGap sets the least time between redraws while running (ms).
  setLiveGap(ms) { LIVE_GAP = ms; },
  setWindow(sec) { ui.windowSec = sec; ui.all(); },
  // drawRasterTimed forces n raster draws and returns the mean ms per draw.
  drawRasterTimed(n) {
    const t0 = performance.now();
    for (let k = 0; k < n; k++) raster.draw();
    return (performance.now() - t0) / n;
  },
  spikesInView() {
    let n = 0;
    const end = ui.viewEnd(), s0 = end - ui.windowSteps();
    for (const t of ui.store.spikes.values()) n += t.lower(end) - t.lower(s0);
    return n;
  },
  // perf: ms spent on data frames and per view since the page opened
  get perf() { return JSON.parse(JSON.stringify(perf)); },
  composePNG() { return composePNG().toDataURL('image/png').length; },
};
