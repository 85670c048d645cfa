// views/panels.js — the DOM panels: parameters (editable, errors shown
// next to the field), behaviours/objects on/off, saves, and the event list
// and timeline.

import { fit, fmtTime, EVENT_COLORS, MUTED } from '../plot.js';

export class ParamsPanel {
  constructor(listEl, freeForm, freeInput, freeMsg, ui) {
    this.listEl = listEl;
    this.ui = ui;
    this.rows = new Map(); // id -> {tr, input, err, param}
    this.table = document.createElement('table');
    listEl.append(this.table);
    freeForm.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const text = freeInput.value;
      const eq = text.indexOf('=');
      if (eq < 0) { freeMsg.className = 'msg err'; freeMsg.textContent = 'write GROUP.var = expression'; return; }
      const target = text.slice(0, eq).trim(), value = text.slice(eq + 1).trim();
      freeMsg.className = 'msg'; freeMsg.textContent = '…';
      const res = await ui.conn.send('set', { target, value });
      if (res.ok) { freeMsg.className = 'msg ok'; freeMsg.textContent = '✓ ' + (res.message || `${target} = ${value}`); } else { freeMsg.className = 'msg err'; freeMsg.textContent = res.error; ui.noteError(res.error); }
    });
  }

  update(params) {
    const seen = new Set();
    let lastScope = null;
    const frag = [];
    for (const p of params) {
      seen.add(p.id);
      let row = this.rows.get(p.id);
      if (!row) row = this.makeRow(p);
      row.param = p;
      row.tr.querySelector('.unit').textContent = p.unit || '';
      row.tr.querySelector('.scope').textContent = p.scope === 'constant' ? 'const' : p.group + (p.varies ? ' (mean)' : '');
      if (document.activeElement !== row.input || !row.edited) { row.input.value = p.value; row.edited = false; }
      row.input.disabled = !p.editable;
      row.btn.disabled = !p.editable;
      frag.push(row.tr);
      lastScope = p.scope;
    }
    for (const [id, row] of this.rows) if (!seen.has(id)) { row.tr.remove(); this.rows.delete(id); }
    this.table.replaceChildren(...frag);
    void lastScope;
  }

  makeRow(p) {
    const tr = document.createElement('tr');
    tr.dataset.id = p.id;
    tr.innerHTML = '<td class="name"></td><td class="scope"></td><td class="val"><input type="text" spellcheck="false"></td><td class="unit"></td><td><button>set</button></td><td class="perr"></td>';
    tr.querySelector('.name').textContent = p.name;
    const input = tr.querySelector('input');
    input.dataset.param = p.id;
    const btn = tr.querySelector('button');
    const err = tr.querySelector('.perr');
    const row = { tr, input, btn, err, param: p, edited: false };
    input.addEventListener('input', () => { row.edited = true; });
    input.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); this.submit(row); } if (ev.key === 'Escape') { input.value = row.param.value; row.edited = false; } });
    btn.addEventListener('click', () => this.submit(row));
    this.rows.set(p.id, row);
    return row;
  }

  async submit(row) {
    const old = row.param.value, value = row.input.value;
    row.err.className = 'perr';
    row.err.textContent = '…';
    const res = await this.ui.conn.send('set', { target: row.param.id, value });
    row.edited = false;
    if (res.ok) {
      row.err.className = 'perr ok';
      row.err.textContent = '✓ ' + (this.rows.get(row.param.id)?.param.value ?? value);
      row.tr.classList.add('flash');
      setTimeout(() => row.tr.classList.remove('flash'), 800);
      // the params message before the result brought the new value
      row.input.value = row.param.value;
      void old;
    } else {
      row.err.className = 'perr err';
      row.err.textContent = res.error || 'error';
      row.input.value = row.param.value;
      this.ui.noteError(res.error);
    }
  }
}

export class ModulesPanel {
  constructor(el, ui) { this.el = el; this.ui = ui; }
  update(modules) {
    this.el.replaceChildren();
    for (const m of modules) {
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = m.active;
      box.dataset.module = m.id;
      const name = document.createElement('span');
      name.textContent = m.name;
      const kind = document.createElement('span');
      kind.className = 'kind';
      kind.textContent = m.kind + (m.owner ? ' · ' + m.owner : '');
      label.title = m.id;
      label.append(box, name, kind);
      box.addEventListener('change', async () => {
        const res = await this.ui.conn.send('active', { module: m.id, active: box.checked });
        if (!res.ok) { box.checked = !box.checked; kind.textContent = res.error; kind.classList.add('err'); this.ui.noteError(res.error); }
      });
      this.el.append(label);
    }
    if (!modules.length) this.el.innerHTML = '<span class="hint">none</span>';
  }
}

export class SavesPanel {
  constructor(nameEl, listEl, msgEl, ui) {
    this.nameEl = nameEl; this.listEl = listEl; this.msgEl = msgEl; this.ui = ui;
    this.saves = [];
  }
  update(saves) {
    this.saves = saves || [];
    this.listEl.replaceChildren();
    for (const s of this.saves) {
      const c = document.createElement('span');
      c.className = 'chip';
      c.textContent = s;
      c.title = 'click: put the name in the field; double-click: load';
      c.onclick = () => { this.nameEl.value = s; };
      c.ondblclick = () => { this.nameEl.value = s; this.ui.load(s); };
      this.listEl.append(c);
    }
    if (!this.saves.length) this.listEl.innerHTML = '<span class="hint">no saved states yet</span>';
  }
  show(res) {
    this.msgEl.className = 'msg ' + (res.ok ? 'ok' : 'err');
    this.msgEl.textContent = res.ok ? res.message || 'ok' : res.error;
  }
}

export class EventsPanel {
  constructor(listEl, timeline, ui) {
    this.listEl = listEl; this.timeline = timeline; this.ui = ui;
    this.shown = 0;
    timeline.addEventListener('click', (ev) => {
      const r = this.rect;
      if (!r) return;
      const { lo, hi } = this.span();
      ui.scrubTo(Math.round(lo + (ev.offsetX - r.x) / r.w * (hi - lo)));
    });
  }
  span() {
    const s = this.ui.store;
    return { lo: s.first ?? 0, hi: Math.max(s.now, (s.first ?? 0) + 1) };
  }
  // list rebuilds the list, newest first.
  list() {
    const ev = this.ui.store.events;
    const frag = document.createDocumentFragment();
    for (let k = ev.length - 1; k >= 0 && k >= ev.length - 300; k--) {
      const e = ev[k];
      const d = document.createElement('div');
      d.innerHTML = '<span class="t"></span><span class="k"></span><span class="x"></span>';
      d.querySelector('.t').textContent = fmtTime(e.t);
      const kk = d.querySelector('.k');
      kk.textContent = e.kind;
      kk.style.color = EVENT_COLORS[e.kind] || '';
      d.querySelector('.x').textContent = e.text;
      d.title = `step ${e.step}: ${e.text}`;
      d.onclick = () => this.ui.scrubTo(e.step + Math.round(this.ui.windowSteps() / 2));
      frag.append(d);
    }
    this.listEl.replaceChildren(frag);
  }
  draw() {
    const ui = this.ui;
    const { ctx, w, h } = fit(this.timeline);
    ctx.clearRect(0, 0, w, h);
    const r = { x: 50, y: 3, w: w - 60, h: h - 8 };
    this.rect = r;
    const { lo, hi } = this.span();
    ctx.fillStyle = '#f3f4f6';
    ctx.fillRect(r.x, r.y, r.w, r.h);
    // the visible window
    const end = ui.viewEnd(), s0 = end - ui.windowSteps();
    const x0 = r.x + Math.max(0, (s0 - lo) / (hi - lo)) * r.w, x1 = r.x + Math.min(1, (end - lo) / (hi - lo)) * r.w;
    ctx.fillStyle = 'rgba(37,99,235,0.16)';
    ctx.fillRect(x0, r.y, Math.max(2, x1 - x0), r.h);
    for (const e of ui.store.events) {
      if (e.step < lo) continue;
      const x = Math.round(r.x + (e.step - lo) / (hi - lo) * r.w);
      ctx.fillStyle = EVENT_COLORS[e.kind] || '#333';
      if (e.kind === 'ff' && e.until != null) {
        const xu = r.x + (e.until / ui.store.dt - lo) / (hi - lo) * r.w;
        ctx.globalAlpha = 0.3; ctx.fillRect(x, r.y, Math.max(2, xu - x), r.h); ctx.globalAlpha = 1;
      }
      ctx.fillRect(x - 1, r.y, 2, r.h);
    }
    ctx.fillStyle = MUTED;
    ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    ctx.fillText(fmtTime(lo * ui.store.dt), r.x - 3, r.y + r.h / 2);
    ctx.textAlign = 'left';
    ctx.fillText(fmtTime(hi * ui.store.dt), r.x + r.w + 2 - 60 > r.x ? r.x + r.w - ctx.measureText(fmtTime(hi * ui.store.dt)).width - 2 : r.x, r.y + r.h / 2);
  }
}
