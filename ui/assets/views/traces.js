// views/traces.js — the selected neurons' variables (solid, one colour per
// selected neuron) and each group's mean (dashed), one subplot per
// variable, in display units, over the visible window.

import { fit, axes, xAxis, fmt, SEL_COLORS, GROUP_COLORS, MUTED } from '../plot.js';

const L = 50, R = 10;

export class TracesView {
  constructor(canvas, varSelect, ui) {
    this.canvas = canvas;
    this.varSelect = varSelect;
    this.ui = ui;
    this.drawn = [];
    varSelect.onchange = () => { ui.mark('traces'); };
  }

  // configure fills the variable choice from hello.
  configure(hello) {
    const names = [];
    for (const g of hello.groups) for (const v of g.vars) if (!names.includes(v.name)) names.push(v.name);
    this.names = names;
    const old = this.varSelect.value;
    this.varSelect.innerHTML = '';
    const all = new Option('all variables', '');
    this.varSelect.append(all);
    for (const n of names) this.varSelect.append(new Option(n, n));
    if (names.includes(old)) this.varSelect.value = old;
  }

  draw() {
    const ui = this.ui, store = ui.store, hello = ui.hello;
    const { ctx, w, h } = fit(this.canvas);
    ctx.clearRect(0, 0, w, h);
    this.drawn = [];
    if (!hello) return;
    const chosen = this.varSelect.value;
    const names = (this.names || []).filter((n) => !chosen || n === chosen);
    if (!names.length) {
      ctx.fillStyle = MUTED;
      ctx.fillText('no variables to trace', L, 20);
      return;
    }
    const end = ui.viewEnd(), W = ui.windowSteps(), s0 = end - W;
    const t0 = s0 * store.dt, t1 = end * store.dt;
    const gap = 6, bottom = 16;
    const ph = (h - bottom - gap * (names.length - 1) - 4) / names.length;
    names.forEach((name, j) => {
      const r = { x: L, y: 4 + j * (ph + gap), w: Math.max(10, w - L - R), h: Math.max(8, ph) };
      // the series of this variable: selected neurons, then group means
      const series = [];
      let unit = '', scale = 1;
      ui.selection.forEach((s, k) => {
        const g = hello.groups.find((x) => x.name === s.group);
        const v = g && g.vars.find((x) => x.name === name);
        if (!v) return;
        unit = v.unit; scale = v.scale;
        series.push({ key: `${s.group}/${name}/${s.index}`, color: SEL_COLORS[k % SEL_COLORS.length], dash: false, scale, every: 1, label: `${s.group}[${s.index}]` });
      });
      hello.groups.forEach((g, k) => {
        const v = g.vars.find((x) => x.name === name);
        if (!v) return;
        unit = v.unit; scale = v.scale;
        series.push({ key: `${g.name}/${name}/mean`, color: GROUP_COLORS[k % GROUP_COLORS.length], dash: true, scale, every: store.meanEvery, label: `${g.name} mean` });
      });
      let lo = Infinity, hi = -Infinity;
      for (const s of series) {
        const t = store.traces.get(s.key);
        if (!t) continue;
        const k0 = t.lower(s0), k1 = t.lower(end + 1), v = t.cols[1];
        s.k0 = k0; s.k1 = k1; s.t = t;
        for (let k = k0; k < k1; k++) { const x = v[k] * s.scale; if (x < lo) lo = x; if (x > hi) hi = x; }
      }
      if (!(hi >= lo)) { lo = 0; hi = 1; }
      if (hi - lo < 1e-9 * Math.max(1, Math.abs(hi))) { lo -= 0.5; hi += 0.5; }
      const pad = (hi - lo) * 0.06;
      lo -= pad; hi += pad;
      axes(ctx, r, { xlo: t0, xhi: t1, ylo: lo, yhi: hi, yticks: Math.max(2, Math.min(4, Math.floor(r.h / 22))), noX: true });
      xAxis(ctx, r, t0, t1, j === names.length - 1);
      ctx.save();
      ctx.beginPath(); ctx.rect(r.x, r.y, r.w, r.h); ctx.clip();
      for (const s of series) {
        if (!s.t || s.k1 <= s.k0) continue;
        this.drawn.push(s.key);
        this.line(ctx, r, s, s0, W, lo, hi);
      }
      ctx.restore();
      this.ui.raster.drawEvents(ctx, r, s0, end, false);
      ctx.fillStyle = MUTED;
      ctx.save(); ctx.translate(12, r.y + r.h / 2); ctx.rotate(-Math.PI / 2); ctx.textAlign = 'center';
      ctx.fillText(`${name}${unit ? ' (' + unit + ')' : ''}`, 0, 0); ctx.restore();
      // legend, over the first subplot
      if (j > 0) return;
      const shown = series.filter((s) => s.t && s.k1 > s.k0);
      let width = 4;
      for (const s of shown) width += ctx.measureText(s.label).width + 8;
      ctx.fillStyle = 'rgba(255,255,255,0.85)';
      ctx.fillRect(r.x + r.w - width - 2, r.y + 1, width + 1, 13);
      ctx.textAlign = 'right'; ctx.textBaseline = 'top';
      let x = r.x + r.w - 4;
      for (const s of shown.reverse()) {
        ctx.fillStyle = s.color;
        ctx.fillText(s.label, x, r.y + 2);
        x -= ctx.measureText(s.label).width + 8;
      }
    });
  }

  // line draws one series; with more points than pixels it draws each
  // pixel column's extremes, so the cost follows the width.
  line(ctx, r, s, s0, W, lo, hi) {
    const S = s.t.cols[0], V = s.t.cols[1];
    const xs = r.w / W, ys = r.h / (hi - lo), base = r.y + r.h;
    ctx.strokeStyle = s.color;
    ctx.lineWidth = s.dash ? 1 : 1.3;
    ctx.setLineDash(s.dash ? [4, 3] : []);
    ctx.beginPath();
    const n = s.k1 - s.k0;
    const gap = 3 * s.every;
    if (n <= 2 * r.w) {
      let prev = -Infinity;
      for (let k = s.k0; k < s.k1; k++) {
        const x = r.x + (S[k] - s0) * xs, y = base - (V[k] * s.scale - lo) * ys;
        if (S[k] - prev > gap) ctx.moveTo(x, y); else ctx.lineTo(x, y);
        prev = S[k];
      }
    } else {
      let col = -1, mn = 0, mx = 0, first = true;
      for (let k = s.k0; k <= s.k1; k++) {
        const c = k < s.k1 ? ((S[k] - s0) * xs) | 0 : -2;
        if (c !== col) {
          if (col >= 0) {
            const x = r.x + col + 0.5;
            if (first) { ctx.moveTo(x, base - (mn - lo) * ys); first = false; } else ctx.lineTo(x, base - (mn - lo) * ys);
            ctx.lineTo(x, base - (mx - lo) * ys);
          }
          if (k === s.k1) break;
          col = c;
          mn = mx = V[k] * s.scale;
        } else {
          const v = V[k] * s.scale;
          if (v < mn) mn = v; if (v > mx) mx = v;
        }
      }
    }
    ctx.stroke();
    ctx.setLineDash([]);
  }
}
export { fmt };
