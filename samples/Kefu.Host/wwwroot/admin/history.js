// History (C18): search conversations by period, agent, channel, rating, state and text; read one; export.
import { api, download } from '../lib/api.js';
import { el, replace, formatTime } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { header, card, table, field, input, select, exportButtons, range, daysAgo, day, dayStart, pager, badge, describe, CHANNEL_KINDS, seconds } from './ui.js';

export const strings = {
  zh: {
    'hist.title': '历史会话', 'hist.text': '消息内容', 'hist.agent': '客服', 'hist.channel': '渠道', 'hist.rating': '评价', 'hist.state': '状态',
    'hist.closed': '已结束', 'hist.open': '进行中', 'hist.created': '开始时间', 'hist.messages': '消息数', 'hist.closeReason': '结束原因',
    'hist.conversation': '会话 ID', 'hist.pick': '选择一条会话查看聊天记录', 'hist.detail': '会话详情', 'hist.visitor': '访客', 'hist.wait': '排队时长',
    'hist.wrapUp': '服务小结', 'hist.comment': '评价留言', 'hist.recalled': '（已撤回）',
    'hist.level': '{level} 星', 'close.agentEnded': '客服结束', 'close.visitorEnded': '访客结束', 'close.visitorNoReply': '访客未回复', 'close.inactive': '无活动超时',
    'close.agentOffline': '客服离线', 'close.queueAbandoned': '排队放弃', 'close.botEnded': '机器人结束', 'sender.visitor': '访客', 'sender.agent': '客服', 'sender.bot': '机器人', 'sender.system': '系统',
  },
  en: {
    'hist.title': 'Conversation history', 'hist.text': 'Message text', 'hist.agent': 'Agent', 'hist.channel': 'Channel', 'hist.rating': 'Rating', 'hist.state': 'State',
    'hist.closed': 'Closed', 'hist.open': 'Open', 'hist.created': 'Started', 'hist.messages': 'Messages', 'hist.closeReason': 'Close reason',
    'hist.conversation': 'Conversation ID', 'hist.pick': 'Pick a conversation to read it', 'hist.detail': 'Conversation', 'hist.visitor': 'Visitor', 'hist.wait': 'Queue wait',
    'hist.wrapUp': 'Wrap-up', 'hist.comment': 'Comment', 'hist.recalled': '(recalled)',
    'hist.level': '{level} stars', 'close.agentEnded': 'Ended by the agent', 'close.visitorEnded': 'Ended by the visitor', 'close.visitorNoReply': 'Visitor silent', 'close.inactive': 'Inactive',
    'close.agentOffline': 'Agent went offline', 'close.queueAbandoned': 'Left the queue', 'close.botEnded': 'Ended by the robot', 'sender.visitor': 'Visitor', 'sender.agent': 'Agent', 'sender.bot': 'Robot', 'sender.system': 'System',
  },
};

const PAGE = 20;

export async function render(view, params, go) {
  const agents = await api('/agents').catch(() => []);
  const agentName = id => agents.find(a => a.id === id)?.name || id || '—';
  const r = range(params.from || daysAgo(6), params.to || day());
  const text = input(params.text || '', { placeholder: t('hist.text'), class: 'search-text', type: 'search' });
  const agent = select([{ value: '', label: t('common.all') }, ...agents.map(a => ({ value: a.id, label: a.name }))], params.agentId || '');
  const channel = select([{ value: '', label: t('common.all') }, ...CHANNEL_KINDS.map(k => ({ value: k, label: t(`channel.${k}`) }))], params.channelKind || '');
  const rating = select([{ value: '', label: t('common.all') }, ...[1, 2, 3, 4, 5].map(l => ({ value: String(l), label: t('hist.level', { level: l }) }))], params.ratingLevel || '');
  const state = select([{ value: '', label: t('common.all') }, { value: 'true', label: t('hist.closed') }, { value: 'false', label: t('hist.open') }], params.closed || '');
  const conversationId = input(params.conversationId || '', { placeholder: t('hist.conversation'), inputmode: 'numeric' });

  const filters = () => ({
    from: r.from.value, to: r.to.value, text: text.value.trim(), agentId: agent.value, channelKind: channel.value,
    ratingLevel: rating.value, closed: state.value, conversationId: conversationId.value.trim(),
  });
  const apiQuery = f => ({
    from: f.from ? dayStart(f.from) : '', to: f.to ? dayStart(f.to, true) : '', text: f.text, agentId: f.agentId, channelKind: f.channelKind,
    ratingLevel: f.ratingLevel, closed: f.closed, conversationId: f.conversationId,
  });
  const search = (offset = 0) => go({ ...filters(), offset, open: '' });

  const form = el('form', { class: 'toolbar', novalidate: true },
    field('common.range', r.node), field('hist.text', text, 'text'), field('hist.agent', agent, 'agentId'), field('hist.channel', channel, 'channelKind'),
    field('hist.rating', rating, 'ratingLevel'), field('hist.state', state, 'closed'), field('hist.conversation', conversationId, 'conversationId'),
    el('div', { class: 'field' }, el('label', {}, '\u00a0'), el('button', { type: 'submit', class: 'primary' }, t('common.search'))));
  form.addEventListener('submit', e => { e.preventDefault(); search(0); });

  const offset = Number(params.offset || 0);
  const list = el('div');
  const detail = el('div', { class: 'card detail' }, el('p', { class: 'muted' }, t('hist.pick')));
  const f = filters();
  view.append(header('hist.title', exportButtons((format, language) => download('/history/export', { ...apiQuery(f), format, language }))),
    card(null, form),
    el('div', { class: 'split' }, card(null, list), detail));

  try {
    const page = await api('/history', { query: { ...apiQuery(f), offset, pageSize: PAGE } });
    const rows = page.items;
    replace(list, table([
      { key: 'hist.created', value: c => formatTime(c.createdAt, true) },
      { key: 'hist.channel', value: c => t(`channel.${c.channelKind}`) },
      { key: 'hist.agent', value: c => agentName(c.agentId) },
      { key: 'hist.state', value: c => c.isClosed ? badge(t('hist.closed')) : badge(t('hist.open'), 'info') },
      { key: 'hist.messages', class: 'num', value: c => String(c.messageCount) },
      { key: 'hist.rating', value: c => c.rating ? ratingBadge(c.rating) : '—' },
      { key: 'common.actions', value: c => el('button', { type: 'button', class: 'link', onclick: () => go({ ...params, open: c.id }) }, t('common.open')) },
    ], rows, { rowClass: c => `clickable${c.id === params.open ? ' selected' : ''}` }),
    pager(page.offset, PAGE, page.total, o => search(o)));
    list.querySelectorAll('tbody tr.clickable').forEach((tr, i) => tr.addEventListener('click', e => {
      if (e.target.tagName !== 'BUTTON') go({ ...params, open: rows[i].id });
    }));
  } catch (e) {
    replace(list, el('div', { class: 'error', role: 'alert' }, describe(e)));
  }
  if (params.open) showConversation(detail, params.open, agentName);
}

function ratingBadge(rating) {
  const good = rating.level / rating.levelCount > 0.6;
  return badge(`${rating.level}/${rating.levelCount}`, good ? 'ok' : rating.level / rating.levelCount <= 0.4 ? 'bad' : 'warn');
}

async function showConversation(box, id, agentName) {
  try {
    const [c, messages] = await Promise.all([api(`/history/${id}`), api(`/history/${id}/messages`, { query: { limit: 200 } })]);
    replace(box,
      el('h3', {}, t('hist.detail')),
      el('dl', { class: 'facts' },
        el('dt', {}, t('hist.conversation')), el('dd', { class: 'mono' }, c.id),
        el('dt', {}, t('hist.visitor')), el('dd', { class: 'mono' }, c.visitorId),
        el('dt', {}, t('hist.agent')), el('dd', {}, agentName(c.agentId)),
        el('dt', {}, t('hist.created')), el('dd', {}, formatTime(c.createdAt, true)),
        el('dt', {}, t('hist.wait')), el('dd', {}, seconds(Number(c.queueWaitMilliseconds) / 1000)),
        el('dt', {}, t('hist.closeReason')), el('dd', {}, c.closeReason ? t(`close.${c.closeReason}`) : '—'),
        el('dt', {}, t('hist.rating')), el('dd', {}, c.rating ? [ratingBadge(c.rating), ' ', c.rating.comment || ''] : '—'),
        el('dt', {}, t('hist.wrapUp')), el('dd', {}, c.wrapUp?.detail || '—')),
      el('div', { class: 'transcript', dataset: { conversation: c.id } }, [...messages].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1)).map(m =>
        el('div', { class: `msg ${m.senderKind}`, dataset: { id: m.id } },
          el('div', { class: 'meta' }, `${t(`sender.${m.senderKind}`)} · ${formatTime(m.sentAt)}`),
          m.recalled ? t('hist.recalled') : m.text ?? (m.media?.name || m.kind)))));
  } catch (e) {
    replace(box, el('div', { class: 'error', role: 'alert' }, describe(e)));
  }
}
