// The visitor's chat widget (desktop and H5). /visitor/?tenant={id}&channel={accessCode}&entry={entry}&name={name}
// Opens (or resumes) a conversation, keeps the visitor token in localStorage, and talks over /ws/visitor.

import { api, ApiError } from '/lib/api.js';
import { el, byId, replace } from '/lib/dom.js';
import { useDictionary, t, setLang, lang } from '/lib/i18n.js';
import { LiveSocket, wsUrl, idGreater, maxId, clientId, upload, kindOf, messageBody, shortTime, protoEnum } from '/lib/chat.js';

useDictionary({
  zh: {
    title: '在线客服', send: '发送', end: '结束', rate: '评价', cancel: '取消', later: '稍后', toHuman: '转人工',
    placeholder: '请输入消息，Enter 发送', sendImage: '发送图片', sendFile: '发送文件',
    reconnecting: '连接已断开，正在重新连接…', connecting: '正在连接…',
    ended: '本次会话已结束', restart: '开始新的咨询', confirmEnd: '确定结束本次会话吗？',
    queue: '正在排队，您前面还有 {n} 人', queueFirst: '正在排队，您前面还有 0 人，马上为您接通',
    stateBot: '智能助手为您服务', stateQueued: '排队中', stateOffered: '正在为您接通客服…',
    stateInService: '客服 {name} 为您服务', stateClosed: '会话已结束', stateCreated: '正在连接…',
    agentJoined: '客服 {name} 已接入，为您服务', transferred: '已为您转接到客服 {name}',
    read: '已读', unread: '未读', recalled: '对方撤回了一条消息',
    rateTitle: '请对本次服务进行评价', commentPlaceholder: '说说您的感受（选填）', submitRating: '提交评价',
    rated: '感谢您的评价：{level}', ratingInvited: '客服邀请您对本次服务进行评价',
    missingTenant: '链接缺少 tenant 参数，无法连接客服。', openFailed: '无法连接客服：{message}', sendFailed: '发送失败：{message}',
    uploadFailed: '上传失败：{message}', blocked: '消息未发送：{message}',
    l2_1: '不满意', l2_2: '满意', l3_1: '不满意', l3_2: '一般', l3_3: '满意',
    l5_1: '非常不满意', l5_2: '不满意', l5_3: '一般', l5_4: '满意', l5_5: '非常满意',
  },
  en: {
    title: 'Customer service', send: 'Send', end: 'End', rate: 'Rate', cancel: 'Cancel', later: 'Later', toHuman: 'Talk to a person',
    placeholder: 'Type a message, Enter to send', sendImage: 'Send an image', sendFile: 'Send a file',
    reconnecting: 'Connection lost, reconnecting…', connecting: 'Connecting…',
    ended: 'This conversation has ended', restart: 'Start a new conversation', confirmEnd: 'End this conversation?',
    queue: 'In the queue: {n} ahead of you', queueFirst: 'In the queue: 0 ahead of you, connecting you shortly',
    stateBot: 'Our assistant is here to help', stateQueued: 'Waiting in the queue', stateOffered: 'Connecting you to an agent…',
    stateInService: '{name} is serving you', stateClosed: 'Conversation ended', stateCreated: 'Connecting…',
    agentJoined: '{name} joined the conversation', transferred: 'You were transferred to {name}',
    read: 'Read', unread: 'Unread', recalled: 'A message was recalled',
    rateTitle: 'How was our service?', commentPlaceholder: 'Tell us more (optional)', submitRating: 'Submit',
    rated: 'Thank you for your rating: {level}', ratingInvited: 'The agent invites you to rate this conversation',
    missingTenant: 'The link lacks the tenant parameter.', openFailed: 'Could not reach customer service: {message}', sendFailed: 'Not sent: {message}',
    uploadFailed: 'Upload failed: {message}', blocked: 'Message not sent: {message}',
    l2_1: 'Dissatisfied', l2_2: 'Satisfied', l3_1: 'Dissatisfied', l3_2: 'Neutral', l3_3: 'Satisfied',
    l5_1: 'Very dissatisfied', l5_2: 'Dissatisfied', l5_3: 'Neutral', l5_4: 'Satisfied', l5_5: 'Very satisfied',
  },
});

const params = new URLSearchParams(location.search);
const tenantId = params.get('tenant');
const storageKey = `kefu.visitor.${tenantId}`;

const ui = {
  status: byId('status'), messages: byId('messages'), queue: byId('queue-banner'), connection: byId('connection-banner'),
  input: byId('input'), send: byId('send-button'), end: byId('end-button'), rate: byId('rate-button'),
  composer: byId('composer'), ended: byId('ended'), human: byId('human-button'), lang: byId('lang-button'),
  dialog: byId('rating-dialog'), levels: byId('rating-levels'), tags: byId('rating-tags'), comment: byId('rating-comment'),
  ratingSubmit: byId('rating-submit'), ratingError: byId('rating-error'), confirmEnd: byId('confirm-end'),
};

const state = {
  token: null,
  conversation: null,      // the visitor's view: id, state, agentName, queuePosition, ratingInvited, rating …
  settings: null,          // { rating: { levels, tagsByLevel, commentEnabled }, additionalInfo }
  lastId: '0',             // the largest message id shown (resume)
  shown: new Map(),        // message id → bubble row
  pending: new Map(),      // clientMessageId → bubble row, until the message frame arrives
  agentReadUpTo: '0',
  ratingPrompted: false,
  socket: null,
  readSent: '0',
};

// ---- Conversation ----------------------------------------------------------------------------------------------

async function start() {
  if (!tenantId) return fatal(t('missingTenant'));
  const saved = load();
  try {
    if (saved) {
      state.token = saved.token;
      try {
        state.conversation = await api(`/visitor/conversations/${saved.conversationId}`, { visitorToken: saved.token });
      } catch (e) {
        if (!(e instanceof ApiError) || (e.status !== 401 && e.status !== 404)) throw e;
        state.token = null;
      }
    }
    if (!state.conversation) await open();
    state.settings = await api('/visitor/settings', { visitorToken: state.token }).catch(() => null);
  } catch (e) {
    return fatal(t('openFailed', { message: e.message }));
  }
  applyConversation(state.conversation);
  connect();
  recordPage();
}

async function open() {
  const body = {
    tenantId,
    visitor: params.get('name') ? { name: params.get('name') } : null,
    channelKind: params.get('kind') || (matchMedia('(max-width: 600px)').matches ? 'h5' : 'web'),
    channelAccessCode: params.get('channel') || null,
    entry: params.get('entry') || null,
    groupId: params.get('group') || null,
  };
  const session = await api('/visitor/conversations', { method: 'POST', body, visitorToken: state.token || undefined });
  state.token = session.token;
  state.conversation = session.conversation;
  localStorage.setItem(storageKey, JSON.stringify({ token: session.token, conversationId: session.conversation.id }));
}

function load() {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey) || 'null');
    return saved?.token && saved?.conversationId ? saved : null;
  } catch {
    return null;
  }
}

async function restart() {
  state.socket?.stop();
  state.conversation = null;
  state.lastId = '0';
  state.readSent = '0';
  state.agentReadUpTo = '0';
  state.ratingPrompted = false;
  state.shown.clear();
  state.pending.clear();
  replace(ui.messages);
  try {
    await open();
  } catch (e) {
    return fatal(t('openFailed', { message: e.message }));
  }
  applyConversation(state.conversation);
  connect();
}

function recordPage() {
  const referrer = params.get('page');
  if (referrer) api('/visitor/pages', { method: 'POST', body: { url: referrer, title: params.get('pageTitle') || null }, visitorToken: state.token }).catch(() => {});
}

// ---- Real time -------------------------------------------------------------------------------------------------

function connect() {
  const conversationId = state.conversation.id;
  state.socket = new LiveSocket(
    () => wsUrl('/ws/visitor', { token: state.token, conversationId, lastMessageId: state.lastId }),
    {
      onFrame,
      onStatus: s => ui.connection.classList.toggle('hidden', s !== 'closed' || state.conversation?.state === 'closed'),
    }).start();
}

function onFrame(frame) {
  switch (frame.type) {
    case 'hello':
      applyConversation(frame.conversation);
      break;
    case 'message':
      showMessage(frame.message);
      break;
    case 'synced':
      markRead();
      break;
    case 'ack':
      if (frame.result?.notice && frame.result.messageId === '0') notice(t('blocked', { message: frame.result.notice }), 'error');
      break;
    case 'error':
      notice(t('sendFailed', { message: frame.detail || frame.title }), 'error');
      break;
    case 'event':
      onEvent(frame);
      break;
  }
}

function onEvent(frame) {
  const data = frame.data || {};
  switch (frame.name) {
    case 'queuePosition':
      if (state.conversation) applyConversation({ ...state.conversation, queuePosition: data.position });
      break;
    case 'messagesRead':
      if (protoEnum(data.readerKind, 'PARTICIPANT_KIND_') === 'agent') {
        state.agentReadUpTo = maxId(state.agentReadUpTo, data.upToMessageId);
        refreshReceipts();
      }
      break;
    case 'messageRecalled':
      recall(data.messageId);
      break;
    default:
      if (frame.conversation) {
        const before = state.conversation;
        applyConversation(frame.conversation);
        announce(frame.name, before, frame.conversation);
      }
  }
}

/** A line in the chat for what changed (agent joined, transferred, rating invited). */
function announce(name, before, after) {
  if (name === 'sessionAssigned' && after.agentName) notice(t('agentJoined', { name: after.agentName }));
  else if (name === 'sessionTransferred' && after.agentName && after.agentId !== before?.agentId) notice(t('transferred', { name: after.agentName }));
  else if (name === 'ratingInvited') notice(t('ratingInvited'));
  if ((name === 'ratingInvited' || name === 'sessionClosed') && !after.rating && after.agentId) promptRating();
  if (name === 'ratingSubmitted' && after.rating) showRated(after.rating);
}

function applyConversation(c) {
  state.conversation = c;
  state.agentReadUpTo = maxId(state.agentReadUpTo, c.agentReadUpToMessageId);
  const closed = c.state === 'closed';
  const status = {
    bot: t('stateBot'), queued: t('stateQueued'), offered: t('stateOffered'), closed: t('stateClosed'), created: t('stateCreated'),
    inService: t('stateInService', { name: c.agentName || '' }),
  }[c.state] || '';
  ui.status.textContent = status;
  ui.status.dataset.state = c.state;

  const queued = c.state === 'queued' && c.queuePosition != null;
  ui.queue.classList.toggle('hidden', !queued);
  if (queued) {
    const ahead = Math.max(0, c.queuePosition - 1);
    ui.queue.textContent = ahead === 0 ? t('queueFirst') : t('queue', { n: ahead });
    ui.queue.dataset.position = String(c.queuePosition);
  }

  ui.human.classList.toggle('hidden', c.state !== 'bot');
  ui.composer.classList.toggle('hidden', closed);
  ui.ended.classList.toggle('hidden', !closed);
  ui.end.disabled = closed;
  ui.rate.classList.toggle('hidden', !(c.agentId && !c.rating && (c.ratingInvited || closed)));
  if (closed) {
    ui.connection.classList.add('hidden');
    if (!c.rating && c.agentId) promptRating();
  }
  refreshReceipts();
}

// ---- Messages --------------------------------------------------------------------------------------------------

function showMessage(m) {
  if (state.shown.has(m.id)) return;
  const mine = m.senderKind === 'visitor';
  let row = mine && m.clientMessageId ? state.pending.get(m.clientMessageId) : null;
  if (row) {
    state.pending.delete(m.clientMessageId);
    row.classList.remove('pending');
    replace(row.querySelector('.bubble'), messageBody(m));
  } else {
    row = buildRow(m);
    ui.messages.append(row);
  }
  row.dataset.id = m.id;
  state.shown.set(m.id, row);
  state.lastId = maxId(state.lastId, m.id);
  refreshReceipts();
  scrollDown();
  if (!mine) markRead();
}

function buildRow(m) {
  if (m.kind === 'systemNotice' || m.senderKind === 'system') {
    return el('div', { class: 'row system', dataset: { id: m.id || '' } }, el('span', { class: 'notice' }, m.text ?? ''));
  }
  const mine = m.senderKind === 'visitor';
  const sender = { agent: state.conversation?.agentName || t('title'), bot: '小K', visitor: '' }[m.senderKind] ?? '';
  return el('div', { class: `row ${mine ? 'mine' : 'theirs'} from-${m.senderKind}` },
    mine ? null : el('div', { class: 'sender' }, sender),
    el('div', { class: 'bubble' }, messageBody(m, { onMenu: item => sendText(item), recalledText: t('recalled') })),
    el('div', { class: 'meta' }, el('span', { class: 'time' }, shortTime(m.sentAt)), mine ? el('span', { class: 'receipt' }) : null));
}

function recall(messageId) {
  const row = state.shown.get(messageId);
  if (!row) return;
  row.className = 'row system';
  replace(row, el('span', { class: 'notice' }, t('recalled')));
}

function refreshReceipts() {
  const serving = !!state.conversation?.agentId;
  for (const [id, row] of state.shown) {
    const receipt = row.querySelector('.receipt');
    if (!receipt) continue;
    const read = !idGreater(id, state.agentReadUpTo);
    receipt.textContent = serving ? (read ? t('read') : t('unread')) : '';
    receipt.classList.toggle('read', read);
  }
}

function notice(text, kind = '') {
  ui.messages.append(el('div', { class: `row system ${kind}` }, el('span', { class: 'notice' }, text)));
  scrollDown();
}

function scrollDown() {
  ui.messages.scrollTop = ui.messages.scrollHeight;
}

/** Tells the agent what the visitor has seen (read receipts), once per new id. */
function markRead() {
  if (document.visibilityState !== 'visible' || !idGreater(state.lastId, state.readSent)) return;
  if (state.socket?.send({ type: 'read', upToMessageId: state.lastId })) state.readSent = state.lastId;
}

// ---- Sending ---------------------------------------------------------------------------------------------------

async function sendText(text) {
  text = text.trim();
  if (!text || !state.conversation) return;
  const id = clientId();
  const row = buildRow({ senderKind: 'visitor', kind: 'text', text, sentAt: new Date().toISOString() });
  row.classList.add('pending');
  state.pending.set(id, row);
  ui.messages.append(row);
  scrollDown();
  if (state.socket?.send({ type: 'send', text, clientMessageId: id })) return;
  try {
    await api(`/visitor/conversations/${state.conversation.id}/messages`, { method: 'POST', body: { text, clientMessageId: id }, visitorToken: state.token });
  } catch (e) {
    row.classList.add('failed');
    notice(t('sendFailed', { message: e.message }), 'error');
  }
}

async function sendFile(file) {
  if (!file || !state.conversation) return;
  try {
    const media = await upload(file, state.token);
    await api(`/visitor/conversations/${state.conversation.id}/messages`, {
      method: 'POST', body: { kind: kindOf(media), media, text: null, clientMessageId: clientId() }, visitorToken: state.token,
    });
  } catch (e) {
    notice(t('uploadFailed', { message: e.message }), 'error');
  }
}

let typingTimer = null;
let typingSentAt = 0;
/** The typing preview: at most every 400 ms, and once more when the input settles. */
function typing() {
  clearTimeout(typingTimer);
  const now = Date.now();
  const push = () => { typingSentAt = Date.now(); state.socket?.send({ type: 'typing', text: ui.input.value }); };
  if (now - typingSentAt > 400) push();
  else typingTimer = setTimeout(push, 400);
}

function submitInput() {
  const text = ui.input.value;
  ui.input.value = '';
  sendText(text);
  typing();
}

// ---- Rating ----------------------------------------------------------------------------------------------------

let chosenLevel = 0;
const chosenTags = new Set();

function promptRating() {
  if (state.ratingPrompted || ui.dialog.open) return;
  state.ratingPrompted = true;
  openRating();
}

function openRating() {
  const levels = state.settings?.rating?.levels || 5;
  chosenLevel = 0;
  chosenTags.clear();
  ui.comment.value = '';
  ui.comment.classList.toggle('hidden', state.settings?.rating?.commentEnabled === false);
  ui.ratingError.textContent = '';
  ui.ratingSubmit.disabled = true;
  replace(ui.levels, ...Array.from({ length: levels }, (_, i) => levels - i).map(level =>
    el('button', { type: 'button', class: 'level', role: 'radio', 'aria-checked': 'false', dataset: { level: String(level) }, onclick: () => chooseLevel(level) },
      el('span', { class: 'stars', 'aria-hidden': 'true' }, '★'.repeat(levels === 5 ? level : Math.round(level * 5 / levels))),
      el('span', {}, levelName(level, levels)))));
  replace(ui.tags);
  if (!ui.dialog.open) ui.dialog.showModal();
}

function chooseLevel(level) {
  chosenLevel = level;
  chosenTags.clear();
  for (const b of ui.levels.children) {
    const on = b.dataset.level === String(level);
    b.classList.toggle('selected', on);
    b.setAttribute('aria-checked', String(on));
  }
  const tags = state.settings?.rating?.tagsByLevel?.[level - 1] || [];
  replace(ui.tags, tags.map(tag => el('button', {
    type: 'button', class: 'tag', onclick: e => toggleTag(e.currentTarget, tag),
  }, tag)));
  ui.ratingSubmit.disabled = false;
}

function toggleTag(button, tag) {
  if (chosenTags.has(tag)) chosenTags.delete(tag); else chosenTags.add(tag);
  button.classList.toggle('selected', chosenTags.has(tag));
}

function levelName(level, levels) {
  return t(`l${levels}_${level}`);
}

async function submitRating(event) {
  event.preventDefault();
  if (!chosenLevel) return;
  ui.ratingSubmit.disabled = true;
  try {
    const c = await api(`/visitor/conversations/${state.conversation.id}/rating`, {
      method: 'POST', visitorToken: state.token,
      body: { level: chosenLevel, tags: [...chosenTags], comment: ui.comment.value.trim() || null },
    });
    ui.dialog.close();
    applyConversation(c);
    showRated(c.rating);
  } catch (e) {
    ui.ratingError.textContent = e.message;
    ui.ratingSubmit.disabled = false;
  }
}

function showRated(rating) {
  if (document.getElementById('rating-result')) return;
  const text = t('rated', { level: levelName(rating.level, rating.levelCount) });
  ui.messages.append(el('div', { class: 'row system', id: 'rating-result', dataset: { level: String(rating.level) } },
    el('span', { class: 'notice rated' }, text)));
  scrollDown();
}

// ---- Wiring ----------------------------------------------------------------------------------------------------

function fatal(text) {
  replace(ui.messages, el('div', { class: 'row system error' }, el('span', { class: 'notice' }, text)));
  ui.composer.classList.add('hidden');
  ui.end.disabled = true;
}

function updateLangButton() {
  ui.lang.textContent = lang() === 'zh' ? 'EN' : '中文';
}

ui.send.addEventListener('click', submitInput);
ui.input.addEventListener('keydown', e => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); submitInput(); }
});
ui.input.addEventListener('input', typing);
ui.human.addEventListener('click', () => sendText('转人工'));
for (const id of ['image-input', 'file-input']) {
  byId(id).addEventListener('change', e => { sendFile(e.target.files[0]); e.target.value = ''; });
}
ui.end.addEventListener('click', () => ui.confirmEnd.showModal());
ui.confirmEnd.addEventListener('close', async () => {
  if (ui.confirmEnd.returnValue !== 'ok' || !state.conversation) return;
  try {
    applyConversation(await api(`/visitor/conversations/${state.conversation.id}/end`, { method: 'POST', visitorToken: state.token }));
  } catch (e) {
    notice(e.message, 'error');
  }
});
ui.rate.addEventListener('click', openRating);
byId('rating-form').addEventListener('submit', submitRating);
byId('rating-cancel').addEventListener('click', () => ui.dialog.close());
byId('restart-button').addEventListener('click', restart);
ui.lang.addEventListener('click', () => setLang(lang() === 'zh' ? 'en' : 'zh'));
document.addEventListener('langchange', () => {
  updateLangButton();
  if (state.conversation) applyConversation(state.conversation);
});
document.addEventListener('visibilitychange', markRead);
updateLangButton();
start();
