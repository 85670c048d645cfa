// plot.js — small helpers shared by the views: canvas sizing, axes and
// ticks, number formatting, colour maps.

export const FONT = '10px system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';
export const INK = '#1d2330', MUTED = '#6b7280', GRIDLINE = '#eceef1', SEL = '#e11d48';
// colours of groups (raster, rates) and of selected neurons (traces)
export const GROUP_COLORS = ['#1f4e9c', '#d9480f', '#2b8a3e', '#7048e8', '#0b7285', '#c2255c', '#5c940d', '#e67700'];
export const SEL_COLORS = ['#e11d48', '#059669', '#d97706', '#7c3aed', '#0891b2', '#be185d', '#65a30d', '#92400e'];
export const EVENT_COLORS = { set: '#d97706', on: '#059669', off: '#6b7280', save: '#2563eb', load: '#7c3aed',
  ff: '#ca8a04', run: '#16a34a', pause: '#9ca3af', plan: '#0891b2', error: '#dc2626' };

// fit sizes a canvas's backing store to its CSS box (times devicePixelRatio
// unless dpr is 1) and returns the 2D context scaled to CSS pixels, with
// w and h in CSS pixels.
export function fit(canvas, dpr = window.devicePixelRatio || 1) {
  const w = Math.max(1, Math.floor(canvas.clientWidth)), h = Math.max(1, Math.floor(canvas.clientHeight));
  const bw = Math.round(w * dpr), bh = Math.round(h * dpr);
  if (canvas.width !== bw || canvas.height !== bh) { canvas.width = bw; canvas.height = bh; }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.font = FONT;
  return { ctx, w, h };
}

// nice ticks between lo and hi, about n of them.
export function ticks(lo, hi, n = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n, mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / mag, step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
  const out = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

export function fmt(x) {
  if (!isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a >= 1e5 || a < 1e-3) return x.toExponential(1);
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1).replace(/\.0$/, '');
  return x.toPrecision(3).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

// time formatting for axes: ms under 2 s of span, else s.
export function timeUnit(span) { return span <= 2 ? { unit: 'ms', scale: 1000 } : { unit: 's', scale: 1 }; }
export function fmtTime(t) {
  if (Math.abs(t) < 1) return (t * 1000).toFixed(1) + ' ms';
  return t.toFixed(3) + ' s';
}

// axes draws a frame, y ticks on the left and optional x ticks at the
// bottom of a plot rectangle {x, y, w, h} with data ranges.
export function axes(ctx, r, { xlo, xhi, ylo, yhi, xlabel, ylabel, xs = 1, ys = 1, yticks = 4, xticks = 6, noX = false, logY = false }) {
  ctx.save();
  ctx.strokeStyle = '#c9ced6';
  ctx.lineWidth = 1;
  ctx.strokeRect(r.x + 0.5, r.y + 0.5, r.w, r.h);
  ctx.fillStyle = MUTED;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  if (yhi > ylo) {
    for (const v of ticks(ylo, yhi, yticks)) {
      const y = r.y + r.h - (v - ylo) / (yhi - ylo) * r.h;
      ctx.strokeStyle = GRIDLINE;
      ctx.beginPath(); ctx.moveTo(r.x + 1, Math.round(y) + 0.5); ctx.lineTo(r.x + r.w, Math.round(y) + 0.5); ctx.stroke();
      ctx.fillText(logY ? '1e' + fmt(v) : fmt(v * ys), r.x - 3, y);
    }
  }
  if (!noX && xhi > xlo) {
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const v of ticks(xlo, xhi, xticks)) {
      const x = r.x + (v - xlo) / (xhi - xlo) * r.w;
      ctx.fillRect(Math.round(x), r.y + r.h, 1, 3);
      ctx.fillText(fmt(v * xs), x, r.y + r.h + 4);
    }
  }
  if (xlabel) { ctx.textAlign = 'right'; ctx.textBaseline = 'top'; ctx.fillText(xlabel, r.x + r.w, r.y + r.h + 14); }
  if (ylabel) {
    ctx.translate(r.x - 30, r.y + r.h / 2); ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center'; ctx.textBaseline = 'bottom'; ctx.fillText(ylabel, 0, 0);
  }
  ctx.restore();
}

// viridis-like colour map as 256 packed ABGR uint32 (for ImageData views
// on little-endian machines) and CSS strings.
function viridis(t) {
  // polynomial fit of matplotlib's viridis (public domain coefficients)
  const c0 = [0.2777, 0.0054, 0.3341], c1 = [0.1051, 1.4046, 1.3846], c2 = [-0.3309, 0.2148, 0.0951],
    c3 = [-4.6342, -5.7991, -19.3324], c4 = [6.2283, 14.1799, 56.6906], c5 = [4.7764, -13.7451, -65.3530], c6 = [-5.4355, 4.6459, 26.3124];
  return [0, 1, 2].map((k) => Math.max(0, Math.min(1, c0[k] + t * (c1[k] + t * (c2[k] + t * (c3[k] + t * (c4[k] + t * (c5[k] + t * c6[k]))))))));
}
export const LUT = new Uint32Array(256);
export const LUT_CSS = [];
for (let k = 0; k < 256; k++) {
  const [r, g, b] = viridis(k / 255).map((x) => Math.round(x * 255));
  LUT[k] = (255 << 24 | b << 16 | g << 8 | r) >>> 0;
  LUT_CSS.push(`rgb(${r},${g},${b})`);
}
export function rgba32(hex, a = 255) {
  const n = parseInt(hex.slice(1), 16);
  return ((a << 24) | ((n & 255) << 16) | (((n >> 8) & 255) << 8) | (n >> 16)) >>> 0;
}

// colorbar draws a vertical colour bar at {x, y, w, h} labelled lo..hi unit.
export function colorbar(ctx, r, lo, hi, unit) {
  for (let k = 0; k < r.h; k++) {
    ctx.fillStyle = LUT_CSS[Math.round((1 - k / Math.max(1, r.h - 1)) * 255)];
    ctx.fillRect(r.x, r.y + k, r.w, 1);
  }
  ctx.strokeStyle = '#c9ced6';
  ctx.strokeRect(r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1);
  ctx.fillStyle = INK;
  ctx.font = FONT;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillText(fmt(hi), r.x + r.w + 3, r.y);
  ctx.textBaseline = 'bottom';
  ctx.fillText(fmt(lo), r.x + r.w + 3, r.y + r.h);
  ctx.textBaseline = 'middle';
  ctx.fillStyle = MUTED;
  ctx.fillText(unit || '1', r.x + r.w + 3, r.y + r.h / 2);
}

// range returns [lo, hi] of finite values (NaN skipped), widened when flat.
export function range(a, scale = 1) {
  let lo = Infinity, hi = -Infinity;
  for (let k = 0; k < a.length; k++) { const x = a[k]; if (x < lo) lo = x; if (x > hi) hi = x; }
  if (!(hi >= lo)) return [0, 1];
  lo *= scale; hi *= scale;
  if (lo > hi) [lo, hi] = [hi, lo];
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) { const d = Math.abs(hi) * 0.05 || 1; lo -= d; hi += d; }
  return [lo, hi];
}

// timeAxis returns how to label absolute times (seconds) over a window of
// span seconds: a scale, a unit and a formatter with enough decimals.
export function timeAxis(lo, hi) {
  const span = hi - lo;
  const u = span <= 2 ? { unit: 'ms', scale: 1000 } : { unit: 's', scale: 1 };
  const tk = ticks(lo * u.scale, hi * u.scale, 6);
  const step = tk.length > 1 ? tk[1] - tk[0] : 1;
  const dec = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return { ...u, ticks: tk.map((v) => v / u.scale), label: (t) => (t * u.scale).toFixed(dec) };
}

// xAxis draws time ticks under a plot rectangle.
export function xAxis(ctx, r, lo, hi, labels = true) {
  const ax = timeAxis(lo, hi);
  ctx.save();
  ctx.fillStyle = MUTED;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of ax.ticks) {
    const x = Math.round(r.x + (t - lo) / (hi - lo) * r.w);
    ctx.fillRect(x, r.y + r.h, 1, 3);
    if (labels) ctx.fillText(ax.label(t), x, r.y + r.h + 4);
  }
  if (labels) { ctx.textAlign = 'right'; ctx.fillText(ax.unit, r.x + r.w + 6, r.y + r.h + 4 + 0); }
  ctx.restore();
  return ax;
}
