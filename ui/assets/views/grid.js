// views/grid.js — a group's neurons as a cols x rows grid coloured by one
// variable (select box), with a colour bar in the variable's display unit.
// Click selects a neuron, ctrl/meta-click adds (or removes) one.

import { LUT, colorbar, fit, range, fmt, SEL_COLORS } from '../plot.js';

const MAX_W = 206, MAX_H = 230;

export class GridView {
  constructor(parent, group, ui) {
    this.g = group;
    this.ui = ui;
    const box = document.createElement('div');
    box.className = 'gridbox';
    const head = document.createElement('div');
    head.className = 'gridhead';
    head.innerHTML = `<b></b><span class="hint"></span>`;
    head.querySelector('b').textContent = group.name;
    head.querySelector('.hint').textContent = `${group.n} (${group.cols}×${group.rows})`;
    this.sel = document.createElement('select');
    this.sel.title = 'variable shown';
    for (const v of group.vars) {
      const o = document.createElement('option');
      o.value = v.name;
      o.textContent = v.name + (v.unit ? ` (${v.unit})` : '');
      this.sel.append(o);
    }
    if (!group.vars.length) {
      const o = document.createElement('option');
      o.textContent = group.spikes ? 'spikes' : '—';
      o.value = '';
      this.sel.append(o);
    }
    this.sel.onchange = () => { this.lo = this.hi = undefined; ui.sendGrids(); ui.mark('grids'); };
    head.append(this.sel);
    box.append(head);

    const row = document.createElement('div');
    row.className = 'gridrow';
    this.cell = Math.max(1, Math.min(24, Math.floor(MAX_W / group.cols), Math.floor(MAX_H / group.rows)));
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'grid';
    this.canvas.dataset.group = group.name;
    this.canvas.style.width = group.cols * this.cell + 'px';
    this.canvas.style.height = group.rows * this.cell + 'px';
    this.bar = document.createElement('canvas');
    this.bar.style.width = '58px';
    this.bar.style.height = Math.max(60, Math.min(group.rows * this.cell, 160)) + 'px';
    row.append(this.canvas, this.bar);
    box.append(row);
    parent.append(box);
    this.box = box;

    // a cols x rows bitmap, drawn scaled without smoothing
    this.small = document.createElement('canvas');
    this.small.width = group.cols;
    this.small.height = group.rows;
    this.img = this.small.getContext('2d').createImageData(group.cols, group.rows);
    this.px = new Uint32Array(this.img.data.buffer);

    this.canvas.addEventListener('click', (ev) => {
      const k = this.indexAt(ev.offsetX, ev.offsetY);
      if (k >= 0) ui.select(group.name, k, ev.ctrlKey || ev.metaKey || ev.shiftKey);
    });
    this.canvas.addEventListener('mousemove', (ev) => {
      const k = this.indexAt(ev.offsetX, ev.offsetY);
      if (k < 0) { this.canvas.title = ''; return; }
      const v = this.values();
      const info = this.varInfo();
      this.canvas.title = `${group.name}[${k}]` + (v && info ? ` ${info.name} = ${fmt(v[k] * info.scale)} ${info.unit}` : '');
    });
  }

  varInfo() { return this.g.vars.find((v) => v.name === this.sel.value); }

  indexAt(x, y) {
    const c = Math.floor(x / this.cell), r = Math.floor(y / this.cell);
    if (c < 0 || c >= this.g.cols || r < 0 || r >= this.g.rows) return -1;
    const k = r * this.g.cols + c;
    return k < this.g.n ? k : -1;
  }

  // cellCenter gives the page coordinates of neuron k (for tests).
  cellCenter(k) {
    const b = this.canvas.getBoundingClientRect();
    return { x: b.left + ((k % this.g.cols) + 0.5) * this.cell, y: b.top + (Math.floor(k / this.g.cols) + 0.5) * this.cell };
  }

  values() {
    return this.ui.store.gridValues(this.g.name + '/' + this.sel.value, this.ui.viewEnd());
  }

  draw(selection) {
    const { ctx, w, h } = fit(this.canvas, 1);
    const vals = this.values();
    const info = this.varInfo();
    const px = this.px;
    let lo = 0, hi = 1;
    if (vals && info) {
      [lo, hi] = range(vals, info.scale);
      const a = info.scale >= 0 ? lo / info.scale : hi / info.scale;
      const inv = 255 * info.scale / (hi - lo);
      for (let k = 0; k < this.g.n; k++) {
        const t = (vals[k] - a) * inv;
        px[k] = LUT[t > 0 ? (t < 255 ? t | 0 : 255) : 0];
      }
    } else {
      // no variables: a blank grid, spikes of the last 20 ms shown in dark
      px.fill(0xffeeeeee);
      this.recentSpikes(px);
    }
    for (let k = this.g.n; k < px.length; k++) px[k] = 0xffffffff;
    this.small.getContext('2d').putImageData(this.img, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.clearRect(0, 0, w, h);
    ctx.drawImage(this.small, 0, 0, this.g.cols * this.cell, this.g.rows * this.cell);
    // outline the selected cells
    const c = this.cell;
    selection.forEach((s, j) => {
      if (s.group !== this.g.name) return;
      const x = (s.index % this.g.cols) * c, y = Math.floor(s.index / this.g.cols) * c;
      ctx.lineWidth = 2;
      ctx.strokeStyle = '#ffffff';
      ctx.strokeRect(x - 1.5, y - 1.5, c + 3, c + 3);
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = SEL_COLORS[j % SEL_COLORS.length];
      ctx.strokeRect(x - 2.5, y - 2.5, c + 5, c + 5);
    });
    const b = fit(this.bar, window.devicePixelRatio || 1);
    b.ctx.clearRect(0, 0, b.w, b.h);
    if (info) colorbar(b.ctx, { x: 2, y: 4, w: 12, h: b.h - 8 }, lo, hi, info.unit || '1');
  }

  recentSpikes(px) {
    const t = this.ui.store.spikes.get(this.g.name);
    if (!t) return;
    const end = this.ui.viewEnd(), from = end - Math.round(0.02 / this.ui.store.dt);
    const i = t.cols[1];
    for (let k = t.lower(from), e = t.lower(end + 1); k < e; k++) px[i[k]] = 0xff302010;
  }
}
