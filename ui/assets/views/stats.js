// views/stats.js — over the visible window, for one group: the ISI
// histogram (log-spaced bins), the firing-rate histogram over neurons
// (whole group in grey, selected neurons in red) and the power spectrum
// of the population rate (1 ms bins, Hann window, radix-2 FFT).

import { fit, axes, fmt, MUTED, INK, SEL } from '../plot.js';
import { niceMax } from './raster.js';

export class StatsView {
  constructor(isi, rate, spec, groupSelect, ui) {
    this.isi = isi; this.rate = rate; this.spec = spec;
    this.groupSelect = groupSelect;
    this.ui = ui;
    groupSelect.onchange = () => { ui.mark('stats'); };
  }

  configure(hello) {
    const old = this.groupSelect.value;
    this.groupSelect.innerHTML = '';
    for (const g of hello.groups) if (g.spikes) this.groupSelect.append(new Option(g.name, g.name));
    if ([...this.groupSelect.options].some((o) => o.value === old)) this.groupSelect.value = old;
  }

  draw() {
    const ui = this.ui, store = ui.store, hello = ui.hello;
    if (!hello) return;
    const g = hello.groups.find((x) => x.name === this.groupSelect.value);
    // the part of the window that holds data
    const end = ui.viewEnd(), s0 = Math.max(end - ui.windowSteps(), Math.min(end - 1, store.first ?? 0)), W = end - s0;
    const dt = store.dt, winSec = W * dt;
    const nISI = 40, isiLo = Math.max(dt, 1e-3), isiHi = Math.max(isiLo * 10, winSec);
    const lisi = Math.log(isiLo), isiScale = nISI / (Math.log(isiHi) - lisi);
    const isiAll = new Float64Array(nISI), isiSel = new Float64Array(nISI);
    const binSteps = Math.max(1, Math.round(1e-3 / dt));
    const nb = Math.max(1, Math.floor(W / binSteps));
    const pop = new Float64Array(nb);
    let counts = null;
    const selIdx = ui.selection.filter((s) => g && s.group === g.name).map((s) => s.index);
    if (g) {
      const n = g.n;
      counts = new Int32Array(n);
      const last = new Int32Array(n).fill(-1 << 30);
      const flags = new Uint8Array(n);
      for (const k of selIdx) if (k < n) flags[k] = 1;
      const t = store.spikes.get(g.name);
      if (t) {
        const S = t.cols[0], I = t.cols[1];
        for (let k = t.lower(s0), k1 = t.lower(end); k < k1; k++) {
          const i = I[k], s = S[k];
          counts[i]++;
          const b = ((s - s0) / binSteps) | 0;
          if (b < nb) pop[b]++;
          if (last[i] > -1 << 29) {
            const isi = (s - last[i]) * dt;
            const j = Math.floor((Math.log(isi) - lisi) * isiScale);
            if (j >= 0 && j < nISI) { isiAll[j]++; if (flags[i]) isiSel[j]++; }
          }
          last[i] = s;
        }
      }
    }
    this.drawISI(isiAll, isiSel, isiLo, isiHi, selIdx.length > 0);
    this.drawRates(counts, selIdx, winSec);
    this.drawSpectrum(pop, binSteps * dt, g ? g.n : 1);
  }

  drawISI(all, sel, lo, hi, hasSel) {
    const { ctx, w, h } = fit(this.isi);
    ctx.clearRect(0, 0, w, h);
    const r = { x: 30, y: 14, w: w - 38, h: h - 38 };
    title(ctx, 'ISI distribution', w);
    bars(ctx, r, all, '#a7afba');
    if (hasSel) steps(ctx, r, sel, SEL);
    // log time axis: 1, 10, 100 ms ...
    ctx.strokeStyle = '#c9ced6';
    ctx.strokeRect(r.x + 0.5, r.y + 0.5, r.w, r.h);
    ctx.fillStyle = MUTED; ctx.textAlign = 'center'; ctx.textBaseline = 'top';
    for (let e = Math.ceil(Math.log10(lo)); e <= Math.floor(Math.log10(hi)); e++) {
      const x = r.x + (e - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) * r.w;
      ctx.fillRect(Math.round(x), r.y + r.h, 1, 3);
      ctx.fillText(fmt(Math.pow(10, e) * 1000), x, r.y + r.h + 4);
    }
    ctx.textAlign = 'right';
    ctx.fillText('ISI (ms, log)', r.x + r.w, r.y + r.h + 14);
    const n = all.reduce((a, b) => a + b, 0);
    ctx.textAlign = 'left'; ctx.fillText(`${n} intervals`, r.x + 2, r.y + 2);
  }

  drawRates(counts, selIdx, winSec) {
    const { ctx, w, h } = fit(this.rate);
    ctx.clearRect(0, 0, w, h);
    const r = { x: 30, y: 14, w: w - 38, h: h - 38 };
    title(ctx, 'firing rates over neurons', w);
    if (!counts || !counts.length) return;
    let max = 0;
    for (let k = 0; k < counts.length; k++) if (counts[k] > max) max = counts[k];
    const hiHz = niceMax(Math.max(1, max / winSec) * 1.02);
    const nb = 30;
    const hist = new Float64Array(nb);
    let sum = 0;
    for (let k = 0; k < counts.length; k++) {
      const hz = counts[k] / winSec;
      sum += hz;
      hist[Math.min(nb - 1, Math.floor(hz / hiHz * nb))]++;
    }
    bars(ctx, r, hist, '#a7afba');
    axes(ctx, r, { xlo: 0, xhi: hiHz, ylo: 0, yhi: 0, xticks: 4 });
    ctx.fillStyle = MUTED; ctx.textAlign = 'right'; ctx.textBaseline = 'top';
    ctx.fillText('rate (Hz)', r.x + r.w, r.y + r.h + 14);
    ctx.textAlign = 'right';
    ctx.fillText(`mean ${fmt(sum / counts.length)} Hz`, r.x + r.w - 2, r.y + 2);
    ctx.strokeStyle = SEL; ctx.fillStyle = SEL; ctx.lineWidth = 1.5;
    selIdx.slice(0, 8).forEach((k, j) => {
      const hz = (counts[k] || 0) / winSec;
      const x = Math.round(r.x + hz / hiHz * r.w) + 0.5;
      ctx.beginPath(); ctx.moveTo(x, r.y + 12); ctx.lineTo(x, r.y + r.h); ctx.stroke();
      if (j < 3) { ctx.textAlign = x > r.x + r.w * 0.7 ? 'right' : 'left'; ctx.fillText(`[${k}] ${fmt(hz)}`, x + (x > r.x + r.w * 0.7 ? -3 : 3), r.y + 14 + j * 11); }
    });
  }

  drawSpectrum(pop, binSec, n) {
    const { ctx, w, h } = fit(this.spec);
    ctx.clearRect(0, 0, w, h);
    const r = { x: 34, y: 14, w: w - 42, h: h - 38 };
    title(ctx, 'power spectrum of the population rate', w);
    if (pop.length < 16) { ctx.fillStyle = MUTED; ctx.fillText('window too short', r.x, r.y + 20); return; }
    const { freqs, power } = spectrum(pop, binSec, n);
    let pmax = -Infinity, pmin = Infinity, peak = 0;
    const logp = power.map((p) => Math.log10(p + 1e-12));
    for (let k = 1; k < logp.length; k++) {
      if (logp[k] > pmax && freqs[k] >= 2) { pmax = logp[k]; peak = k; }
      if (logp[k] < pmin) pmin = logp[k];
    }
    if (!(pmax > pmin)) { pmin = pmax - 1; }
    const ylo = Math.floor(Math.max(pmin, pmax - 6)), yhi = Math.ceil(pmax + 0.1);
    const fmax = freqs[freqs.length - 1];
    axes(ctx, r, { xlo: 0, xhi: fmax, ylo, yhi, yticks: 3, xticks: 4, logY: true });
    ctx.save();
    ctx.beginPath(); ctx.rect(r.x, r.y, r.w, r.h); ctx.clip();
    ctx.strokeStyle = '#1f4e9c'; ctx.lineWidth = 1;
    ctx.beginPath();
    for (let k = 1; k < freqs.length; k++) {
      const x = r.x + freqs[k] / fmax * r.w, y = r.y + r.h - (logp[k] - ylo) / (yhi - ylo) * r.h;
      if (k === 1) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    }
    ctx.stroke();
    ctx.restore();
    ctx.fillStyle = MUTED; ctx.textAlign = 'right'; ctx.textBaseline = 'top';
    ctx.fillText('frequency (Hz)', r.x + r.w, r.y + r.h + 14);
    ctx.fillStyle = INK; ctx.textAlign = 'right';
    ctx.fillText(`peak ${fmt(freqs[peak])} Hz`, r.x + r.w - 3, r.y + 2);
  }
}

function title(ctx, text, w) {
  ctx.fillStyle = INK; ctx.textAlign = 'left'; ctx.textBaseline = 'top';
  ctx.fillText(text, 2, 0, w - 4);
}

// bars draws a histogram normalised to its largest bin.
function bars(ctx, r, h, color) {
  let max = 0;
  for (const c of h) max = Math.max(max, c);
  if (!max) return;
  const bw = r.w / h.length;
  ctx.fillStyle = color;
  h.forEach((c, k) => { if (c) ctx.fillRect(r.x + k * bw, r.y + r.h * (1 - c / max), Math.max(1, bw - 1), r.h * c / max); });
}

// steps outlines a histogram normalised to its largest bin.
function steps(ctx, r, h, color) {
  let max = 0;
  for (const c of h) max = Math.max(max, c);
  if (!max) return;
  const bw = r.w / h.length;
  ctx.strokeStyle = color; ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(r.x, r.y + r.h);
  h.forEach((c, k) => { const y = r.y + r.h * (1 - c / max); ctx.lineTo(r.x + k * bw, y); ctx.lineTo(r.x + (k + 1) * bw, y); });
  ctx.lineTo(r.x + r.w, r.y + r.h);
  ctx.stroke();
}

// spectrum returns the one-sided power spectrum (Hz^2/Hz) of a population
// rate given as spike counts per bin of binSec seconds over n neurons.
export function spectrum(counts, binSec, n) {
  let N = 1;
  while (N < counts.length) N <<= 1;
  const re = new Float64Array(N), im = new Float64Array(N);
  let mean = 0;
  for (const c of counts) mean += c;
  mean /= counts.length;
  const M = counts.length;
  let wss = 0;
  for (let k = 0; k < M; k++) {
    const wk = 0.5 - 0.5 * Math.cos(2 * Math.PI * k / (M - 1));
    re[k] = (counts[k] - mean) / (n * binSec) * wk;
    wss += wk * wk;
  }
  fft(re, im);
  const half = N / 2;
  const freqs = new Float64Array(half + 1), power = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) {
    freqs[k] = k / (N * binSec);
    power[k] = (re[k] * re[k] + im[k] * im[k]) * binSec / wss * (k > 0 && k < half ? 2 : 1);
  }
  return { freqs, power };
}

// fft is an in-place iterative radix-2 Cooley-Tukey transform.
export function fft(re, im) {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) { [re[i], re[j]] = [re[j], re[i]]; [im[i], im[j]] = [im[j], im[i]]; }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = -2 * Math.PI / len, wr = Math.cos(ang), wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1, ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k, b = a + len / 2;
        const xr = re[b] * cr - im[b] * ci, xi = re[b] * ci + im[b] * cr;
        re[b] = re[a] - xr; im[b] = im[a] - xi;
        re[a] += xr; im[a] += xi;
        const t = cr * wr - ci * wi; ci = cr * wi + ci * wr; cr = t;
      }
    }
  }
}
