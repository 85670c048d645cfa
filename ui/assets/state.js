// state.js — what the page holds of the past: spikes and traces in typed
// arrays that grow by doubling and drop old entries by moving a start
// index (a ring bounded by `history` seconds), grid snapshots with their
// steps (bounded in count), the latest weights and weight histograms, and
// the events.

// Table is a set of parallel typed-array columns holding rows [start, end).
// Column 0 holds absolute steps, in order.
export class Table {
  constructor(types, cap = 1024) {
    this.types = types;
    this.cols = types.map((T) => new T(cap));
    this.start = 0;
    this.end = 0;
  }
  get length() { return this.end - this.start; }
  get steps() { return this.cols[0]; }

  // reserve room for n more rows: compact when half the buffer is dropped
  // rows, else grow by doubling.
  reserve(n) {
    const cap = this.cols[0].length;
    if (this.end + n <= cap) return;
    const len = this.length;
    if (len + n <= cap / 2) {
      for (const c of this.cols) c.copyWithin(0, this.start, this.end);
    } else {
      let next = cap * 2;
      while (next < len + n) next *= 2;
      this.cols = this.cols.map((c, k) => {
        const d = new this.types[k](next);
        d.set(c.subarray(this.start, this.end));
        return d;
      });
    }
    this.start = 0;
    this.end = len;
  }

  // lower returns the first row index (in buffer terms) whose step >= step.
  lower(step) {
    const s = this.cols[0];
    let lo = this.start, hi = this.end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s[mid] < step) lo = mid + 1; else hi = mid;
    }
    return lo;
  }
  dropBefore(step) { this.start = this.lower(step); if (this.start === this.end) this.start = this.end = 0; }
  dropFrom(step) { this.end = this.lower(step); if (this.start === this.end) this.start = this.end = 0; }
  lastStep() { return this.end > this.start ? this.cols[0][this.end - 1] : -Infinity; }
}

// spike table: steps (Int32, absolute) and neuron indices.
export function spikeTable() { return new Table([Int32Array, Int32Array], 4096); }
// trace table: steps (Float64) and values (Float32, SI).
export function traceTable() { return new Table([Float64Array, Float32Array], 1024); }

const MAX_GRIDS = 240;

export class Store {
  constructor() { this.clear(); this.historySteps = 50000; this.dt = 1e-4; }

  clear() {
    this.spikes = new Map();   // group -> Table
    this.traces = new Map();   // "G/VAR/K" or "G/VAR/mean" -> Table
    this.grids = [];           // [{step, data: Map "G/VAR" -> Float32Array}], steps increasing
    this.weights = new Map();  // "S/VAR/in/K" -> Float32Array (latest)
    this.hists = new Map();    // "S/VAR" -> {lo, hi, counts}
    this.events = [];
    this.first = null;         // earliest step held
    this.now = 0;              // end (excluded) of the data received
    this.version = 0;          // bumped on every change of data
    this.meanEvery = 10;
  }

  configure(hello) {
    this.dt = hello.dt;
    this.historySteps = Math.max(1, Math.ceil(hello.history / hello.dt));
  }

  spikeCount() { let n = 0; for (const t of this.spikes.values()) n += t.length; return n; }

  // add a decoded data frame.
  addFrame({ header, arrays }) {
    const base = header.base, from = header.from, to = header.to;
    if (header.meanEvery) this.meanEvery = header.meanEvery;
    if (to > from) {
      // A frame covers [from, to) fully: what the page has there is replaced.
      if (from < this.now) this.dropFrom(from, true);
      if (this.first === null || from < this.first) this.first = from;
    }
    for (const [key, arr] of arrays) {
      const slash = key.indexOf('/');
      const kind = key.slice(0, slash), rest = key.slice(slash + 1);
      if (kind === 'spikes' && rest.endsWith('/steps')) {
        // runs: distinct steps, spikes per step, then the neurons
        const g = rest.slice(0, -6);
        const counts = arrays.get('spikes/' + g + '/counts');
        const idx = arrays.get('spikes/' + g + '/i');
        if (!idx || !counts) continue;
        let t = this.spikes.get(g);
        if (!t) { t = spikeTable(); this.spikes.set(g, t); }
        const n = idx.length;
        t.reserve(n);
        const s = t.cols[0], i = t.cols[1], e = t.end;
        let k = 0;
        for (let r = 0; r < arr.length; r++) {
          const step = base + arr[r];
          for (let c = counts[r]; c > 0; c--, k++) { s[e + k] = step; i[e + k] = idx[k]; }
        }
        t.end += n;
      } else if (kind === 'tracestep') {
        const vals = arrays.get('trace/' + rest);
        if (!vals) continue;
        let t = this.traces.get(rest);
        if (!t) { t = traceTable(); this.traces.set(rest, t); }
        const n = arr.length;
        t.reserve(n);
        const s = t.cols[0], v = t.cols[1], e = t.end;
        for (let k = 0; k < n; k++) { s[e + k] = base + arr[k]; v[e + k] = vals[k]; }
        t.end += n;
      } else if (kind === 'grid' && header.gridStep != null) {
        this.addGrid(header.gridStep, rest, arr);
      } else if (kind === 'weights') {
        this.weights.set(rest, new Float32Array(arr));
        this.weightsVersion = (this.weightsVersion || 0) + 1;
      } else if (kind === 'hist') {
        const r = (header.hist && header.hist[rest]) || { lo: 0, hi: 1 };
        this.hists.set(rest, { lo: r.lo, hi: r.hi, counts: new Int32Array(arr) });
        this.weightsVersion = (this.weightsVersion || 0) + 1;
      }
    }
    if (header.gridStep != null && arrays.size > 0) this.gridDone(header.gridStep);
    if (this.first === null) this.first = from;
    this.now = Math.max(this.now, to);
    this.trim();
    this.version++;
  }

  // grids: the arrays of one snapshot arrive under one gridStep. The
  // newest snapshot is always kept; older ones only when they lie at least
  // history/MAX_GRIDS apart, so the count stays bounded.
  addGrid(step, key, arr) {
    const gs = this.grids;
    let last = gs[gs.length - 1];
    if (!last || last.step !== step) {
      if (last && last.step > step) this.grids = gs.filter((g) => g.step < step);
      const n = this.grids.length;
      const spacing = this.historySteps / MAX_GRIDS;
      if (n >= 2 && this.grids[n - 1].step - this.grids[n - 2].step < spacing) this.grids.pop();
      last = { step, data: new Map() };
      this.grids.push(last);
    }
    last.data.set(key, new Float32Array(arr));
  }
  gridDone() { this.gridsVersion = (this.gridsVersion || 0) + 1; }

  // grid returns the newest snapshot at or before step (or the latest).
  grid(step = Infinity) {
    const gs = this.grids;
    for (let k = gs.length - 1; k >= 0; k--) if (gs[k].step <= step) return gs[k];
    return gs[0] || null;
  }

  // gridValues returns the values of key ("G/VAR") in the newest snapshot
  // at or before step that has them (the server sends only the variable a
  // grid shows, so older snapshots may hold another), else the oldest.
  gridValues(key, step = Infinity) {
    const gs = this.grids;
    for (let k = gs.length - 1; k >= 0; k--) {
      if (gs[k].step <= step && gs[k].data.has(key)) return gs[k].data.get(key);
    }
    for (const g of gs) if (g.data.has(key)) return g.data.get(key);
    return null;
  }

  trim() {
    const keepFrom = this.now - this.historySteps;
    if (this.first !== null && this.first < keepFrom) {
      for (const t of this.spikes.values()) t.dropBefore(keepFrom);
      for (const t of this.traces.values()) t.dropBefore(keepFrom);
      this.first = keepFrom;
      // keep the newest snapshot at or before keepFrom so scrubbing to the
      // start still has a grid.
      let k = 0;
      while (k + 1 < this.grids.length && this.grids[k + 1].step <= keepFrom) k++;
      if (k > 0) this.grids.splice(0, k);
    }
    while (this.grids.length > MAX_GRIDS + 1) this.grids.splice(1, 1);
  }

  // dropFrom forgets everything at or after step (a reset after a load, or
  // a frame that resends a span). Grid snapshots exactly at step stay: the
  // state there is the one restored.
  dropFrom(step, keepEvents) {
    for (const t of this.spikes.values()) t.dropFrom(step);
    for (const t of this.traces.values()) t.dropFrom(step);
    this.grids = this.grids.filter((g) => g.step <= step);
    if (!keepEvents) this.events = this.events.filter((e) => e.step <= step);
    this.now = Math.min(this.now, step);
    if (this.first !== null && this.first > step) this.first = step;
    this.version++;
  }

  addEvent(e) {
    this.events.push(e);
    if (this.events.length > 10000) this.events.splice(0, this.events.length - 10000);
    this.version++;
  }
}
