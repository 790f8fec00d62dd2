// Today (P2): live in service and queued, today's figures, the two-week trend and the daily report.
import { api, download } from '../lib/api.js';
import { el, replace } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { lineChart } from '../lib/charts.js';
import { header, card, stat, table, exportButtons, range, daysAgo, day, utcOffsetMinutes, seconds, percent, button, attempt } from './ui.js';

export const strings = {
  zh: {
    'dash.title': '今日概览', 'dash.inService': '服务中', 'dash.queued': '排队中', 'dash.visits': '访问量', 'dash.visitors': '访客数',
    'dash.accepted': '已接入会话', 'dash.visitorsAccepted': '已接入访客', 'dash.notAccepted': '未接入', 'dash.abandoned': '排队放弃',
    'dash.agentsServing': '接待客服', 'dash.perAgent': '人均接待', 'dash.firstResponse': '平均首次响应', 'dash.duration': '平均会话时长',
    'dash.positive': '好评率', 'dash.trend': '近两周趋势', 'dash.speed': '响应与时长（秒）', 'dash.daily': '每日报表', 'dash.updated': '更新于 {time}，每 30 秒刷新',
  },
  en: {
    'dash.title': 'Today', 'dash.inService': 'In service', 'dash.queued': 'Queued', 'dash.visits': 'Visits', 'dash.visitors': 'Visitors',
    'dash.accepted': 'Conversations accepted', 'dash.visitorsAccepted': 'Visitors accepted', 'dash.notAccepted': 'Not accepted', 'dash.abandoned': 'Left the queue',
    'dash.agentsServing': 'Agents serving', 'dash.perAgent': 'Per agent', 'dash.firstResponse': 'Avg first response', 'dash.duration': 'Avg duration',
    'dash.positive': 'Positive ratings', 'dash.trend': 'Last two weeks', 'dash.speed': 'Response and duration (s)', 'dash.daily': 'Daily report', 'dash.updated': 'Updated {time}, refreshed every 30 s',
  },
};

/** The figures of a day as stat tiles (shared with the daily table's columns). */
const FIGURES = [
  ['visits', 'dash.visits'], ['visitors', 'dash.visitors'], ['conversationsAccepted', 'dash.accepted'], ['visitorsAccepted', 'dash.visitorsAccepted'],
  ['notAccepted', 'dash.notAccepted'], ['queueAbandoned', 'dash.abandoned'], ['agentsServing', 'dash.agentsServing'],
];

export async function render(view) {
  const live = el('div');
  const daily = el('div');
  view.append(header('dash.title', button('common.refresh', () => refresh())), live, daily);

  async function refresh() {
    const today = await api('/reports/today', { query: { utcOffsetMinutes: utcOffsetMinutes() } });
    replace(live, renderToday(today));
  }
  await refresh();
  renderDaily(daily);

  const timer = setInterval(() => {
    if (!view.isConnected) { clearInterval(timer); return; }
    attempt(refresh);
  }, 30_000);
}

function renderToday(d) {
  const f = d.today;
  const trend = d.trend || [];
  const labels = trend.map(x => x.day.slice(5));
  return el('div', {},
    el('div', { class: 'stats' },
      el('div', { class: 'stat live', dataset: { stat: 'inService' } }, el('div', { class: 'stat-value' }, String(d.inService)), el('div', { class: 'stat-label' }, t('dash.inService'))),
      el('div', { class: 'stat live', dataset: { stat: 'queued' } }, el('div', { class: 'stat-value' }, String(d.queued)), el('div', { class: 'stat-label' }, t('dash.queued'))),
      FIGURES.map(([k, label]) => withStat(k, stat(label, f[k]))),
      withStat('perAgentLoad', stat('dash.perAgent', String(Math.round(f.perAgentLoad * 10) / 10))),
      withStat('firstResponseAverage', stat('dash.firstResponse', seconds(f.firstResponseAverage))),
      withStat('durationAverage', stat('dash.duration', seconds(f.durationAverage))),
      withStat('positiveRatingShare', stat('dash.positive', percent(f.positiveRatingShare)))),
    el('p', { class: 'muted small' }, t('dash.updated', { time: new Date(d.at).toLocaleTimeString() })),
    el('div', { class: 'cards' },
      card(t('dash.trend'), lineChart({
        labels,
        series: [
          { name: t('dash.visits'), values: trend.map(x => Number(x.visits)) },
          { name: t('dash.accepted'), values: trend.map(x => Number(x.conversationsAccepted)) },
          { name: t('dash.notAccepted'), values: trend.map(x => Number(x.notAccepted)) },
        ],
        title: t('dash.trend'),
      })),
      card(t('dash.speed'), lineChart({
        labels,
        series: [
          { name: t('dash.firstResponse'), values: trend.map(x => x.firstResponseAverage) },
          { name: t('dash.duration'), values: trend.map(x => x.durationAverage) },
        ],
      }))));
}

function withStat(key, node) {
  node.dataset.stat = key;
  return node;
}

function renderDaily(box) {
  const r = range(daysAgo(13), day());
  const result = el('div');
  const query = () => ({ from: r.from.value, to: r.to.value, utcOffsetMinutes: utcOffsetMinutes() });
  const load = () => attempt(async () => {
    const rows = await api('/reports/daily', { query: query() });
    replace(result, table([
      { key: 'common.day', value: x => x.day },
      ...FIGURES.map(([k, label]) => ({ key: label, class: 'num', value: x => x[k] })),
      { key: 'dash.perAgent', class: 'num', value: x => String(Math.round(x.perAgentLoad * 10) / 10) },
      { key: 'dash.firstResponse', class: 'num', value: x => seconds(x.firstResponseAverage) },
      { key: 'dash.duration', class: 'num', value: x => seconds(x.durationAverage) },
      { key: 'dash.positive', class: 'num', value: x => percent(x.positiveRatingShare) },
    ], [...rows].reverse()));
  });
  replace(box, card(t('dash.daily'),
    el('div', { class: 'toolbar' }, r.node, button('common.search', load, 'primary'),
      exportButtons((format, language) => download('/reports/daily/export', { ...query(), format, language }))),
    result));
  load();
}
