// Quality inspection (A6): flagged conversations and their reasons, inspection on demand, exports, and the rules.
import { api } from '../lib/api.js';
import { el, replace, formatTime } from '../lib/dom.js';
import { t, lang } from '../lib/i18n.js';
import { barChart } from '../lib/charts.js';
import { header, card, table, field, input, select, checkbox, button, exportButtons, range, daysAgo, day, dayStart, downloadPost, submit, tabs, pager, badge } from './ui.js';
import { objectForm } from './objform.js';

export const strings = {
  zh: {
    'qa.title': '质检', 'qa.results': '质检结果', 'qa.rules': '质检规则', 'qa.flaggedOnly': '只看需复核', 'qa.score': '得分', 'qa.flagged': '需复核',
    'qa.reasons': '原因', 'qa.inspected': '质检时间', 'qa.conversation': '会话', 'qa.agent': '客服', 'qa.inspect': '立即质检', 'qa.inspectId': '会话 ID',
    'qa.distribution': '得分分布（最近 100 条）', 'qa.ok': '正常', 'qa.inspectedOne': '会话已质检，得分 {score}',
    'f.flagBelowScore': '低于此分需复核', 'f.negativeSentiment': '负面情绪', 'f.evaluationWords': '评价词', 'f.rating': '评价', 'f.replyTiming': '回复时效',
    'f.firstResponse': '首次响应', 'f.bannedPhrases': '禁用语', 'f.visitorComplaints': '访客投诉', 'f.penalty': '扣分', 'f.alwaysFlag': '总是复核',
  },
  en: {
    'qa.title': 'Quality inspection', 'qa.results': 'Results', 'qa.rules': 'Rules', 'qa.flaggedOnly': 'Flagged only', 'qa.score': 'Score', 'qa.flagged': 'Flagged',
    'qa.reasons': 'Reasons', 'qa.inspected': 'Inspected', 'qa.conversation': 'Conversation', 'qa.agent': 'Agent', 'qa.inspect': 'Inspect now', 'qa.inspectId': 'Conversation ID',
    'qa.distribution': 'Scores (latest 100)', 'qa.ok': 'OK', 'qa.inspectedOne': 'Inspected: score {score}',
    'f.flagBelowScore': 'Flag below score', 'f.negativeSentiment': 'Negative sentiment', 'f.evaluationWords': 'Evaluation words', 'f.rating': 'Rating', 'f.replyTiming': 'Reply timing',
    'f.firstResponse': 'First response', 'f.bannedPhrases': 'Banned phrases', 'f.visitorComplaints': 'Visitor complaints', 'f.penalty': 'Penalty', 'f.alwaysFlag': 'Always flag',
  },
};

const TABS = [{ key: 'results', label: 'qa.results' }, { key: 'rules', label: 'qa.rules' }];
const PAGE = 20;

export async function render(view, params, go) {
  const tab = params.tab === 'rules' ? 'rules' : 'results';
  const body = el('div');
  view.append(header('qa.title'), tabs(TABS, tab, key => go({ tab: key })), body);
  if (tab === 'rules') await rules(body); else await results(body, params, go);
}

async function results(box, params, go) {
  const agents = await api('/agents').catch(() => []);
  const agentName = id => agents.find(a => a.id === id)?.name || id || '—';
  const r = range(params.from || daysAgo(13), params.to || day());
  const flagged = checkbox(params.flagged !== 'false');
  const agent = select([{ value: '', label: t('common.all') }, ...agents.map(a => ({ value: a.id, label: a.name }))], params.agentId || '');
  const offset = Number(params.offset || 0);
  const query = () => ({ from: dayStart(r.from.value), to: dayStart(r.to.value, true), flaggedOnly: flagged.checked, agentId: agent.value || null });
  const apply = (o = 0) => go({ from: r.from.value, to: r.to.value, flagged: String(flagged.checked), agentId: agent.value, offset: o });
  const [page, recent] = await Promise.all([
    api('/quality/inspections/search', { method: 'POST', body: { ...query(), offset, pageSize: PAGE } }),
    api('/quality/inspections/search', { method: 'POST', body: { ...query(), offset: 0, pageSize: 100 } }),
  ]);

  const inspectId = input('', { placeholder: t('qa.inspectId'), inputmode: 'numeric' });
  const inspectForm = el('form', { class: 'toolbar', novalidate: true }, field('qa.inspectId', inspectId, 'conversationId'),
    el('div', { class: 'field' }, el('label', {}, '\u00a0'), el('button', { type: 'submit', class: 'primary' }, t('qa.inspect'))), el('div', { class: 'form-error error' }));
  inspectForm.addEventListener('submit', async e => {
    e.preventDefault();
    const id = inspectId.value.trim();
    const res = await submit(inspectForm, () => api(`/quality/inspections/${encodeURIComponent(id)}`, { method: 'POST' }), null);
    if (res) replace(inspectForm.querySelector('.form-error'), el('span', { class: 'muted' }, t('qa.inspectedOne', { score: res.score })));
  });

  const buckets = [0, 20, 40, 60, 80, 100];
  box.append(
    card(null, el('div', { class: 'toolbar' }, field('common.range', r.node), field('qa.agent', agent), el('label', {}, flagged, t('qa.flaggedOnly')),
      button('common.search', () => apply(), 'primary'),
      exportButtons((format, language) => downloadPost('/quality/inspections/export', query(), { format, language })))),
    el('div', { class: 'cards' },
      card(t('qa.distribution'), barChart({ labels: buckets.slice(0, -1).map((b, i) => `${b}–${buckets[i + 1]}`), series: [{ name: t('qa.score'),
        values: buckets.slice(0, -1).map((b, i) => recent.items.filter(x => x.score >= b && (x.score < buckets[i + 1] || (i === 4 && x.score === 100))).length) }] })),
      card(t('qa.inspect'), inspectForm)),
    card(null, table([
      { key: 'qa.conversation', value: x => el('a', { href: `#/history?open=${x.conversationId}&from=${day(x.conversationCreatedAt)}&to=${day(x.closedAt || x.conversationCreatedAt)}`, class: 'mono' }, x.conversationId) },
      { key: 'qa.agent', value: x => agentName(x.agentId) },
      { key: 'qa.score', class: 'num', value: x => badge(String(x.score), x.score < 60 ? 'bad' : x.score < 80 ? 'warn' : 'ok') },
      { key: 'qa.flagged', value: x => x.flagged ? badge(t('qa.flagged'), 'bad') : badge(t('qa.ok'), 'ok') },
      { key: 'qa.reasons', value: x => el('div', {}, x.reasons.map(reason => el('div', { class: 'small' }, `−${reason.penalty} ${lang() === 'zh' ? reason.message : reason.messageEn}`))) },
      { key: 'qa.inspected', value: x => formatTime(x.inspectedAt, true) },
    ], page.items), pager(page.offset, PAGE, page.total, o => apply(o))));
}

async function rules(box) {
  const value = await api('/quality/rules');
  const form = el('form', { novalidate: true });
  const generated = objectForm(value, { hide: ['version'] });
  form.append(generated.node, el('div', { class: 'form-error error' }), el('div', { class: 'row end' }, el('button', { type: 'submit', class: 'primary' }, t('common.save'))));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const saved = await submit(form, () => api('/quality/rules', { method: 'PUT', body: generated.read() }));
    if (saved) { value.version = saved.version; }
  });
  box.append(card(null, form));
}
