// A form generated from a settings object as the API returns it: booleans become switches, numbers and strings
// inputs, string lists one-per-line text areas, nested objects fieldsets, other lists JSON. read() gives the object
// back with the edits (keys it does not show are kept as they were), ready to PUT. Each field carries its dotted
// path as data-field, so the API's validation error (problem field "Welcome.Text") lands next to it.
import { el } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

/** Seconds per unit of the duration fields. */
const UNITS = { s: 1, min: 60, h: 3600, d: 86400 };

/** A label for a key: the dictionary's 'f.{key}' when it has one, else the key in words. */
export function label(key) {
  const k = `f.${key}`;
  const text = t(k);
  return text !== k ? text : key.replace(/([A-Z])/g, ' $1').replace(/^./, c => c.toUpperCase());
}

/**
 * Builds the form. options: hide (keys to keep but not show), readOnly (keys shown disabled), enums ({ key: [values] }),
 * long (keys edited in a text area), json (keys edited as JSON), durations ({ key: 's' | 'min' | 'h' | 'd' }: TimeSpan keys edited as a number of that unit).
 */
export function objectForm(value, options = {}) {
  const readers = [];
  const node = el('div', { class: 'objform' }, build(value, '', options, readers, 0));
  return {
    node,
    read() {
      const copy = structuredClone(value);
      for (const r of readers) set(copy, r.path, r.read());
      return copy;
    },
  };
}

function set(target, path, v) {
  const parts = path.split('.');
  let o = target;
  for (const p of parts.slice(0, -1)) o = o[p];
  o[parts[parts.length - 1]] = v;
}

function build(obj, prefix, options, readers, depth) {
  const fields = [];
  const groups = [];
  for (const [key, v] of Object.entries(obj)) {
    if (options.hide?.includes(key)) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (v && typeof v === 'object' && !Array.isArray(v) && !options.json?.includes(key)) {
      groups.push(el('fieldset', { class: depth ? 'sub' : '' }, el('legend', {}, label(key)), build(v, path, options, readers, depth + 1)));
    } else {
      fields.push(leaf(key, v, path, options, readers));
    }
  }
  return [el('div', { class: 'form-grid' }, fields), ...groups];
}

function leaf(key, v, path, options, readers) {
  let input, read;
  const disabled = options.readOnly?.includes(key);
  const unit = options.durations?.[key];
  if (unit) {
    input = el('input', { type: 'number', min: 0, step: 'any', value: String(spanToSeconds(v) / UNITS[unit]) });
    read = () => secondsToSpan(Number(input.value) * UNITS[unit]);
  } else if (options.enums?.[key]) {
    input = el('select', {}, options.enums[key].map(o => el('option', { value: o }, label(o))));
    input.value = v ?? '';
    read = () => input.value;
  } else if (typeof v === 'boolean') {
    input = el('input', { type: 'checkbox', checked: v, class: 'switch' });
    read = () => input.checked;
  } else if (typeof v === 'number') {
    input = el('input', { type: 'number', step: 'any', value: String(v) });
    read = () => (input.value === '' ? null : Number(input.value));
  } else if (Array.isArray(v) && v.every(x => typeof x === 'string') && !options.json?.includes(key)) {
    input = el('textarea', { rows: Math.min(8, Math.max(3, v.length)), placeholder: t('common.onePerLine') });
    input.value = v.join('\n');
    read = () => input.value.split('\n').map(s => s.trim()).filter(Boolean);
  } else if (Array.isArray(v) || (v && typeof v === 'object')) {
    input = el('textarea', { rows: 6, class: 'mono', spellcheck: 'false' });
    input.value = JSON.stringify(v, null, 2);
    read = () => JSON.parse(input.value);
  } else {
    const long = options.long?.includes(key) || (typeof v === 'string' && v.length > 40);
    input = long ? el('textarea', { rows: 2 }) : el('input', { type: 'text' });
    input.value = v ?? '';
    read = () => (v === null && input.value === '' ? null : input.value);
  }
  if (disabled) input.disabled = true;
  else readers.push({ path, read });
  input.name = path;
  const wide = input.tagName === 'TEXTAREA';
  return el('div', { class: `field${wide ? ' wide' : ''}${input.type === 'checkbox' ? ' check' : ''}`, dataset: { field: path.toLowerCase() } },
    el('label', {}, label(key) + (unit ? ` (${t(`unit.${unit}`)})` : '')), input, el('div', { class: 'field-error', role: 'alert' }));
}

/** A .NET TimeSpan ("1.02:03:04.5", "00:02:00") in seconds. */
export function spanToSeconds(span) {
  const m = /^(-)?(?:(\d+)\.)?(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(span || '');
  if (!m) return 0;
  const s = Number(m[2] || 0) * 86400 + Number(m[3]) * 3600 + Number(m[4]) * 60 + Number(m[5]);
  return m[1] ? -s : s;
}

/** Seconds as a .NET TimeSpan ("d.hh:mm:ss"). */
export function secondsToSpan(total) {
  const s = Math.max(0, Math.round(total || 0));
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  const p = n => String(n).padStart(2, '0');
  return `${d ? d + '.' : ''}${p(h)}:${p(m)}:${p(sec)}`;
}
