// The agent workbench: sign-in, presence, the three lists (mine, queue, history) and the /ws/agent connection.
// The chat pane is conversation.js, the right-hand panels sidebar.js.

import { api, ApiError, currentSession, signIn, signOut } from '/lib/api.js';
import { el, byId, replace } from '/lib/dom.js';
import { t, setLang, lang } from '/lib/i18n.js';
import { LiveSocket, wsUrl, idGreater, protoEnum, shortTime } from '/lib/chat.js';
import './dictionary.js';
import { store, emit, on, entry, addMessage, isMine, has, visitorOf, visitorName } from './store.js';
import { showConversation, toast } from './conversation.js';
import './sidebar.js';

const params = new URLSearchParams(location.search);

// ---- Sign-in ---------------------------------------------------------------------------------------------------

async function boot() {
  let session = null;
  try {
    session = await currentSession();
  } catch { /* the host is unreachable: show the form */ }
  if (session?.kind === 'agent' && session.permissions.includes('conversations.serve')) return enter(session);
  byId('signin-tenant').value = params.get('tenant') || localStorage.getItem('kefu.agent.tenant') || '';
  byId('signin').classList.remove('hidden');
  byId(byId('signin-tenant').value ? 'signin-account' : 'signin-tenant').focus();
}

byId('signin-form').addEventListener('submit', async event => {
  event.preventDefault();
  const error = byId('signin-error');
  error.textContent = '';
  byId('signin-submit').disabled = true;
  try {
    const tenantId = byId('signin-tenant').value.trim();
    const session = await signIn({ tenantId, account: byId('signin-account').value.trim(), password: byId('signin-password').value });
    localStorage.setItem('kefu.agent.tenant', tenantId);
    if (!session.permissions.includes('conversations.serve')) {
      error.textContent = t('noServe');
      return;
    }
    byId('signin').classList.add('hidden');
    await enter(session);
  } catch (e) {
    error.textContent = e instanceof ApiError && e.status === 401 ? t('signInFailed') : e.message;
  } finally {
    byId('signin-submit').disabled = false;
  }
});

byId('signout').addEventListener('click', async () => {
  store.socket?.stop();
  await signOut().catch(() => {});
  location.reload();
});

async function enter(session) {
  store.session = session;
  store.me = session.agent.id;
  byId('me-name').textContent = session.agent.nickname || session.agent.name;
  byId('app').classList.remove('hidden');
  const [settings, colleagues, groups, presence] = await Promise.all([
    api('/workbench/settings').catch(() => null),
    api('/workbench/colleagues').catch(() => []),
    api('/workbench/groups').catch(() => []),
    api('/workbench/presence').catch(() => []),
  ]);
  store.settings = settings;
  for (const c of colleagues) store.colleagues.set(c.id, c.displayName);
  store.groups = groups;
  for (const p of presence) store.presence.set(p.agentId, p.status);
  emit('presence');
  emit('settings');
  connect();
  setInterval(loadQueue, 15000);
}

// ---- Presence --------------------------------------------------------------------------------------------------

const presenceSelect = byId('presence');
presenceSelect.addEventListener('change', async () => {
  try {
    const p = await api('/workbench/presence', { method: 'PUT', body: { status: presenceSelect.value } });
    store.presence.set(store.me, p.status);
  } catch (e) {
    toast(e.message, true);
  }
  emit('presence');
});

on('presence', () => {
  const status = store.presence.get(store.me) || 'offline';
  presenceSelect.value = ['online', 'busy', 'offline'].includes(status) ? status : 'busy';
  byId('presence-dot').dataset.status = status;
});

// ---- Real time -------------------------------------------------------------------------------------------------

function connect() {
  store.socket = new LiveSocket(() => wsUrl('/ws/agent', { assist: 'true', lastMessageId: store.lastId }), {
    onFrame,
    onStatus: s => {
      const c = byId('connection');
      c.dataset.state = s;
      c.textContent = s === 'open' ? '' : t(s === 'connecting' ? 'connecting' : 'disconnected');
    },
  }).start();
}

function onFrame(frame) {
  switch (frame.type) {
    case 'hello': return hello(frame);
    case 'message': return onMessage(frame.message);
    case 'synced': return emit('conversations');
    case 'assist': {
      const e = store.conversations.get(frame.conversationId);
      if (e) { e.assist = frame.suggestions; emit('assist', e.id); }
      return;
    }
    case 'error': return toast(frame.detail || frame.title, true);
    case 'event': return onEvent(frame);
  }
}

function hello(frame) {
  const open = new Set();
  for (const c of frame.conversations) {
    open.add(c.id);
    setConversation(c);
  }
  // Conversations that ended while the connection was down.
  for (const e of store.conversations.values()) if (!open.has(e.id) && e.c?.state !== 'closed') refresh(e.id);
  for (const p of frame.presence) store.presence.set(p.agentId, p.status);
  store.queue = frame.queue;
  emit('presence');
  emit('queue');
  emit('conversations');
}

/** Adds or updates a conversation of the agent; removes one that is no longer the agent's (transferred away). */
function setConversation(c) {
  const known = store.conversations.get(c.id);
  if (!isMine(c) && c.state !== 'closed') {
    if (known) {
      store.conversations.delete(c.id);
      if (store.viewing === known) showConversation(null);
    }
    emit('conversations');
    return;
  }
  if (!known && c.state === 'closed') return;
  const e = entry(c.id);
  const first = !e.c;
  e.c = c;
  e.visitorReadUpTo = c.visitorReadUpToMessageId || e.visitorReadUpTo;
  if (first) {
    e.unread = e.messages.filter(m => m.senderKind === 'visitor' && idGreater(m.id, c.agentReadUpToMessageId)).length;
    visitorOf(c.visitorId).then(() => emit('conversations'));
  }
  emit('conversations');
  if (store.viewing === e) emit('viewing');
}

const refreshing = new Map();
/** Reads a conversation again after an event (debounced per conversation). */
function refresh(id) {
  clearTimeout(refreshing.get(id));
  refreshing.set(id, setTimeout(async () => {
    refreshing.delete(id);
    try {
      setConversation(await api(`/workbench/conversations/${id}`));
    } catch (e) {
      if (e instanceof ApiError && e.status === 404 && store.conversations.has(id)) {
        const gone = store.conversations.get(id);
        store.conversations.delete(id);
        if (store.viewing === gone) showConversation(null);
        emit('conversations');
      }
    }
  }, 150));
}

function onMessage(m) {
  const known = store.conversations.has(m.conversationId);
  const e = entry(m.conversationId);
  if (!addMessage(e, m)) return emit('messages', e.id);
  if (!known) refresh(e.id);
  if (m.senderKind === 'visitor') {
    e.typing = '';
    if (store.viewing !== e || document.visibilityState !== 'visible') e.unread++;
  }
  emit('messages', e.id);
  emit('conversations');
}

const conversationEvents = new Set([
  'sessionOffered', 'sessionAssigned', 'transferRequested', 'transferDeclined', 'sessionTransferred', 'sessionClosed',
  'offerEnded', 'ratingInvited', 'ratingSubmitted', 'wrapUpSaved', 'sessionTagsChanged',
]);

function onEvent(frame) {
  const data = frame.data || {};
  const id = frame.conversationId;
  switch (frame.name) {
    case 'agentStateChanged':
      if (protoEnum(data.media, 'MEDIA_KIND_INFO_') === 'chat') {
        store.presence.set(data.agentId, protoEnum(data.current, 'AGENT_STATUS_'));
        emit('presence');
      }
      return;
    case 'sessionQueued':
    case 'queuePosition':
      return loadQueue();
    case 'visitorTyping': {
      const e = store.conversations.get(id);
      if (e) { e.typing = data.previewText || ''; emit('typing', id); }
      return;
    }
    case 'messagesRead': {
      const e = store.conversations.get(id);
      if (e && protoEnum(data.readerKind, 'PARTICIPANT_KIND_') === 'visitor') { e.visitorReadUpTo = data.upToMessageId; emit('messages', id); }
      return;
    }
    case 'messageRecalled': {
      const e = store.conversations.get(id);
      const m = e?.messages.find(x => x.id === data.messageId);
      if (m) { m.recalled = true; emit('messages', id); }
      return;
    }
  }
  if (conversationEvents.has(frame.name)) {
    if (frame.name === 'transferDeclined' && data.fromAgentId === store.me) toast(t('transferDeclined', { name: store.colleagues.get(data.toAgentId) || '' }));
    if (frame.name === 'sessionAssigned' || frame.name === 'sessionClosed') loadQueue();
    if (store.conversations.has(id) || [data.agentId, data.toAgentId].includes(store.me)) refresh(id);
  }
}

let queueTimer = null;
function loadQueue() {
  clearTimeout(queueTimer);
  queueTimer = setTimeout(async () => {
    try {
      store.queue = await api('/workbench/queue');
      emit('queue');
    } catch { /* next event or tick */ }
  }, 200);
}

// ---- Lists -----------------------------------------------------------------------------------------------------

for (const tab of document.querySelectorAll('.lists .tab')) {
  tab.addEventListener('click', () => selectList(tab.dataset.tab));
}

function selectList(name) {
  for (const tab of document.querySelectorAll('.lists .tab')) tab.classList.toggle('active', tab.dataset.tab === name);
  for (const pane of document.querySelectorAll('.lists [data-pane]')) pane.classList.toggle('hidden', pane.dataset.pane !== name);
  if (name === 'history' && store.history.length === 0) searchHistory();
}

const stateNames = () => ({ bot: t('stateBot'), queued: t('stateQueued'), offered: t('stateOffered'), inService: t('stateInService'), closed: t('stateClosed'), created: '' });

on('conversations', renderMine);
on('viewing', renderMine);
function renderMine() {
  const list = [...store.conversations.values()].filter(e => e.c)
    .sort((a, b) => (a.c.state === 'closed') - (b.c.state === 'closed') || (idGreater(b.id, a.id) ? 1 : -1));
  const unread = list.reduce((n, e) => n + e.unread, 0);
  byId('mine-count').textContent = list.length ? String(unread || list.length) : '';
  byId('mine-count').classList.toggle('alert', unread > 0);
  replace(byId('list-mine'), list.length ? list.map(mineItem) : el('li', { class: 'list-empty' }, t('noConversations')));
}

function mineItem(e) {
  const last = [...e.messages].reverse().find(m => m.kind !== 'systemNotice');
  const pending = e.c.pendingTransferToAgentId === store.me || (e.c.state === 'offered' && e.c.agentId === store.me);
  return el('li', {
    class: `item${store.viewing === e ? ' active' : ''}${e.c.state === 'closed' ? ' closed' : ''}`, dataset: { id: e.id },
    onclick: () => { e.unread = 0; showConversation(e); },
  },
  el('div', { class: 'item-avatar', 'aria-hidden': 'true' }, visitorName(e.c.visitorId).slice(0, 1)),
  el('div', { class: 'item-main' },
    el('div', { class: 'item-top' }, el('span', { class: 'item-name' }, visitorName(e.c.visitorId)), el('span', { class: 'item-time' }, shortTime(last?.sentAt || e.c.createdAt))),
    el('div', { class: 'item-bottom' },
      el('span', { class: 'item-preview' }, pending ? t('pendingAnswer') : e.c.state === 'closed' ? stateNames().closed : previewOf(last)),
      e.unread ? el('span', { class: 'unread', title: t('unreadTitle') }, String(e.unread)) : null)),
  e.c.state === 'closed' ? el('button', {
    type: 'button', class: 'item-close', title: t('dismiss'), 'aria-label': t('dismiss'),
    onclick: ev => { ev.stopPropagation(); dismiss(e); },
  }, '×') : null);
}

function previewOf(m) {
  if (!m) return '';
  if (m.recalled) return t('recalledShort');
  return { image: t('imageShort'), file: t('fileShort') }[m.kind] || m.text || '';
}

function dismiss(e) {
  store.conversations.delete(e.id);
  if (store.viewing === e) showConversation(null);
  emit('conversations');
}

on('queue', () => {
  byId('queue-count').textContent = store.queue.length ? String(store.queue.length) : '';
  replace(byId('list-queue'), store.queue.length ? store.queue.map(q => el('li', { class: 'item queue-item', dataset: { id: q.conversationId } },
    el('div', { class: 'item-avatar', 'aria-hidden': 'true' }, String(q.position)),
    el('div', { class: 'item-main' },
      el('div', { class: 'item-top' }, el('span', { class: 'item-name' }, visitorName(q.visitorId)), el('span', { class: 'item-time' }, shortTime(q.queuedAt))),
      el('div', { class: 'item-bottom' }, el('span', { class: 'item-preview' }, t('waiting', { position: q.position })))),
    el('button', { type: 'button', class: 'primary pick', onclick: () => pick(q.conversationId) }, t('pick'))))
    : el('li', { class: 'list-empty' }, t('queueEmpty')));
});

async function pick(id) {
  try {
    const c = await api(`/workbench/queue/${id}/pick`, { method: 'POST' });
    setConversation(c);
    loadQueue();
    selectList('mine');
    showConversation(entry(c.id));
  } catch (e) {
    toast(e.message, true);
    loadQueue();
  }
}

// ---- History ---------------------------------------------------------------------------------------------------

byId('history-form').addEventListener('submit', e => { e.preventDefault(); searchHistory(); });

async function searchHistory() {
  if (!has('history.view')) {
    replace(byId('list-history'), el('li', { class: 'list-empty' }, t('noHistoryPermission')));
    return;
  }
  const from = byId('history-from').value;
  const to = byId('history-to').value;
  try {
    const page = await api('/history', {
      query: {
        agentId: has('conversations.view-all') ? null : store.me, closed: true, pageSize: 30,
        conversationId: byId('history-id').value.trim() || null,
        from: from ? new Date(from + 'T00:00:00').toISOString() : null,
        to: to ? new Date(to + 'T23:59:59').toISOString() : null,
      },
    });
    store.history = page.items;
    await Promise.all(page.items.map(c => visitorOf(c.visitorId)));
    renderHistory();
  } catch (e) {
    replace(byId('list-history'), el('li', { class: 'list-empty error' }, e.message));
  }
}

function renderHistory() {
  replace(byId('list-history'), store.history.length ? store.history.map(c => el('li', {
    class: `item${store.viewing?.id === c.id && store.viewing.history ? ' active' : ''}`, dataset: { id: c.id },
    onclick: () => openHistory(c),
  },
  el('div', { class: 'item-avatar', 'aria-hidden': 'true' }, visitorName(c.visitorId).slice(0, 1)),
  el('div', { class: 'item-main' },
    el('div', { class: 'item-top' }, el('span', { class: 'item-name' }, visitorName(c.visitorId)), el('span', { class: 'item-time' }, new Date(c.createdAt).toLocaleDateString())),
    el('div', { class: 'item-bottom' }, el('span', { class: 'item-preview' },
      c.rating ? `${'★'.repeat(c.rating.level)} ${t('rated')}` : t('notRated'), ' · ', c.wrapUp?.submitted ? t('wrapped') : t('notWrapped'))))))
    : el('li', { class: 'list-empty' }, t('noHistory')));
}
on('viewing', () => { if (store.history.length) renderHistory(); });

async function openHistory(c) {
  const e = entry(c.id, true);
  e.c = c;
  try {
    const messages = await api(`/history/${c.id}/messages`, { query: { limit: 200 } });
    for (const m of messages) addMessage(e, m);
  } catch (err) {
    toast(err.message, true);
  }
  showConversation(e);
}

// ---- Language --------------------------------------------------------------------------------------------------

function updateLangButtons() {
  for (const b of document.querySelectorAll('.lang-toggle')) b.textContent = lang() === 'zh' ? 'EN' : '中文';
}
for (const b of document.querySelectorAll('.lang-toggle')) b.addEventListener('click', () => setLang(lang() === 'zh' ? 'en' : 'zh'));
document.addEventListener('langchange', () => {
  updateLangButtons();
  emit('conversations');
  emit('queue');
  emit('presence');
  if (store.history.length) renderHistory();
});
document.addEventListener('visibilitychange', () => emit('viewing'));

updateLangButtons();
boot();
