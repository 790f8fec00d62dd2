// Building blocks of the console's screens: page headers, cards, tables, form fields that show the API's
// validation errors next to the field (problem details field/allowed), exports, toasts and dates.
import { api, ApiError } from '../lib/api.js';
import { el } from '../lib/dom.js';
import { t, lang } from '../lib/i18n.js';

/** A screen's title row with optional actions on the right. */
export function header(titleKey, ...actions) {
  return el('div', { class: 'page-head' }, el('h2', {}, t(titleKey)), el('div', { class: 'row' }, ...actions));
}

/** A white card with an optional title. */
export function card(titleText, ...children) {
  return el('section', { class: 'card' }, titleText ? el('h3', {}, titleText) : null, ...children);
}

/** A button; kind 'primary' | 'danger' | undefined. */
export function button(textKey, onclick, kind, attrs = {}) {
  return el('button', { type: 'button', class: kind || '', onclick, ...attrs }, t(textKey));
}

/**
 * A table: columns [{ key: i18n key of the header, value: row → text or Node }], rows. Shows 'empty' when none.
 */
export function table(columns, rows, { empty = 'common.empty', rowClass } = {}) {
  return el('table', { class: 'grid' },
    el('thead', {}, el('tr', {}, columns.map(c => el('th', { class: c.class || '' }, t(c.key))))),
    el('tbody', {}, rows.length
      ? rows.map(r => el('tr', { class: rowClass ? rowClass(r) : '' }, columns.map(c => el('td', { class: c.class || '' }, c.value(r)))))
      : el('tr', {}, el('td', { colspan: columns.length, class: 'muted center' }, t(empty)))));
}

/** A labelled field; name is the API's field name (matched case-insensitively against problem.field). */
export function field(labelKey, input, name, hint) {
  if (name && 'form' in input && !input.name) input.name = name; // form controls only
  return el('div', { class: 'field', dataset: { field: (name || '').toLowerCase() } },
    el('label', {}, t(labelKey)), input, hint ? el('small', { class: 'muted' }, hint) : null, el('div', { class: 'field-error', role: 'alert' }));
}

/** Inputs. */
export const input = (value = '', attrs = {}) => el('input', { type: 'text', value: value ?? '', ...attrs });
export const number = (value = 0, attrs = {}) => el('input', { type: 'number', value: value ?? '', ...attrs });
export const checkbox = (checked = false, attrs = {}) => el('input', { type: 'checkbox', checked: !!checked, ...attrs });
export const textarea = (value = '', attrs = {}) => { const n = el('textarea', { rows: 3, ...attrs }); n.value = value ?? ''; return n; };
export function select(options, value, attrs = {}) {
  const s = el('select', attrs, options.map(o => el('option', { value: o.value }, o.label)));
  if (value !== undefined && value !== null) s.value = String(value);
  return s;
}

/** Clears the errors shown in a form. */
export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach(n => { n.textContent = ''; });
  form.querySelectorAll('.invalid').forEach(n => n.classList.remove('invalid'));
  form.querySelector('.form-error')?.replaceChildren();
}

/** The text of an API error for people: title, detail, and what is allowed. */
export function describe(error) {
  if (!(error instanceof ApiError)) return String(error?.message || error);
  const p = error.problem || {};
  if (error.status === 403) return t('error.forbidden');
  if (p.field) return `${p.field}: ${t('error.allowed')} ${p.allowed ?? ''}${p.detail ? ` (${p.detail})` : ''}`;
  if (p.errors && Array.isArray(p.errors)) return `${p.title || ''} ${p.errors.map(e => typeof e === 'string' ? e : JSON.stringify(e)).join('; ')}`;
  return p.detail || p.title || `HTTP ${error.status}`;
}

/**
 * Shows an API error in a form: next to the field it names (data-field, last path segment as fallback), else at
 * the form's .form-error. Returns true when it was a validation error placed at a field.
 */
export function showError(form, error) {
  clearErrors(form);
  const p = error instanceof ApiError ? error.problem || {} : {};
  if (p.field) {
    const name = String(p.field).toLowerCase();
    const candidates = [name, name.replace(/\[\d+\]/g, ''), name.split('.').pop(), name.split('.').pop().replace(/\[\d+\]/g, '')];
    for (const c of candidates) {
      const box = form.querySelector(`.field[data-field="${CSS.escape(c)}"]`);
      if (box) {
        const message = box.querySelector('.field-error');
        message.textContent = p.allowed ? `${t('error.allowed')} ${p.allowed}` : p.detail || p.title || '';
        message.title = p.detail || '';
        box.querySelector('input,select,textarea')?.classList.add('invalid');
        box.scrollIntoView({ block: 'nearest' });
        return true;
      }
    }
  }
  let general = form.querySelector('.form-error');
  if (!general) { general = el('div', { class: 'form-error error', role: 'alert' }); form.append(general); }
  general.textContent = describe(error);
  return false;
}

/** Runs an action from a form: clears errors, shows the API's error, toasts success. */
export async function submit(form, action, okKey = 'common.saved') {
  clearErrors(form);
  const btn = form.querySelector('button.primary');
  if (btn) btn.disabled = true;
  try {
    const result = await action();
    if (okKey) toast(t(okKey));
    return result;
  } catch (e) {
    showError(form, e);
    return undefined;
  } finally {
    if (btn) btn.disabled = false;
  }
}

/** A short message at the bottom of the screen. */
export function toast(text, kind = 'ok') {
  const box = document.getElementById('toasts') || document.body.appendChild(el('div', { id: 'toasts' }));
  const n = el('div', { class: `toast ${kind}`, role: 'status' }, text);
  box.append(n);
  setTimeout(() => n.remove(), 3500);
}

/** Runs an action and toasts its failure (for buttons outside forms). */
export async function attempt(action, okKey) {
  try {
    const r = await action();
    if (okKey) toast(t(okKey));
    return r;
  } catch (e) {
    toast(describe(e), 'bad');
    return undefined;
  }
}

/** A modal dialog with a form; resolves when closed. build(form, close) fills it. */
export function dialog(titleText, build) {
  const form = el('form', { class: 'dialog-body', novalidate: true });
  const box = el('dialog', { class: 'dialog' }, el('h3', {}, titleText), form);
  document.body.append(box);
  const close = () => { box.close(); box.remove(); };
  form.addEventListener('submit', e => e.preventDefault());
  box.addEventListener('cancel', () => box.remove());
  build(form, close);
  box.showModal();
  return box;
}

/** A dialog with fields and Save / Cancel; onSave(form) performs the API call (errors shown at the fields). */
export function formDialog(titleText, fields, onSave) {
  return dialog(titleText, (form, close) => {
    form.append(...fields, el('div', { class: 'form-error error' }),
      el('div', { class: 'row end' }, button('common.cancel', close), el('button', { type: 'submit', class: 'primary' }, t('common.save'))));
    form.addEventListener('submit', async () => {
      const ok = await submit(form, async () => { await onSave(form); return true; });
      if (ok) close();
    });
  });
}

/** Asks before a destructive action. */
export function confirmed(textKey, args) {
  return window.confirm(t(textKey, args));
}

/** Saves a download from a POST (exports that take a JSON body). */
export async function downloadPost(path, body, query) {
  const response = await api(path, { method: 'POST', body, query, raw: true });
  const blob = await response.blob();
  const disposition = response.headers.get('Content-Disposition') || '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const a = el('a', { href: URL.createObjectURL(blob), download: match ? decodeURIComponent(match[1]) : 'export' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** CSV and xlsx export buttons; run(format, language) performs the download. */
export function exportButtons(run) {
  const go = format => attempt(() => run(format, lang()));
  return el('span', { class: 'row exports' },
    el('button', { type: 'button', class: 'ghost', onclick: () => go('csv') }, t('common.exportCsv')),
    el('button', { type: 'button', class: 'ghost', onclick: () => go('xlsx') }, t('common.exportXlsx')));
}

/** A small figure: big number and label. */
export function stat(labelKey, value, hint) {
  return el('div', { class: 'stat' }, el('div', { class: 'stat-value' }, value), el('div', { class: 'stat-label' }, t(labelKey)), hint ? el('div', { class: 'muted small' }, hint) : null);
}

/** Days as yyyy-MM-dd in local time. */
export function day(date = new Date()) {
  const d = new Date(date);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
export function daysAgo(n) { const d = new Date(); d.setDate(d.getDate() - n); return day(d); }

/** The browser's offset from UTC in minutes (east positive), for the reports' utcOffsetMinutes. */
export const utcOffsetMinutes = () => -new Date().getTimezoneOffset();

/** A day (yyyy-MM-dd) as the ISO instant of its local start, or of the next day's start (end = true). */
export function dayStart(d, end = false) {
  const [y, m, dd] = d.split('-').map(Number);
  const date = new Date(y, m - 1, dd + (end ? 1 : 0));
  return date.toISOString();
}

/** A from/to date pair of inputs. */
export function range(fromValue, toValue) {
  const from = el('input', { type: 'date', value: fromValue, class: 'date-from' });
  const to = el('input', { type: 'date', value: toValue, class: 'date-to' });
  return { from, to, node: el('span', { class: 'row range' }, from, el('span', { class: 'muted' }, '—'), to) };
}

/** Seconds as "1m 05s" / "25s". */
export function seconds(v) {
  if (v === null || v === undefined) return '—';
  const s = Math.round(Number(v));
  return s >= 60 ? `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** A share 0..1 as a percentage. */
export function percent(v) { return v === null || v === undefined ? '—' : `${(Number(v) * 100).toFixed(1)}%`; }

/** A message shown while loading, replaced by the content. */
export function loading() { return el('div', { class: 'muted loading' }, t('common.loading')); }

/** An error box for a screen that failed to load. */
export function failure(error) { return el('div', { class: 'card error', role: 'alert' }, describe(error)); }

/** Tabs: [{ key, render: () => Node|Promise<Node> }]; the chosen one is kept in the hash query (?tab=). */
export function tabs(items, current, onChange) {
  return el('nav', { class: 'tabs' }, items.map(i => el('button', {
    type: 'button', class: i.key === current ? 'tab active' : 'tab', dataset: { tab: i.key }, onclick: () => onChange(i.key),
  }, t(i.label))));
}

/** Lines of a textarea as a list without blanks. */
export const lines = text => text.split('\n').map(s => s.trim()).filter(Boolean);

/** The channel kinds of the API (camelCase). */
export const CHANNEL_KINDS = ['web', 'h5', 'app', 'wechat', 'weibo', 'miniProgram', 'phone', 'video'];

/** Pages through a list: prev/next and "page n / total". */
export function pager(offset, pageSize, total, onPage) {
  const page = Math.floor(offset / pageSize) + 1;
  return el('div', { class: 'pager' },
    el('span', { class: 'muted' }, t('common.page', { page, total })),
    el('button', { type: 'button', disabled: offset <= 0, onclick: () => onPage(Math.max(0, offset - pageSize)) }, t('common.prev')),
    el('button', { type: 'button', disabled: offset + pageSize >= total, onclick: () => onPage(offset + pageSize) }, t('common.next')));
}

/** A badge. kind: ok | bad | warn | info. */
export const badge = (text, kind = '') => el('span', { class: `badge ${kind}` }, text);
