// views/weights.js — for the primary selected neuron, its afferent weights
// (weights/S/VAR/in/K) on the source group's grid and its efferent ones
// (out) on the target group's grid; and each synapses object's weight
// histogram (hist/S/VAR). NaN (no synapse) is drawn light grey.

import { fit, LUT, colorbar, range, fmt, MUTED, INK, SEL } from '../plot.js';

const NOSYN = 0xfff1efee;
const MAP_H = 92, MAP_W = 130;

export class WeightsView {
  constructor(mapsEl, histsEl, infoEl, ui) {
    this.mapsEl = mapsEl;
    this.histsEl = histsEl;
    this.infoEl = infoEl;
    this.ui = ui;
    this.maps = new Map();  // id -> {box, canvas, label}
    this.hists = new Map(); // key -> {box, canvas}
  }

  mapBox(id) {
    let m = this.maps.get(id);
    if (m) return m;
    const box = document.createElement('div');
    box.className = 'wmap';
    const label = document.createElement('div');
    const canvas = document.createElement('canvas');
    box.append(label, canvas);
    this.mapsEl.append(box);
    m = { box, canvas, label };
    this.maps.set(id, m);
    return m;
  }

  draw() {
    const ui = this.ui, hello = ui.hello, store = ui.store;
    if (!hello) return;
    const p = ui.selection[0];
    const want = new Set();
    if (!p) this.infoEl.textContent = 'select a neuron to see its afferent and efferent weights';
    else this.infoEl.textContent = `of ${p.group}[${p.index}] · in: onto it, on the source grid · out: from it, on the target grid`;
    if (p) {
      for (const s of hello.synapses || []) {
        for (const v of s.vars) {
          for (const dir of ['in', 'out']) {
            if ((dir === 'in' ? s.target : s.source) !== p.group) continue;
            const key = `${s.name}/${v.name}/${dir}/${p.index}`;
            const data = store.weights.get(key);
            const grid = hello.groups.find((g) => g.name === (dir === 'in' ? s.source : s.target));
            if (!grid) continue;
            const id = `${s.name}/${v.name}/${dir}`;
            want.add(id);
            const m = this.mapBox(id);
            m.label.textContent = dir === 'in' ? `${s.name}.${v.name}: ${s.source} → ${p.group}[${p.index}]` : `${s.name}.${v.name}: ${p.group}[${p.index}] → ${s.target}`;
            this.drawMap(m, grid, data, v, dir === 'in' && s.source === p.group || dir === 'out' && s.target === p.group ? p.index : -1);
          }
        }
      }
    }
    for (const [id, m] of this.maps) if (!want.has(id)) { m.box.remove(); this.maps.delete(id); }
    this.drawHists();
  }

  drawMap(m, grid, data, v, mark) {
    const scale = Math.min(MAP_W / grid.cols, MAP_H / grid.rows, 8);
    const mw = Math.max(1, Math.round(grid.cols * scale)), mh = Math.max(1, Math.round(grid.rows * scale));
    m.canvas.style.width = mw + 52 + 'px';
    m.canvas.style.height = Math.max(mh, 40) + 'px';
    const { ctx, w, h } = fit(m.canvas);
    ctx.clearRect(0, 0, w, h);
    if (!m.small || m.small.width !== grid.cols || m.small.height !== grid.rows) {
      m.small = document.createElement('canvas');
      m.small.width = grid.cols; m.small.height = grid.rows;
      m.img = m.small.getContext('2d').createImageData(grid.cols, grid.rows);
      m.px = new Uint32Array(m.img.data.buffer);
    }
    const px = m.px;
    px.fill(0xffffffff);
    let lo = 0, hi = 1, count = 0;
    if (data) {
      [lo, hi] = range(data, v.scale);
      const inv = 255 / (hi - lo);
      for (let k = 0; k < grid.n && k < data.length; k++) {
        const x = data[k];
        if (x !== x) { px[k] = NOSYN; continue; }
        count++;
        const t = (x * v.scale - lo) * inv;
        px[k] = LUT[t > 0 ? (t < 255 ? t | 0 : 255) : 0];
      }
    } else {
      px.fill(NOSYN, 0, grid.n);
    }
    m.small.getContext('2d').putImageData(m.img, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(m.small, 0, 0, mw, mh);
    if (mark >= 0) {
      ctx.strokeStyle = SEL;
      const cx = (mark % grid.cols) * scale, cy = Math.floor(mark / grid.cols) * scale;
      ctx.strokeRect(cx - 1.5, cy - 1.5, scale + 3, scale + 3);
    }
    if (data && count) colorbar(ctx, { x: mw + 4, y: 0, w: 9, h: Math.max(mh, 40) }, lo, hi, v.unit);
    else { ctx.fillStyle = MUTED; ctx.textBaseline = 'top'; ctx.textAlign = 'left'; ctx.fillText(data ? 'none' : '…', mw + 4, 2); }
    m.label.title = data ? `${count} synapses` : 'waiting for data';
  }

  drawHists() {
    const ui = this.ui, hello = ui.hello, store = ui.store;
    const seen = new Set();
    for (const s of hello.synapses || []) {
      for (const v of s.vars) {
        const key = `${s.name}/${v.name}`;
        seen.add(key);
        let e = this.hists.get(key);
        if (!e) {
          const box = document.createElement('div');
          box.className = 'whist';
          const canvas = document.createElement('canvas');
          canvas.style.width = '200px';
          canvas.style.height = '60px';
          box.append(canvas);
          this.histsEl.append(box);
          e = { box, canvas };
          this.hists.set(key, e);
        }
        const hg = store.hists.get(key);
        const { ctx, w, h } = fit(e.canvas);
        ctx.clearRect(0, 0, w, h);
        const r = { x: 4, y: 12, w: w - 8, h: h - 26 };
        ctx.fillStyle = INK;
        ctx.textBaseline = 'top';
        ctx.textAlign = 'left';
        ctx.fillText(`${s.name}.${v.name} histogram (${s.n} synapses)`, 2, 0);
        if (!hg) continue;
        let max = 1;
        for (const c of hg.counts) max = Math.max(max, c);
        const bw = r.w / hg.counts.length;
        ctx.fillStyle = '#5b7bb5';
        hg.counts.forEach((c, k) => {
          const bh = c / max * r.h;
          if (c > 0) ctx.fillRect(r.x + k * bw, r.y + r.h - Math.max(1, bh), Math.max(1, bw - 0.5), Math.max(1, bh));
        });
        ctx.fillStyle = '#c9ced6';
        ctx.fillRect(r.x, r.y + r.h, r.w, 1);
        ctx.fillStyle = MUTED;
        ctx.textAlign = 'left';
        ctx.fillText(fmt(hg.lo * v.scale), r.x, r.y + r.h + 2);
        ctx.textAlign = 'right';
        ctx.fillText(fmt(hg.hi * v.scale) + ' ' + v.unit, r.x + r.w, r.y + r.h + 2);
      }
    }
    for (const [key, e] of this.hists) if (!seen.has(key)) { e.box.remove(); this.hists.delete(key); }
  }
}
