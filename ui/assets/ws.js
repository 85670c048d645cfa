// ws.js — the websocket to the soma server (see ui/protocol.md): JSON text
// messages, binary data frames, and commands with ids answered by `result`.

const decoder = new TextDecoder();

// The access token of the page URL, passed on to /ws and exports.
export function tokenQuery(prefix = '?') {
  const t = new URLSearchParams(location.search).get('token');
  return t ? prefix + 'token=' + encodeURIComponent(t) : '';
}

// decodeFrame splits a binary data frame into its JSON header and a Map
// from array key to Float32Array / Int32Array / Uint16Array (views on the buffer when
// aligned, copies otherwise).
export function decodeFrame(buf) {
  const dv = new DataView(buf);
  const h = dv.getUint32(0, true);
  const header = JSON.parse(decoder.decode(new Uint8Array(buf, 4, h)));
  let off = 4 + h;
  const arrays = new Map();
  for (const a of header.arrays || []) {
    const T = a.type === 'f32' ? Float32Array : a.type === 'u16' ? Uint16Array : Int32Array;
    const bytes = T.BYTES_PER_ELEMENT * a.len;
    if (off + bytes > buf.byteLength) throw new Error(`data frame too short for ${a.key}`);
    arrays.set(a.key, off % T.BYTES_PER_ELEMENT === 0 ? new T(buf, off, a.len) : new T(buf.slice(off, off + bytes)));
    off += (bytes + 3) & ~3; // u16 arrays are padded to 4 bytes
  }
  return { header, arrays };
}

// Connection keeps one websocket open (reconnecting with back-off) and
// calls handlers.text(msg), handlers.data(frame), handlers.open(), handlers.close().
export class Connection {
  constructor(handlers) {
    this.handlers = handlers;
    this.nextId = 1;
    this.pending = new Map(); // id -> {resolve, cmd}
    this.connected = false;
    this.delay = 250;
    this.open();
  }

  open() {
    const proto = location.protocol === 'https:' ? 'wss://' : 'ws://';
    const ws = new WebSocket(proto + location.host + '/ws' + tokenQuery());
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => { this.connected = true; this.delay = 250; this.handlers.open?.(); };
    ws.onclose = () => {
      const was = this.connected;
      this.connected = false;
      for (const p of this.pending.values()) p.resolve({ ok: false, error: 'disconnected' });
      this.pending.clear();
      if (was) this.handlers.close?.();
      setTimeout(() => this.open(), this.delay);
      this.delay = Math.min(this.delay * 2, 5000);
    };
    ws.onmessage = (ev) => {
      try {
        if (typeof ev.data === 'string') {
          const msg = JSON.parse(ev.data);
          if (msg.type === 'result' && msg.id != null && this.pending.has(msg.id)) {
            const p = this.pending.get(msg.id);
            this.pending.delete(msg.id);
            p.resolve(msg);
          }
          this.handlers.text(msg);
        } else {
          const f = decodeFrame(ev.data);
          f.bytes = ev.data.byteLength;
          this.handlers.data(f);
        }
      } catch (err) {
        this.handlers.error?.(err);
      }
    };
  }

  // send a command; the promise resolves with the server's result
  // ({ok, message} or {ok:false, error}).
  send(cmd, fields = {}) {
    const id = this.nextId++;
    const msg = { cmd, id, ...fields };
    return new Promise((resolve) => {
      if (!this.connected) { resolve({ ok: false, error: 'not connected' }); return; }
      this.pending.set(id, { resolve, cmd });
      this.ws.send(JSON.stringify(msg));
    });
  }
}
