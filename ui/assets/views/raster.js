// views/raster.js — the spike raster of the visible window (all spiking
// groups stacked, boundaries labelled, selected neurons in red) and the
// population rate of each group below it, computed from the same spikes
// (1 ms bins, Gaussian smoothing). The raster is drawn by writing pixels
// into an ImageData through a Uint32Array and one putImageData.

import { fit, axes, xAxis, fmt, fmtTime, rgba32, GROUP_COLORS, EVENT_COLORS, MUTED, INK, SEL } from '../plot.js';

const L = 50, R = 10;
const BG = 0xffffffff, BAND = rgba32('#f5f7fa'), SELROW = rgba32('#fde4ea'), SELPX = rgba32(SEL);

export class RasterView {
  constructor(canvas, rateCanvas, tooltip, ui) {
    this.canvas = canvas;
    this.rateCanvas = rateCanvas;
    this.tooltip = tooltip;
    this.ui = ui;
    this.rates = new Map(); // group -> Float32Array of counts per bin
    canvas.addEventListener('mousemove', (ev) => this.hover(ev));
    canvas.addEventListener('mouseleave', () => { tooltip.hidden = true; });
    canvas.addEventListener('click', (ev) => {
      const hit = this.neuronAt(ev.offsetX, ev.offsetY);
      if (hit) ui.select(hit.group, hit.index, ev.ctrlKey || ev.metaKey || ev.shiftKey);
    });
  }

  // bands lays the spiking groups out top to bottom, in proportion to size
  // (at least 12 pixels each).
  bands(h) {
    const gs = (this.ui.hello?.groups || []).filter((g) => g.spikes && g.n > 0);
    const total = gs.reduce((a, g) => a + g.n, 0);
    const minH = Math.min(12, h / Math.max(1, gs.length));
    let raw = gs.map((g) => Math.max(minH, h * g.n / total));
    const sum = raw.reduce((a, b) => a + b, 0);
    raw = raw.map((x) => x * h / sum);
    let top = 0;
    return gs.map((g, k) => {
      const b = { g, top: Math.round(top), h: Math.max(1, Math.round(top + raw[k]) - Math.round(top)), color: GROUP_COLORS[k % GROUP_COLORS.length] };
      top += raw[k];
      return b;
    });
  }

  // draw the raster and collect the rate bins; returns the ms it took.
  draw() {
    const ui = this.ui, store = ui.store;
    const { ctx, w, h } = fit(this.canvas, 1);
    const r = { x: L, y: 2, w: Math.max(10, w - L - R), h: Math.max(10, h - 14) };
    if (!this.img || this.img.width !== r.w || this.img.height !== r.h) {
      this.img = ctx.createImageData(r.w, r.h);
      this.px = new Uint32Array(this.img.data.buffer);
    }
    const px = this.px, rw = r.w;
    px.fill(BG);
    const end = ui.viewEnd(), W = ui.windowSteps(), s0 = end - W;
    const xs = rw / W;
    const binSteps = Math.max(1, Math.round(1e-3 / store.dt));
    const nbins = Math.ceil(W / binSteps);
    const bands = this.bands(r.h);
    this.lastBands = bands;
    this.lastRect = r;
    const selected = ui.selection;
    for (const b of bands) {
      const g = b.g;
      if (bands.indexOf(b) % 2 === 1) px.fill(BAND, b.top * rw, (b.top + b.h) * rw);
      const ys = b.h / g.n;
      // selected neurons: a light row behind their spikes
      const flags = new Uint8Array(g.n);
      for (const s of selected) {
        if (s.group !== g.name || s.index >= g.n) continue;
        flags[s.index] = 1;
        const y0 = b.top + Math.floor(s.index * ys), y1 = Math.max(y0 + 1, b.top + Math.floor((s.index + 1) * ys));
        px.fill(SELROW, y0 * rw, y1 * rw);
      }
      let counts = this.rates.get(g.name);
      if (!counts || counts.length !== nbins) { counts = new Float32Array(nbins); this.rates.set(g.name, counts); } else counts.fill(0);
      const t = store.spikes.get(g.name);
      if (!t) continue;
      const S = t.cols[0], I = t.cols[1];
      const k0 = t.lower(s0), k1 = t.lower(end);
      const color = rgba32(b.color);
      const top = b.top;
      const hasSel = selected.some((s) => s.group === g.name);
      const sel = [];
      if (ys < 2) {
        for (let k = k0; k < k1; k++) {
          const ds = S[k] - s0, i = I[k];
          px[((top + i * ys) | 0) * rw + ((ds * xs) | 0)] = color;
          counts[(ds / binSteps) | 0]++;
          if (hasSel && flags[i]) sel.push(k);
        }
      } else {
        const dh = Math.min(4, ys | 0);
        for (let k = k0; k < k1; k++) {
          const ds = S[k] - s0, i = I[k];
          let o = ((top + i * ys) | 0) * rw + ((ds * xs) | 0);
          for (let d = 0; d < dh; d++, o += rw) px[o] = color;
          counts[(ds / binSteps) | 0]++;
          if (hasSel && flags[i]) sel.push(k);
        }
      }
      // selected spikes over the rest: red ticks 5 pixels high
      for (const k of sel) {
        const x = ((S[k] - s0) * xs) | 0, yc = (top + (I[k] + 0.5) * ys) | 0;
        for (let y = Math.max(top, yc - 2); y <= Math.min(top + b.h - 1, yc + 2); y++) { px[y * rw + x] = SELPX; if (x + 1 < rw) px[y * rw + x + 1] = SELPX; }
      }
    }
    ctx.clearRect(0, 0, w, h);
    ctx.putImageData(this.img, r.x, r.y);

    // labels, boundaries, event marks: a few 2D calls
    ctx.strokeStyle = '#c9ced6';
    ctx.strokeRect(r.x - 0.5, r.y - 0.5, r.w + 1, r.h + 1);
    ctx.textBaseline = 'middle';
    for (const b of bands) {
      const y = r.y + b.top;
      if (b.top > 0) { ctx.fillStyle = '#9aa3ae'; ctx.fillRect(r.x - 6, y, r.w + 6, 1); }
      ctx.fillStyle = b.color;
      ctx.textAlign = 'right';
      ctx.font = '600 10px system-ui, sans-serif';
      ctx.fillText(b.g.name, r.x - 6, y + b.h / 2, L - 8);
      ctx.font = '9px system-ui, sans-serif';
      ctx.fillStyle = MUTED;
      if (b.h > 30) {
        ctx.textBaseline = 'top'; ctx.fillText('0', r.x - 3, y + 1);
        ctx.textBaseline = 'bottom'; ctx.fillText(String(b.g.n - 1), r.x - 3, y + b.h);
        ctx.textBaseline = 'middle';
      }
    }
    const t0 = s0 * store.dt, t1 = end * store.dt;
    ctx.font = '10px system-ui, sans-serif';
    xAxis(ctx, { x: r.x, y: r.y, w: r.w, h: r.h }, t0, t1, false);
    this.drawEvents(ctx, r, s0, end, true);
    this.drawRate(bands, nbins, binSteps, s0, end);
  }

  // drawEvents marks events (and fast-forward spans) over a plot.
  drawEvents(ctx, r, s0, end, labels) {
    const W = end - s0;
    ctx.save();
    ctx.font = '9px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    ctx.textAlign = 'left';
    for (const e of this.ui.store.events) {
      if (e.step < s0 || e.step > end) continue;
      const x = Math.round(r.x + (e.step - s0) / W * r.w) + 0.5;
      const c = EVENT_COLORS[e.kind] || INK;
      ctx.strokeStyle = c;
      ctx.setLineDash([3, 2]);
      ctx.beginPath(); ctx.moveTo(x, r.y); ctx.lineTo(x, r.y + r.h); ctx.stroke();
      if (labels) {
        ctx.fillStyle = c;
        const text = e.kind === 'set' ? e.text.replace(/ \(recompiled.*\)$/, '') : e.kind;
        ctx.fillText(text.length > 28 ? text.slice(0, 27) + '…' : text, x + 2, r.y + 1);
      }
    }
    ctx.restore();
  }

  // drawRate plots each group's population rate in Hz.
  drawRate(bands, nbins, binSteps, s0, end) {
    const store = this.ui.store;
    const { ctx, w, h } = fit(this.rateCanvas);
    ctx.clearRect(0, 0, w, h);
    const r = { x: L, y: 4, w: Math.max(10, w - L - R), h: Math.max(10, h - 20) };
    const binSec = binSteps * store.dt;
    const sigma = 2; // bins
    const kern = [];
    for (let d = -3 * sigma; d <= 3 * sigma; d++) kern.push(Math.exp(-d * d / (2 * sigma * sigma)));
    const ks = kern.reduce((a, b) => a + b, 0);
    const series = [];
    let ymax = 1;
    // the last bin may be partial: leave it out
    const full = Math.floor((end - s0) / binSteps);
    for (const b of bands) {
      const c = this.rates.get(b.g.name);
      if (!c) continue;
      const hz = new Float32Array(full);
      const norm = 1 / (b.g.n * binSec * ks);
      for (let k = 0; k < full; k++) {
        let s = 0, wsum = 0;
        for (let d = -3 * sigma; d <= 3 * sigma; d++) {
          const j = k + d;
          if (j >= 0 && j < full) { s += c[j] * kern[d + 3 * sigma]; wsum += kern[d + 3 * sigma]; }
        }
        hz[k] = s * norm * ks / (wsum || 1);
        if (hz[k] > ymax) ymax = hz[k];
      }
      series.push({ b, hz });
    }
    ymax = niceMax(ymax);
    const t0 = s0 * store.dt, t1 = end * store.dt;
    axes(ctx, r, { xlo: t0, xhi: t1, ylo: 0, yhi: ymax, yticks: 2, noX: true });
    xAxis(ctx, r, t0, t1, true);
    ctx.save();
    ctx.beginPath(); ctx.rect(r.x, r.y, r.w, r.h); ctx.clip();
    for (const { b, hz } of series) {
      ctx.strokeStyle = b.color;
      ctx.lineWidth = 1.25;
      ctx.beginPath();
      for (let k = 0; k < hz.length; k++) {
        const x = r.x + ((k + 0.5) * binSteps) / (end - s0) * r.w, y = r.y + r.h - hz[k] / ymax * r.h;
        if (k === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
      }
      ctx.stroke();
    }
    ctx.restore();
    this.drawEvents(ctx, r, s0, end, false);
    ctx.fillStyle = MUTED;
    ctx.save(); ctx.translate(12, r.y + r.h / 2); ctx.rotate(-Math.PI / 2); ctx.textAlign = 'center'; ctx.fillText('rate (Hz)', 0, 0); ctx.restore();
    // legend: mean rate over the window
    ctx.textAlign = 'right';
    ctx.textBaseline = 'top';
    let x = r.x + r.w - 4;
    for (const { b } of series.slice().reverse()) {
      const hz = this.ui.rateOver(b.g.name, end - s0);
      const text = `${b.g.name} ${fmt(hz)} Hz`;
      ctx.fillStyle = b.color;
      ctx.fillText(text, x, r.y + 2);
      x -= ctx.measureText(text).width + 10;
    }
  }

  neuronAt(x, y) {
    const r = this.lastRect;
    if (!r || x < r.x || x >= r.x + r.w) return null;
    for (const b of this.lastBands || []) {
      const yy = y - r.y - b.top;
      if (yy >= 0 && yy < b.h) return { group: b.g.name, index: Math.min(b.g.n - 1, Math.floor(yy / b.h * b.g.n)), x };
    }
    return null;
  }

  hover(ev) {
    const ui = this.ui, r = this.lastRect;
    if (!r) return;
    const end = ui.viewEnd(), W = ui.windowSteps(), s0 = end - W;
    const step = s0 + (ev.offsetX - r.x) / r.w * W;
    let text = '';
    let best = 5;
    for (const e of ui.store.events) {
      const x = r.x + (e.step - s0) / W * r.w;
      if (Math.abs(x - ev.offsetX) < best) { best = Math.abs(x - ev.offsetX); text = `${fmtTime(e.t)} ${e.kind}: ${e.text}`; }
    }
    if (!text) {
      const n = this.neuronAt(ev.offsetX, ev.offsetY);
      if (!n) { this.tooltip.hidden = true; return; }
      text = `${n.group}[${n.index}]  t = ${fmtTime(step * ui.store.dt)}`;
    }
    this.tooltip.textContent = text;
    this.tooltip.hidden = false;
    const pr = this.canvas.parentElement.getBoundingClientRect(), cr = this.canvas.getBoundingClientRect();
    const left = cr.left - pr.left + ev.offsetX + 12;
    this.tooltip.style.left = Math.min(left, pr.width - this.tooltip.offsetWidth - 4) + 'px';
    this.tooltip.style.top = (cr.top - pr.top + ev.offsetY + 14) + 'px';
  }
}

export function niceMax(x) {
  const m = Math.pow(10, Math.floor(Math.log10(x)));
  for (const f of [1, 1.5, 2, 3, 4, 5, 6, 8, 10]) if (f * m >= x) return f * m;
  return 10 * m;
}
