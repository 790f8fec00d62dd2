// The chat pane: messages (text, images, files), read receipts, the visitor's typing preview, recall, assist
// suggestions, offers and transfer requests, transfer, rating invitation and end.

import { api } from '/lib/api.js';
import { el, byId, replace } from '/lib/dom.js';
import { t } from '/lib/i18n.js';
import { clientId, idGreater, upload, kindOf, messageBody, shortTime } from '/lib/chat.js';
import { store, emit, on, addMessage, visitorName, agentName } from './store.js';

const ui = {
  empty: byId('chat-empty'), view: byId('chat-view'), title: byId('chat-title'), sub: byId('chat-sub'), actions: byId('chat-actions'),
  messages: byId('chat-messages'), typing: byId('visitor-typing'), assist: byId('assist'), assistList: byId('assist-list'),
  composer: byId('chat-composer'), input: byId('chat-input'), send: byId('chat-send'), note: byId('composer-note'),
  offer: byId('offer-banner'), offerText: byId('offer-text'), toast: byId('toast'),
  transfer: byId('transfer-dialog'), transferAgent: byId('transfer-agent'), transferGroup: byId('transfer-group'),
};

/** Shows a conversation entry (null: none). */
export function showConversation(e) {
  store.viewing = e;
  if (e) e.unread = 0;
  ui.input.value = e?.draft || '';
  emit('viewing');
}

/** Puts text into the input box (quick replies). */
export function insertText(text) {
  ui.input.value = ui.input.value ? `${ui.input.value}${text}` : text;
  ui.input.focus();
}

/** A short message at the bottom of the screen. */
export function toast(text, error = false) {
  ui.toast.textContent = text;
  ui.toast.classList.toggle('error', error);
  ui.toast.classList.remove('hidden');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => ui.toast.classList.add('hidden'), 4000);
}

const current = () => store.viewing;
const live = () => current() && !current().history && current().c?.state !== 'closed';

// ---- Rendering -------------------------------------------------------------------------------------------------

on('viewing', render);
on('messages', id => { if (current()?.id === id) renderMessages(); });
on('typing', id => { if (current()?.id === id) renderTyping(); });
on('assist', id => { if (current()?.id === id) renderAssist(); });
document.addEventListener('langchange', () => { if (current()) render(); });

function render() {
  const e = current();
  ui.empty.classList.toggle('hidden', !!e);
  ui.view.classList.toggle('hidden', !e);
  if (!e?.c) return;
  const c = e.c;
  ui.title.textContent = visitorName(c.visitorId);
  const stateText = { bot: t('stateBot'), queued: t('stateQueued'), offered: t('stateOffered'), inService: t('stateInService'), closed: t('stateClosed') }[c.state] || '';
  ui.sub.textContent = e.history ? `${t('readOnly')} · ${c.id}` : `${stateText} · ${c.id}`;
  ui.actions.classList.toggle('hidden', !live() || c.agentId !== store.me || c.state === 'offered');
  byId('invite-rating').disabled = c.ratingInvited || !!c.rating;
  ui.composer.classList.toggle('hidden', !live() || c.agentId !== store.me || c.state === 'offered');
  renderOffer();
  renderMessages();
  renderTyping();
  renderAssist();
  if (!e.history && !e.assist && live()) loadAssist(e);
}

function renderOffer() {
  const c = current()?.c;
  const transfer = live() && c.pendingTransferToAgentId === store.me;
  const offer = live() && c.state === 'offered' && c.agentId === store.me;
  const waiting = live() && c.pendingTransferToAgentId && c.pendingTransferToAgentId !== store.me && c.agentId === store.me;
  ui.offer.classList.toggle('hidden', !(transfer || offer || waiting));
  ui.offer.dataset.kind = transfer ? 'transfer' : offer ? 'offer' : 'waiting';
  byId('offer-accept').classList.toggle('hidden', waiting);
  byId('offer-decline').classList.toggle('hidden', waiting);
  if (transfer) ui.offerText.textContent = t('transferOffer', { name: agentName(c.agentId), note: '' });
  else if (offer) ui.offerText.textContent = t('offerText');
  else if (waiting) ui.offerText.textContent = t('transferPending', { name: agentName(c.pendingTransferToAgentId) });
}

function renderMessages() {
  const e = current();
  if (!e) return;
  const atBottom = ui.messages.scrollHeight - ui.messages.scrollTop - ui.messages.clientHeight < 40;
  replace(ui.messages, e.messages.map(m => messageRow(e, m)), ratingRow(e.c));
  if (atBottom || !ui.messages.dataset.for || ui.messages.dataset.for !== e.id) ui.messages.scrollTop = ui.messages.scrollHeight;
  ui.messages.dataset.for = e.id;
  markRead(e);
}

function messageRow(e, m) {
  if (m.kind === 'systemNotice' || m.senderKind === 'system') {
    return el('div', { class: 'row system', dataset: { id: m.id } }, el('span', { class: 'notice' }, m.text ?? ''));
  }
  const mine = m.senderKind === 'agent';
  if (m.recalled) {
    return el('div', { class: 'row system', dataset: { id: m.id } }, el('span', { class: 'notice' }, mine ? t('youRecalled') : t('visitorRecalled')),
      mine && m.senderId === store.me && e.recalledTexts?.[m.id] ? el('button', { type: 'button', class: 'link', onclick: () => insertText(e.recalledTexts[m.id]) }, t('reedit')) : null);
  }
  const sender = { visitor: visitorName(e.c?.visitorId), bot: t('robot'), agent: agentName(m.senderId) }[m.senderKind] || '';
  const read = mine && !idGreater(m.id, e.visitorReadUpTo);
  return el('div', { class: `row ${mine ? 'mine' : 'theirs'} from-${m.senderKind}`, dataset: { id: m.id } },
    el('div', { class: 'sender' }, sender, ' ', el('span', { class: 'time' }, shortTime(m.sentAt))),
    el('div', { class: 'bubble-line' },
      canRecall(e, m) ? el('button', { type: 'button', class: 'recall link', onclick: () => recall(e, m) }, t('recall')) : null,
      el('div', { class: 'bubble' }, messageBody(m))),
    mine && !e.history ? el('div', { class: `receipt${read ? ' read' : ''}` }, read ? t('read') : t('unread')) : null);
}

function ratingRow(c) {
  if (!c?.rating) return null;
  const r = c.rating;
  return el('div', { class: 'row system', id: 'agent-rating' },
    el('span', { class: 'notice rated' }, t('ratingGiven', { stars: '★'.repeat(r.level) + '☆'.repeat(Math.max(0, r.levelCount - r.level)), comment: [r.tags?.join(' '), r.comment].filter(Boolean).join(' · ') })));
}

function canRecall(e, m) {
  if (e.history || m.senderKind !== 'agent' || m.senderId !== store.me || e.c?.state === 'closed') return false;
  const window = (store.settings?.recallWindowSeconds ?? 120) * 1000;
  return Date.now() - new Date(m.sentAt).getTime() < window;
}

function renderTyping() {
  const e = current();
  const text = e && live() ? e.typing : '';
  ui.typing.classList.toggle('hidden', !text);
  if (text) replace(ui.typing, el('span', { class: 'typing-label' }, t('typing')), el('span', { class: 'typing-text' }, text));
}

function renderAssist() {
  const e = current();
  const answers = live() ? e?.assist?.answers || [] : [];
  ui.assist.classList.toggle('hidden', answers.length === 0);
  replace(ui.assistList, answers.slice(0, 3).map(a => el('button', {
    type: 'button', class: 'suggestion', title: a.text, onclick: () => pickSuggestion(e, a),
  }, a.text)));
}

async function loadAssist(e) {
  try {
    const suggestions = await api(`/workbench/conversations/${e.id}/assist`);
    if (!e.assist) { e.assist = suggestions; if (current() === e) renderAssist(); }
  } catch { /* no suggestions */ }
}

/** Tells the visitor what the agent has seen. */
function markRead(e) {
  if (e.history || document.visibilityState !== 'visible' || !store.socket) return;
  const last = [...e.messages].reverse().find(m => m.senderKind !== 'agent');
  if (!last || !idGreater(last.id, e.readSent || e.c?.agentReadUpToMessageId || '0')) return;
  if (store.socket.send({ type: 'read', conversationId: e.id, upToMessageId: last.id })) e.readSent = last.id;
}

// ---- Sending ---------------------------------------------------------------------------------------------------

async function sendText(e, text) {
  text = text.trim();
  if (!text) return false;
  const id = clientId();
  if (store.socket?.send({ type: 'send', conversationId: e.id, text, clientMessageId: id })) return true;
  try {
    await api(`/workbench/conversations/${e.id}/messages`, { method: 'POST', body: { text, clientMessageId: id } });
    return true;
  } catch (err) {
    toast(err.message, true);
    return false;
  }
}

async function submitInput() {
  const e = current();
  if (!e || !live()) return;
  const text = ui.input.value;
  ui.input.value = '';
  e.draft = '';
  if (!(await sendText(e, text))) ui.input.value = text;
}

async function sendFile(file) {
  const e = current();
  if (!file || !e || !live()) return;
  try {
    const media = await upload(file);
    await api(`/workbench/conversations/${e.id}/messages`, { method: 'POST', body: { kind: kindOf(media), media, text: null, clientMessageId: clientId() } });
  } catch (err) {
    toast(err.message, true);
  }
}

async function pickSuggestion(e, answer) {
  if (!(await sendText(e, answer.text))) return;
  api(`/workbench/conversations/${e.id}/assist/feedback`, {
    method: 'POST', body: { suggestionKey: answer.key, action: 'picked', messageId: e.assist?.messageId || null },
  }).catch(() => {});
  e.assist = { ...e.assist, answers: [] };
  renderAssist();
}

async function recall(e, m) {
  try {
    const recalled = await api(`/workbench/conversations/${e.id}/messages/${m.id}/recall`, { method: 'POST' });
    e.recalledTexts = { ...e.recalledTexts, [m.id]: recalled.text };
    addMessage(e, { ...m, recalled: true });
    renderMessages();
  } catch (err) {
    toast(err.message, true);
  }
}

/** Runs a conversation command and shows the conversation it answers. */
async function command(path, body, done) {
  const e = current();
  if (!e) return;
  try {
    const c = await api(`/workbench/conversations/${e.id}${path}`, { method: 'POST', body });
    e.c = c;
    if (done) toast(done);
    emit('conversations');
    render();
  } catch (err) {
    toast(err.message, true);
  }
}

// ---- Wiring ----------------------------------------------------------------------------------------------------

ui.send.addEventListener('click', submitInput);
ui.input.addEventListener('keydown', e => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); submitInput(); }
});
ui.input.addEventListener('input', () => { if (current()) current().draft = ui.input.value; });
for (const id of ['agent-image', 'agent-file']) byId(id).addEventListener('change', e => { sendFile(e.target.files[0]); e.target.value = ''; });

byId('invite-rating').addEventListener('click', () => command('/rating-invitation', undefined, t('ratingInvited')));
byId('end-button').addEventListener('click', () => { if (confirm(t('confirmEnd'))) command('/end'); });
byId('offer-accept').addEventListener('click', () => answer(true));
byId('offer-decline').addEventListener('click', () => answer(false));

function answer(accept) {
  const kind = ui.offer.dataset.kind;
  command(kind === 'transfer' ? '/transfer/answer' : '/offer/answer', { accept });
}

byId('transfer-button').addEventListener('click', () => {
  const others = [...store.colleagues].filter(([id]) => id !== store.me);
  replace(ui.transferAgent, others.length
    ? others.map(([id, name]) => el('option', { value: id }, `${name} · ${t(store.presence.get(id) || 'offline')}`))
    : el('option', { value: '' }, t('noColleagues')));
  replace(ui.transferGroup, store.groups.map(g => el('option', { value: g.id }, g.name)));
  byId('transfer-note').value = '';
  byId('transfer-error').textContent = '';
  ui.transfer.showModal();
});
for (const radio of document.querySelectorAll('input[name="transfer-to"]')) {
  radio.addEventListener('change', () => {
    const group = radio.value === 'group' && radio.checked;
    ui.transferAgent.classList.toggle('hidden', group);
    ui.transferGroup.classList.toggle('hidden', !group);
  });
}
byId('transfer-form').addEventListener('submit', async event => {
  if (event.submitter?.value === 'cancel') return;
  event.preventDefault();
  const e = current();
  const toGroup = document.querySelector('input[name="transfer-to"]:checked').value === 'group';
  const body = toGroup
    ? { toGroupId: ui.transferGroup.value }
    : { toAgentId: ui.transferAgent.value, note: byId('transfer-note').value.trim() || null };
  if (!(body.toGroupId || body.toAgentId)) return;
  try {
    e.c = await api(`/workbench/conversations/${e.id}/transfer`, { method: 'POST', body });
    ui.transfer.close();
    toast(toGroup ? t('transferredToGroup') : t('transferSent'));
    emit('conversations');
    render();
  } catch (err) {
    byId('transfer-error').textContent = err.message;
  }
});
