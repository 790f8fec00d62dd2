// Reports: custom reports (P1: metrics × up to two dimensions over a period, saved by name), workload (P3),
// visitors by channel (P4) and call/video statistics (P5–P6), each with charts and CSV/xlsx exports (P7).
import { api, download } from '../lib/api.js';
import { el, replace } from '../lib/dom.js';
import { t, lang } from '../lib/i18n.js';
import { lineChart, barChart, pieChart } from '../lib/charts.js';
import { header, card, table, field, input, select, checkbox, button, exportButtons, range, daysAgo, day, dayStart, utcOffsetMinutes, tabs, submit, attempt, downloadPost, seconds, percent, confirmed } from './ui.js';

export const strings = {
  zh: {
    'rep.title': '报表', 'rep.custom': '自定义报表', 'rep.workload': '工作量', 'rep.channels': '访客来源', 'rep.calls': '音视频统计',
    'rep.metrics': '指标（最多 10 个）', 'rep.dimensions': '维度（最多 2 个）', 'rep.granularity': '时间粒度', 'rep.run': '运行', 'rep.saveAs': '保存为', 'rep.save': '保存报表',
    'rep.saved': '已保存的报表', 'rep.days': '天数', 'rep.none': '无', 'rep.result': '结果', 'rep.bucket': '时间',
    'dim.agent': '客服', 'dim.visitorTag': '访客标签', 'dim.channelKind': '渠道', 'dim.association': '关联', 'dim.conversationType': '会话类型', 'dim.validity': '有效性',
    'gran.none': '不分', 'gran.hour': '小时', 'gran.day': '天', 'gran.week': '周', 'gran.month': '月',
    'wl.agent': '客服', 'wl.conversations': '会话数', 'wl.messages': '消息数', 'wl.durationAvg': '平均时长', 'wl.durationMax': '最长时长', 'wl.mpcAvg': '平均消息/会话',
    'ch.visitors': '访客数', 'ch.share': '占比', 'ch.channel': '渠道', 'ch.trend': '各渠道访客趋势', 'ch.total': '访客总数：{n}',
    'call.media': '媒体', 'call.voice': '语音', 'call.video': '视频', 'call.slots': '时段', 'call.slot': '时段', 'call.requests': '请求', 'call.connected': '接通',
    'call.connectRate': '接通率', 'call.abandoned': '放弃', 'call.waitAvg': '平均等待', 'call.talkAvg': '平均通话', 'call.agents': '客服通话工作量',
    'call.customerEnded': '客户挂断', 'call.talkTime': '通话时长', 'call.loginTime': '在线时长',
  },
  en: {
    'rep.title': 'Reports', 'rep.custom': 'Custom reports', 'rep.workload': 'Workload', 'rep.channels': 'Visitors by channel', 'rep.calls': 'Voice & video',
    'rep.metrics': 'Metrics (up to 10)', 'rep.dimensions': 'Dimensions (up to 2)', 'rep.granularity': 'Time buckets', 'rep.run': 'Run', 'rep.saveAs': 'Save as', 'rep.save': 'Save report',
    'rep.saved': 'Saved reports', 'rep.days': 'Days', 'rep.none': 'None', 'rep.result': 'Result', 'rep.bucket': 'Time',
    'dim.agent': 'Agent', 'dim.visitorTag': 'Visitor tag', 'dim.channelKind': 'Channel', 'dim.association': 'Association', 'dim.conversationType': 'Conversation type', 'dim.validity': 'Validity',
    'gran.none': 'None', 'gran.hour': 'Hour', 'gran.day': 'Day', 'gran.week': 'Week', 'gran.month': 'Month',
    'wl.agent': 'Agent', 'wl.conversations': 'Conversations', 'wl.messages': 'Messages', 'wl.durationAvg': 'Avg duration', 'wl.durationMax': 'Longest', 'wl.mpcAvg': 'Avg messages/conv.',
    'ch.visitors': 'Visitors', 'ch.share': 'Share', 'ch.channel': 'Channel', 'ch.trend': 'Visitors by channel per day', 'ch.total': 'Visitors in all: {n}',
    'call.media': 'Media', 'call.voice': 'Voice', 'call.video': 'Video', 'call.slots': 'Slots', 'call.slot': 'Slot', 'call.requests': 'Requests', 'call.connected': 'Connected',
    'call.connectRate': 'Connect rate', 'call.abandoned': 'Abandoned', 'call.waitAvg': 'Avg wait', 'call.talkAvg': 'Avg talk', 'call.agents': 'Agents\u2019 call workload',
    'call.customerEnded': 'Ended by customer', 'call.talkTime': 'Talk time', 'call.loginTime': 'Logged in',
  },
};

const DIMENSIONS = ['agent', 'visitorTag', 'channelKind', 'association', 'conversationType', 'validity'];
const GRANULARITIES = ['none', 'hour', 'day', 'week', 'month'];
const TABS = [
  { key: 'custom', label: 'rep.custom' }, { key: 'workload', label: 'rep.workload' },
  { key: 'channels', label: 'rep.channels' }, { key: 'calls', label: 'rep.calls' },
];

/** The browser's UTC offset as a .NET TimeSpan ("08:00:00", "-05:00:00"). */
function offsetSpan() {
  const m = utcOffsetMinutes();
  const a = Math.abs(m);
  return `${m < 0 ? '-' : ''}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}:00`;
}

export async function render(view, params, go) {
  const tab = TABS.some(x => x.key === params.tab) ? params.tab : 'custom';
  const body = el('div');
  view.append(header('rep.title'), tabs(TABS, tab, key => go({ tab: key })), body);
  await { custom, workload, channels, calls }[tab](body);
}

async function custom(box) {
  const [metrics, saved] = await Promise.all([api('/reports/metrics'), api('/reports/saved')]);
  const name = m => (lang() === 'zh' ? m.chineseName : m.englishName);
  const picks = metrics.map(m => ({ m, box: checkbox(['conversations', 'messages', 'first_response_avg'].includes(m.id), { value: m.id }) }));
  const picker = el('div', { class: 'metric-picker' }, picks.map(p => el('label', { title: p.m.definition }, p.box, name(p.m))));
  const dimOptions = [{ value: '', label: t('rep.none') }, ...DIMENSIONS.map(d => ({ value: d, label: t(`dim.${d}`) }))];
  const dim1 = select(dimOptions, '');
  const dim2 = select(dimOptions, '');
  const gran = select(GRANULARITIES.map(g => ({ value: g, label: t(`gran.${g}`) })), 'day');
  const r = range(daysAgo(6), day());
  const reportName = input('', { placeholder: t('rep.saveAs'), maxlength: 50 });
  const result = el('div');
  const savedBox = el('div');

  const definition = () => ({
    metrics: picks.filter(p => p.box.checked).map(p => p.m.id),
    dimensions: [dim1.value, dim2.value].filter(Boolean),
    granularity: gran.value,
  });
  const query = () => ({ ...definition(), from: dayStart(r.from.value), to: dayStart(r.to.value, true), utcOffset: offsetSpan() });
  const form = el('form', { novalidate: true },
    field('rep.metrics', picker, 'metrics'),
    el('div', { class: 'toolbar' },
      field('common.range', r.node, 'from'), field('rep.dimensions', el('span', { class: 'row' }, dim1, dim2), 'dimensions'), field('rep.granularity', gran, 'granularity'),
      el('div', { class: 'field' }, el('label', {}, '\u00a0'), el('span', { class: 'row' },
        el('button', { type: 'submit', class: 'primary' }, t('rep.run')),
        exportButtons((format, language) => downloadPost('/reports/export', query(), { format, language }))))),
    el('div', { class: 'toolbar' }, field('rep.saveAs', reportName, 'name'),
      el('div', { class: 'field' }, el('label', {}, '\u00a0'), button('rep.save', () => save()))),
    el('div', { class: 'form-error error' }));
  const run = async () => {
    const data = await submit(form, () => api('/reports/run', { method: 'POST', body: query() }), null);
    if (data) replace(result, reportView(data, name));
  };
  form.addEventListener('submit', e => { e.preventDefault(); run(); });

  async function save() {
    const days = Math.max(1, Math.round((new Date(r.to.value) - new Date(r.from.value)) / 86_400_000) + 1);
    const existing = saved.find(s => s.definition.name === reportName.value.trim());
    const ok = await submit(form, () => api('/reports/saved', {
      method: 'POST', body: { ...definition(), name: reportName.value.trim(), days }, query: { expectedVersion: existing?.version ?? 0 },
    }));
    if (ok) { saved.splice(0, saved.length, ...await api('/reports/saved')); showSaved(); }
  }

  function showSaved() {
    replace(savedBox, table([
      { key: 'common.name', value: s => s.definition.name },
      { key: 'rep.metrics', value: s => s.definition.metrics.map(id => name(metrics.find(m => m.id === id) || { chineseName: id, englishName: id })).join('、') },
      { key: 'rep.dimensions', value: s => s.definition.dimensions.map(d => t(`dim.${d}`)).join(' × ') || '—' },
      { key: 'rep.days', class: 'num', value: s => String(s.definition.days) },
      { key: 'common.actions', value: s => el('span', { class: 'row' },
        button('rep.run', () => attempt(async () => replace(result, reportView(await api(`/reports/saved/${encodeURIComponent(s.definition.name)}/run`), name))), 'link'),
        button('common.exportCsv', () => attempt(() => download(`/reports/saved/${encodeURIComponent(s.definition.name)}/export`, { format: 'csv', language: lang() })), 'link'),
        button('common.exportXlsx', () => attempt(() => download(`/reports/saved/${encodeURIComponent(s.definition.name)}/export`, { format: 'xlsx', language: lang() })), 'link'),
        button('common.delete', async () => {
          if (!confirmed('common.confirmDelete', { name: s.definition.name })) return;
          await attempt(() => api(`/reports/saved/${encodeURIComponent(s.definition.name)}`, { method: 'DELETE', query: { version: s.version } }), 'common.deleted');
          saved.splice(0, saved.length, ...await api('/reports/saved'));
          showSaved();
        }, 'link danger')) },
    ], saved));
  }
  showSaved();
  replace(box, card(t('rep.custom'), form), card(t('rep.result'), result), card(t('rep.saved'), savedBox));
  await run();
}

/** A report result as a chart (lines over time, else grouped bars) and a table. */
function reportView(data, name) {
  const metricNames = data.metrics.map(name);
  const rowLabel = row => [...row.dimensionValues, row.bucketStart ? bucket(row.bucketStart, data.granularity) : null].filter(Boolean).join(' · ') || t('common.all');
  let chart;
  if (data.granularity !== 'none' && data.rows.length) {
    const buckets = [...new Set(data.rows.map(r => r.bucketStart))].sort();
    const labels = buckets.map(b => bucket(b, data.granularity));
    if (!data.dimensions.length) {
      chart = lineChart({ labels, series: metricNames.map((n, i) => ({ name: n, values: buckets.map(b => data.rows.find(r => r.bucketStart === b)?.values[i] ?? null) })) });
    } else {
      const keys = [...new Set(data.rows.map(r => r.dimensionValues.join(' · ')))].slice(0, 8);
      chart = lineChart({ labels, series: keys.map(k => ({ name: `${k}`, values: buckets.map(b => data.rows.find(r => r.bucketStart === b && r.dimensionValues.join(' · ') === k)?.values[0] ?? null) })) });
    }
  } else {
    chart = barChart({ labels: data.rows.map(rowLabel), series: metricNames.map((n, i) => ({ name: n, values: data.rows.map(r => r.values[i] ?? 0) })) });
  }
  return el('div', {}, chart, table([
    ...data.dimensions.map((d, i) => ({ key: `dim.${d}`, value: r => r.dimensionValues[i] })),
    ...(data.granularity !== 'none' ? [{ key: 'rep.bucket', value: r => bucket(r.bucketStart, data.granularity) }] : []),
    ...data.metrics.map((m, i) => ({ key: name(m), class: 'num', value: r => format(r.values[i], m.unit) })),
  ], data.rows));
}

function bucket(iso, granularity) {
  if (!iso) return '';
  const d = new Date(iso);
  return granularity === 'hour' ? `${day(d).slice(5)} ${String(d.getHours()).padStart(2, '0')}:00` : granularity === 'month' ? day(d).slice(0, 7) : day(d).slice(5);
}

function format(v, unit) {
  if (v === null || v === undefined) return '—';
  if (unit === 'seconds') return seconds(v);
  if (unit === 'ratio' || unit === 'share' || unit === 'percent') return percent(v);
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

async function workload(box) {
  const r = range(daysAgo(6), day());
  const out = el('div');
  const query = () => ({ from: r.from.value, to: r.to.value, utcOffsetMinutes: utcOffsetMinutes() });
  const load = () => attempt(async () => {
    const rows = await api('/reports/workload', { query: query() });
    replace(out, el('div', { class: 'cards' },
      card(t('wl.conversations'), barChart({ labels: rows.map(x => x.name), series: [
        { name: t('wl.conversations'), values: rows.map(x => Number(x.conversations)) }, { name: t('wl.messages'), values: rows.map(x => Number(x.messages)) }] })),
      card(t('wl.durationAvg'), barChart({ labels: rows.map(x => x.name), series: [{ name: t('wl.durationAvg'), values: rows.map(x => x.durationAverage) }], yFormat: seconds }))),
    card(null, table([
      { key: 'wl.agent', value: x => x.name }, { key: 'wl.conversations', class: 'num', value: x => x.conversations }, { key: 'wl.messages', class: 'num', value: x => x.messages },
      { key: 'wl.durationAvg', class: 'num', value: x => seconds(x.durationAverage) }, { key: 'wl.durationMax', class: 'num', value: x => seconds(x.durationMax) },
      { key: 'wl.mpcAvg', class: 'num', value: x => x.messagesPerConversationAverage.toFixed(1) },
    ], rows)));
  });
  replace(box, card(null, el('div', { class: 'toolbar' }, r.node, button('common.search', load, 'primary'),
    exportButtons((format, language) => download('/reports/workload/export', { ...query(), format, language })))), out);
  await load();
}

async function channels(box) {
  const r = range(daysAgo(13), day());
  const out = el('div');
  const query = () => ({ from: r.from.value, to: r.to.value, utcOffsetMinutes: utcOffsetMinutes() });
  const load = () => attempt(async () => {
    const s = await api('/reports/visitors-by-channel', { query: query() });
    const days = [...new Set(s.trend.map(x => x.day))].sort();
    const kinds = s.channels.map(c => c.channelKind);
    replace(out, el('div', { class: 'cards' },
      card(t('ch.total', { n: s.visitors }), pieChart({ items: s.channels.map(c => ({ label: t(`channel.${c.channelKind}`), value: Number(c.visitors) })) })),
      card(t('ch.trend'), lineChart({ labels: days.map(d => d.slice(5)), series: kinds.map(k => ({
        name: t(`channel.${k}`), values: days.map(d => Number(s.trend.find(x => x.day === d && x.channelKind === k)?.visitors ?? 0)) })) }))),
    card(null, table([
      { key: 'ch.channel', value: c => t(`channel.${c.channelKind}`) }, { key: 'ch.visitors', class: 'num', value: c => c.visitors }, { key: 'ch.share', class: 'num', value: c => percent(c.share) },
    ], s.channels)));
  });
  replace(box, card(null, el('div', { class: 'toolbar' }, r.node, button('common.search', load, 'primary'),
    exportButtons((format, language) => download('/reports/visitors-by-channel/export', { ...query(), format, language })))), out);
  await load();
}

async function calls(box) {
  const r = range(daysAgo(6), day());
  const media = select([{ value: 'video', label: t('call.video') }, { value: 'voice', label: t('call.voice') }], 'video');
  const out = el('div');
  const slotQuery = () => ({ media: media.value, from: r.from.value, to: r.to.value, slots: 24, utcOffset: offsetSpan() });
  const workQuery = () => ({ media: media.value, from: dayStart(r.from.value), to: dayStart(r.to.value, true) });
  const load = () => attempt(async () => {
    const [slots, agents] = await Promise.all([
      api('/reports/calls/slots', { method: 'POST', body: slotQuery() }),
      api('/reports/calls/workload', { method: 'POST', body: workQuery() }),
    ]);
    replace(out,
      card(t('call.slots'), barChart({ labels: slots.map(s => s.start.slice(0, 5)), series: [
        { name: t('call.requests'), values: slots.map(s => Number(s.requests)) }, { name: t('call.connected'), values: slots.map(s => Number(s.connected)) },
        { name: t('call.abandoned'), values: slots.map(s => Number(s.abandoned)) }] }),
      table([
        { key: 'call.slot', value: s => s.start.slice(0, 5) }, { key: 'call.requests', class: 'num', value: s => s.requests }, { key: 'call.connected', class: 'num', value: s => s.connected },
        { key: 'call.connectRate', class: 'num', value: s => percent(s.connectRate) }, { key: 'call.abandoned', class: 'num', value: s => s.abandoned },
        { key: 'call.waitAvg', class: 'num', value: s => seconds(s.waitAverage) }, { key: 'call.talkAvg', class: 'num', value: s => seconds(s.talkAverage) },
      ], slots.filter(s => Number(s.requests) > 0)),
      el('div', { class: 'row end' }, exportButtons((format, language) => downloadPost('/reports/calls/slots/export', slotQuery(), { format, language })))),
      card(t('call.agents'), table([
        { key: 'wl.agent', value: a => a.name || a.agentId }, { key: 'call.customerEnded', class: 'num', value: a => a.customerEnded },
        { key: 'call.talkTime', class: 'num', value: a => seconds(a.talkTime) }, { key: 'call.talkAvg', class: 'num', value: a => seconds(a.talkAverage) },
        { key: 'call.loginTime', class: 'num', value: a => seconds(a.loginTime) },
      ], agents),
      el('div', { class: 'row end' }, exportButtons((format, language) => downloadPost('/reports/calls/workload/export', workQuery(), { format, language })))));
  });
  replace(box, card(null, el('div', { class: 'toolbar' }, field('call.media', media), r.node, button('common.search', load, 'primary'))), out);
  await load();
}

