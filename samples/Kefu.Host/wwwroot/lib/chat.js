// What the visitor widget and the agent workbench share: a WebSocket that reconnects with back-off and resumes from
// the last message id (PROTOCOL.md), message bubbles built as text, uploads, and id helpers. Ids stay strings;
// comparing them uses BigInt, never Number.

import { api } from './api.js';
import { el, formatTime } from './dom.js';

/** a > b for two 64-bit ids given as strings (null/undefined count as 0). */
export function idGreater(a, b) {
  return BigInt(a || '0') > BigInt(b || '0');
}

/** The larger of two ids. */
export function maxId(a, b) {
  return idGreater(a, b) ? a : (b || a || '0');
}

/** A fresh client message id (idempotent resends). */
export function clientId() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

/** ws:// or wss:// URL of a path on this host, with a query. */
export function wsUrl(path, query = {}) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.append(k, v);
  return `${scheme}//${location.host}${path}?${q}`;
}

/**
 * A WebSocket that reconnects (1 s, 2 s, 4 s … 15 s) until stopped. url() is called for every attempt, so it can
 * carry the latest lastMessageId. onFrame gets each parsed frame, onStatus 'connecting' | 'open' | 'closed'.
 */
export class LiveSocket {
  constructor(url, { onFrame, onStatus = () => {} }) {
    this.url = url;
    this.onFrame = onFrame;
    this.onStatus = onStatus;
    this.delay = 1000;
    this.stopped = false;
    this.socket = null;
    this.refs = 0;
  }

  start() {
    this.stopped = false;
    this.connect();
    return this;
  }

  connect() {
    if (this.stopped) return;
    this.onStatus('connecting');
    const socket = new WebSocket(this.url());
    this.socket = socket;
    socket.addEventListener('open', () => { this.delay = 1000; this.onStatus('open'); });
    socket.addEventListener('message', event => {
      let frame;
      try { frame = JSON.parse(event.data); } catch { return; }
      this.onFrame(frame);
    });
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.onStatus('closed');
      if (this.stopped) return;
      setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, 15000);
    });
  }

  /** Whether frames can be sent now. */
  get open() {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** Sends a frame when connected; returns its ref, or null when not connected. */
  send(frame) {
    if (!this.open) return null;
    const ref = frame.ref ?? String(++this.refs);
    this.socket.send(JSON.stringify({ ...frame, ref }));
    return ref;
  }

  stop() {
    this.stopped = true;
    const socket = this.socket;
    this.socket = null;
    socket?.close();
  }
}

/** Uploads one file; answers the attachment to send ({url, name, size, contentType}). */
export function upload(file, visitorToken) {
  const form = new FormData();
  form.append('file', file, file.name);
  return api('/uploads', { method: 'POST', body: form, visitorToken });
}

/** The message kind for an uploaded attachment. */
export function kindOf(media) {
  return (media.contentType || '').startsWith('image/') ? 'image' : 'file';
}

/** 1.2 MB, 340 KB … */
export function formatSize(bytes) {
  const n = Number(bytes) || 0;
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}

/**
 * The body of a message bubble: text, image, file or menu (menu items call onMenu). Everything goes in as text.
 */
export function messageBody(m, { onMenu, recalledText } = {}) {
  if (m.recalled) return el('span', { class: 'recalled' }, recalledText || '—');
  switch (m.kind) {
    case 'image':
      return el('a', { href: m.media?.url, target: '_blank', rel: 'noopener', class: 'bubble-image' },
        el('img', { src: m.media?.url, alt: m.media?.name || 'image', loading: 'lazy' }));
    case 'file':
      return el('a', { href: m.media?.url, class: 'bubble-file', download: m.media?.name || '' },
        el('span', { class: 'file-icon', 'aria-hidden': 'true' }, '📄'),
        el('span', { class: 'file-meta' }, el('span', { class: 'file-name' }, m.media?.name || ''), el('span', { class: 'file-size' }, formatSize(m.media?.size))));
    case 'menu':
      return el('div', { class: 'bubble-menu' },
        m.text ? el('div', { class: 'menu-title' }, m.text) : null,
        (m.menuItems || []).map(item => el('button', { type: 'button', class: 'menu-item', onclick: () => onMenu?.(item) }, item)));
    default:
      return el('span', { class: 'bubble-text' }, m.text ?? '');
  }
}

/** A time for a message ('14:05'). */
export function shortTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? formatTime(iso) : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** The proto JSON enum name of an event payload, shortened: 'PARTICIPANT_KIND_AGENT' → 'agent'. */
export function protoEnum(value, prefix) {
  if (typeof value !== 'string') return value;
  return value.startsWith(prefix) ? value.slice(prefix.length).toLowerCase() : value.toLowerCase();
}
