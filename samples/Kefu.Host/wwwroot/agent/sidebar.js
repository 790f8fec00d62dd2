// The right-hand panels: customer information (editable with customers.manage), wrap-up (categories tree, draft,
// submit), quick replies (team and personal; click inserts, the button sends) and additional information.

import { api } from '/lib/api.js';
import { el, byId, replace, formatTime } from '/lib/dom.js';
import { t } from '/lib/i18n.js';
import { clientId } from '/lib/chat.js';
import { store, on, has, visitorOf, emit } from './store.js';
import { insertText, toast } from './conversation.js';

// ---- Tabs ------------------------------------------------------------------------------------------------------

for (const tab of document.querySelectorAll('.side .tab')) {
  tab.addEventListener('click', () => {
    for (const other of document.querySelectorAll('.side .tab')) other.classList.toggle('active', other === tab);
    for (const pane of document.querySelectorAll('.side [data-side-pane]')) pane.classList.toggle('hidden', pane.dataset.sidePane !== tab.dataset.side);
    if (tab.dataset.side === 'quick') loadQuickReplies();
  });
}

let shownFor = null;
on('viewing', () => {
  const e = store.viewing;
  if (e?.id === shownFor && e?.c) return renderWrapUpState();
  shownFor = e?.id ?? null;
  renderCustomer();
  renderWrapUp();
  renderExtra();
});
on('conversations', () => { if (store.viewing?.c) renderWrapUpState(); });
on('settings', () => {
  const info = store.settings?.additionalInfo;
  byId('extra-tab').textContent = info?.enabled && info.title ? info.title : t('tabExtra');
});
document.addEventListener('langchange', () => { shownFor = null; emit('viewing'); emit('settings'); });

// ---- Customer information --------------------------------------------------------------------------------------

const profileFields = ['name', 'nickname', 'phone', 'email', 'gender', 'address', 'note'];

async function renderCustomer() {
  const pane = byId('customer-pane');
  const c = store.viewing?.c;
  if (!c) return replace(pane, el('p', { class: 'muted' }, t('noneSelected')));
  const visitor = await visitorOf(c.visitorId);
  if (store.viewing?.c !== c) return;
  const facts = el('dl', { class: 'facts' },
    fact(t('visitorId'), c.visitorId), fact(t('channel'), c.channelKind), fact(t('createdAt'), formatTime(c.createdAt, true)));
  if (!visitor) {
    return replace(pane, facts, el('p', { class: 'muted small' }, has('customers.manage') ? '' : t('noCustomerPermission')));
  }
  const inputs = Object.fromEntries(profileFields.map(f => [f, f === 'note'
    ? el('textarea', { rows: 3, maxlength: 500, name: f }, visitor[f] || '')
    : el('input', { name: f, value: visitor[f] || '', maxlength: 100 })]));
  const status = el('span', { class: 'muted small' });
  const form = el('form', { class: 'stack', id: 'customer-form' },
    profileFields.map(f => el('label', { class: 'field' }, el('span', {}, t(f)), inputs[f])),
    el('div', { class: 'row end' }, status, el('button', { type: 'submit', class: 'primary' }, t('save'))));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const body = Object.fromEntries(profileFields.map(f => [f, inputs[f].value.trim()]));
    try {
      const saved = await api(`/customers/${visitor.id}`, { method: 'PUT', body });
      store.visitors.set(visitor.id, saved);
      status.textContent = t('saved');
      emit('conversations');
    } catch (e) {
      status.textContent = e.message;
    }
  });
  const trail = (visitor.browseTrail || []).slice(-5).reverse();
  replace(pane, facts, form, trail.length ? el('div', { class: 'trail' }, el('h3', {}, t('trail')),
    el('ul', {}, trail.map(p => el('li', {}, el('span', { class: 'muted small' }, formatTime(p.at)), ' ', p.title || p.url)))) : null);
}

function fact(name, value) {
  return [el('dt', {}, name), el('dd', {}, value ?? '')];
}

// ---- Wrap-up ---------------------------------------------------------------------------------------------------

let categories = null;
const wrapUp = { category: byId('wrapup-category'), detail: byId('wrapup-detail'), reply: byId('wrapup-reply'), status: byId('wrapup-status') };

async function renderWrapUp() {
  const c = store.viewing?.c;
  byId('wrapup-form').classList.toggle('hidden', !c);
  if (!c) return;
  categories ??= await api('/workbench/wrap-up-categories').catch(() => []);
  replace(wrapUp.category, el('option', { value: '' }, t('chooseCategory')), categoryOptions(null, 0));
  const w = c.wrapUp;
  wrapUp.category.value = w?.problemTypeId || '';
  for (const radio of document.querySelectorAll('input[name="resolved"]')) radio.checked = w?.resolved != null && String(w.resolved) === radio.value;
  wrapUp.detail.value = w?.detail || '';
  wrapUp.reply.value = w?.reply || '';
  renderWrapUpState();
}

/** The categories as an indented tree of options. */
function categoryOptions(parentId, depth) {
  return categories.filter(x => (x.parentId || null) === parentId).sort((a, b) => a.order - b.order)
    .flatMap(x => [el('option', { value: x.id }, `${'\u3000'.repeat(depth)}${x.name}`), ...categoryOptions(x.id, depth + 1)]);
}

function renderWrapUpState() {
  const w = store.viewing?.c?.wrapUp;
  const submitted = !!w?.submitted;
  for (const control of byId('wrapup-form').querySelectorAll('select, input, textarea, button')) control.disabled = submitted;
  wrapUp.status.textContent = submitted ? t('submitted') : w ? t('draftSaved', { time: formatTime(w.savedAt) }) : '';
  wrapUp.status.classList.toggle('ok', submitted);
}

function wrapUpInput() {
  const resolved = document.querySelector('input[name="resolved"]:checked')?.value;
  return {
    problemTypeId: wrapUp.category.value || null,
    resolved: resolved === undefined ? null : resolved === 'true',
    detail: wrapUp.detail.value.trim() || null,
    reply: wrapUp.reply.value.trim() || null,
  };
}

async function saveWrapUp(submit) {
  const e = store.viewing;
  if (!e?.c) return;
  const body = wrapUpInput();
  if (submit && (!body.problemTypeId || body.resolved === null)) {
    wrapUp.status.textContent = t('needCategory');
    return;
  }
  try {
    e.c = await api(`/workbench/conversations/${e.id}/wrap-up${submit ? '' : '/draft'}`, { method: submit ? 'POST' : 'PUT', body });
    renderWrapUpState();
  } catch (err) {
    wrapUp.status.textContent = err.message;
  }
}

byId('wrapup-draft').addEventListener('click', () => saveWrapUp(false));
byId('wrapup-form').addEventListener('submit', event => { event.preventDefault(); saveWrapUp(true); });

// ---- Quick replies ---------------------------------------------------------------------------------------------

let folders = [];
let replies = [];

async function loadQuickReplies() {
  try {
    const keyword = byId('quick-search').value.trim() || null;
    [folders, replies] = await Promise.all([api('/workbench/quick-reply-folders'), api('/workbench/quick-replies', { query: { keyword } })]);
  } catch (e) {
    return replace(byId('quick-list'), el('p', { class: 'error' }, e.message));
  }
  renderQuickReplies();
}

function renderQuickReplies() {
  const list = byId('quick-list');
  const groups = folders.map(f => ({ f, items: replies.filter(r => r.folderId === f.id).sort((a, b) => a.order - b.order) })).filter(g => g.items.length);
  if (groups.length === 0) return replace(list, el('p', { class: 'muted' }, t('noQuick')));
  replace(list, groups.map(({ f, items }) => el('div', { class: 'quick-folder' },
    el('h3', {}, f.name, el('span', { class: `library ${f.library}` }, f.library === 'personal' ? t('personalLibrary') : t('publicLibrary'))),
    el('ul', {}, items.map(r => el('li', { class: 'quick-item', dataset: { id: r.id } },
      el('button', { type: 'button', class: 'quick-text', title: t('quickInsert'), onclick: () => insertText(r.text) }, r.text),
      el('button', { type: 'button', class: 'quick-send', onclick: () => sendQuickReply(r) }, t('quickSend'))))))));
}

async function sendQuickReply(r) {
  const e = store.viewing;
  if (!e || e.history || e.c?.state === 'closed') return toast(t('noneSelected'), true);
  try {
    await api(`/workbench/conversations/${e.id}/quick-replies/${r.id}`, { method: 'POST', query: { clientMessageId: clientId() } });
  } catch (err) {
    toast(err.message, true);
  }
}

let searchTimer = null;
byId('quick-search').addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(loadQuickReplies, 250); });
byId('quick-add').addEventListener('submit', async event => {
  event.preventDefault();
  const text = byId('quick-add-text').value.trim();
  if (!text) return;
  try {
    let folder = folders.find(f => f.library === 'personal' && f.ownerAgentId === store.me);
    folder ??= await api('/workbench/quick-reply-folders', { method: 'POST', body: { name: t('myFolder') } });
    await api('/workbench/quick-replies', { method: 'POST', body: { folderId: folder.id, text } });
    byId('quick-add-text').value = '';
    loadQuickReplies();
  } catch (err) {
    toast(err.message, true);
  }
});

// ---- Additional information ------------------------------------------------------------------------------------

async function renderExtra() {
  const pane = byId('extra-pane');
  const c = store.viewing?.c;
  if (!c) return replace(pane, el('p', { class: 'muted' }, t('noneSelected')));
  const visitor = await visitorOf(c.visitorId);
  if (store.viewing?.c !== c) return;
  const values = visitor?.additionalInfo || {};
  const settings = store.settings?.additionalInfo;
  const fields = settings?.enabled && settings.fields?.length
    ? settings.fields.filter(f => f.visible !== false).map(f => [f.displayName, values[f.key]])
    : Object.entries(values);
  replace(pane, fields.length
    ? el('dl', { class: 'facts' }, fields.map(([name, value]) => fact(name, value || '—')))
    : el('p', { class: 'muted' }, t('noExtra')));
}
