// The workbench's state, shared by its modules, and a small event bus: modules change the store and emit; views
// listen and re-render. Ids are strings throughout.

import { api, ApiError } from '/lib/api.js';
import { maxId, idGreater } from '/lib/chat.js';
import { t } from '/lib/i18n.js';

export const store = {
  session: null,            // /auth/me: tenantId, agent, permissions
  me: '',                   // the agent's id
  settings: null,           // /workbench/settings: recallWindowSeconds, rating, additionalInfo
  colleagues: new Map(),    // agent id → display name
  presence: new Map(),      // agent id → status ('online', 'busy', 'offline' …)
  groups: [],
  conversations: new Map(), // id → entry (see entry())
  queue: [],
  history: [],              // the last history search
  viewing: null,            // the entry shown in the chat pane (open or from history)
  lastId: '0',              // the largest message id received (resume)
  visitors: new Map(),      // visitor id → Visitor (or null when not allowed)
  socket: null,
};

const bus = new EventTarget();

/** Tells the views something changed: 'conversations', 'viewing', 'messages', 'queue', 'presence', 'typing', 'assist', 'history'. */
export function emit(name, detail) {
  bus.dispatchEvent(new CustomEvent(name, { detail }));
}

export function on(name, handler) {
  bus.addEventListener(name, e => handler(e.detail));
}

/** The entry of a conversation, made on first use. */
export function entry(id, fromHistory = false) {
  let e = store.conversations.get(id);
  if (!e) {
    e = { id, c: null, messages: [], ids: new Set(), unread: 0, typing: '', assist: null, visitorReadUpTo: '0', history: fromHistory };
    if (!fromHistory) store.conversations.set(id, e);
  }
  return e;
}

/** Adds a message to its entry once, in id order; answers whether it was new. */
export function addMessage(e, m) {
  if (e.ids.has(m.id)) {
    const i = e.messages.findIndex(x => x.id === m.id);
    if (i >= 0) e.messages[i] = m;
    return false;
  }
  e.ids.add(m.id);
  let i = e.messages.length;
  while (i > 0 && idGreater(e.messages[i - 1].id, m.id)) i--;
  e.messages.splice(i, 0, m);
  if (!e.history) store.lastId = maxId(store.lastId, m.id);
  return true;
}

/** Whether a conversation belongs in the agent's list. */
export function isMine(c) {
  return c.agentId === store.me || c.pendingTransferToAgentId === store.me || c.invitingAgentId === store.me;
}

export function has(permission) {
  return store.session?.permissions?.includes(permission);
}

/** The visitor of a conversation (customers.manage), cached; null when not allowed. */
export async function visitorOf(visitorId) {
  if (store.visitors.has(visitorId)) return store.visitors.get(visitorId);
  let visitor = null;
  if (has('customers.manage')) {
    try {
      visitor = await api(`/customers/${visitorId}`);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }
  store.visitors.set(visitorId, visitor);
  return visitor;
}

/** A visitor's display name: the known name, else 访客 + the id's last digits. */
export function visitorName(visitorId) {
  const v = store.visitors.get(visitorId);
  return v?.name || t('visitorN', { n: String(visitorId).slice(-4) });
}

export function agentName(id) {
  return store.colleagues.get(id) || id;
}
