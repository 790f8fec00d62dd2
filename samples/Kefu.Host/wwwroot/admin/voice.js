// Voice of the customer (A1–A5): hot keywords as a word cloud and a table, the sentiment trend, topics, and a
// keyword's detail (its days and the messages that use it).
import { api, download } from '../lib/api.js';
import { el, formatTime } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { lineChart, wordCloud, sentimentColor } from '../lib/charts.js';
import { header, card, table, field, select, button, exportButtons, range, daysAgo, day, downloadPost, percent, badge, describe, tabs } from './ui.js';
import * as vocabulary from './vocabulary.js';

const own = {
  zh: {
    'voice.title': '客户之声', 'voice.scope': '范围', 'scope.all': '全部消息', 'scope.visitor': '仅访客', 'voice.cloud': '热词词云', 'voice.keywords': '热词',
    'voice.word': '关键词', 'voice.frequency': '频次', 'voice.sentiment': '情感', 'voice.composite': '综合热度', 'voice.focus': '关注词',
    'voice.trend': '情感趋势', 'voice.positive': '正面', 'voice.neutral': '中性', 'voice.negative': '负面', 'voice.topics': '话题',
    'voice.detail': '“{word}”的详情', 'voice.pickWord': '点击词云或表格中的词查看详情', 'voice.messages': '相关消息', 'voice.sort': '排序',
    'sort.composite': '综合', 'sort.frequency': '频次', 'sort.sentiment': '情感', 'voice.analysis': '分析', 'voice.vocabulary': '词库与模型', 'voice.legend': '颜色：红色为负面，绿色为正面，灰色为中性；字号表示频次。',
  },
  en: {
    'voice.title': 'Voice of the customer', 'voice.scope': 'Scope', 'scope.all': 'All messages', 'scope.visitor': 'Visitors only', 'voice.cloud': 'Word cloud', 'voice.keywords': 'Hot keywords',
    'voice.word': 'Keyword', 'voice.frequency': 'Frequency', 'voice.sentiment': 'Sentiment', 'voice.composite': 'Heat', 'voice.focus': 'Focus word',
    'voice.trend': 'Sentiment trend', 'voice.positive': 'Positive', 'voice.neutral': 'Neutral', 'voice.negative': 'Negative', 'voice.topics': 'Topics',
    'voice.detail': 'Keyword “{word}”', 'voice.pickWord': 'Click a word in the cloud or the table to see its detail', 'voice.messages': 'Messages', 'voice.sort': 'Sort by',
    'sort.composite': 'Heat', 'sort.frequency': 'Frequency', 'sort.sentiment': 'Sentiment', 'voice.analysis': 'Analysis', 'voice.vocabulary': 'Vocabulary & model', 'voice.legend': 'Red is negative, green positive, grey neutral; size is frequency.',
  },
};

export const strings = { zh: { ...own.zh, ...vocabulary.strings.zh }, en: { ...own.en, ...vocabulary.strings.en } };

const TABS = [{ key: 'analysis', label: 'voice.analysis' }, { key: 'vocabulary', label: 'voice.vocabulary' }];

export async function render(view, params, go) {
  if (params.tab === 'vocabulary') {
    const body = el('div');
    view.append(header('voice.title'), tabs(TABS, 'vocabulary', key => go({ tab: key })), body);
    await vocabulary.render(body, go);
    return;
  }
  await analysis(view, params, go);
}

async function analysis(view, params, go) {
  const r = range(params.from || daysAgo(13), params.to || day());
  const scope = select(['all', 'visitor'].map(s => ({ value: s, label: t(`scope.${s}`) })), params.scope || 'all');
  const sort = select(['composite', 'frequency', 'sentiment'].map(s => ({ value: s, label: t(`sort.${s}`) })), params.sortBy || 'composite');
  const f = { from: r.from.value, to: r.to.value, scope: scope.value };
  const keywordQuery = { ...f, sortBy: sort.value, descending: true, limit: 80 };
  const days = Math.max(1, Math.round((new Date(f.to) - new Date(f.from)) / 86_400_000) + 1);
  const apply = (extra = {}) => go({ from: r.from.value, to: r.to.value, scope: scope.value, sortBy: sort.value, ...extra });

  const [keywords, trend, topics] = await Promise.all([
    api('/voice/keywords', { method: 'POST', body: keywordQuery }),
    api('/voice/sentiment', { query: { scope: f.scope === 'all' ? 'all' : 'visitor', to: f.to, days: Math.min(days, 90) } }),
    api('/voice/topics', { method: 'POST', body: f }),
  ]);
  const openWord = w => apply({ word: w });

  view.append(
    header('voice.title'), tabs(TABS, 'analysis', key => go({ tab: key })),
    card(null, el('div', { class: 'toolbar' }, field('common.range', r.node), field('voice.scope', scope), field('voice.sort', sort),
      el('div', { class: 'field' }, el('label', {}, '\u00a0'), button('common.search', () => apply(), 'primary')))),
    el('div', { class: 'cards' },
      card(t('voice.cloud'), wordCloud({ words: keywords.slice(0, 60).map(k => ({ text: k.word, weight: Number(k.frequency), sentiment: k.sentiment })), onClick: w => openWord(w.text), title: t('voice.cloud') }),
        el('p', { class: 'muted small' }, t('voice.legend'))),
      card(t('voice.trend'), lineChart({
        labels: trend.map(d => d.day.slice(5)),
        series: [
          { name: t('voice.positive'), values: trend.map(d => d.positiveShare * 100), color: '#34c724' },
          { name: t('voice.neutral'), values: trend.map(d => d.neutralShare * 100), color: '#8f959e' },
          { name: t('voice.negative'), values: trend.map(d => d.negativeShare * 100), color: '#f54a45' },
        ],
        yFormat: v => `${v}%`,
      }), el('div', { class: 'row end' }, exportButtons((format, language) => download('/voice/sentiment/export', { scope: f.scope, to: f.to, days: Math.min(days, 90), format, language }))))),
    params.word ? await detail(params.word, f) : card(null, el('p', { class: 'muted' }, t('voice.pickWord'))),
    el('div', { class: 'cards' },
      card(t('voice.keywords'), table([
        { key: 'voice.word', value: k => el('button', { type: 'button', class: 'link', onclick: () => openWord(k.word) }, k.word) },
        { key: 'voice.frequency', class: 'num', value: k => k.frequency },
        { key: 'voice.sentiment', class: 'num', value: k => sentimentBadge(k.sentiment) },
        { key: 'voice.composite', class: 'num', value: k => k.composite.toFixed(1) },
        { key: 'voice.focus', value: k => k.isFocusWord ? badge('★', 'info') : '' },
      ], keywords.slice(0, 30)), el('div', { class: 'row end' }, exportButtons((format, language) => downloadPost('/voice/keywords/export', keywordQuery, { format, language })))),
      card(t('voice.topics'), topicsView(topics, openWord))));
}

function sentimentBadge(s) {
  return badge(s.toFixed(2), s < -0.15 ? 'bad' : s > 0.15 ? 'ok' : '');
}

function topicsView(data, openWord) {
  if (!data.topics.length) return el('p', { class: 'muted' }, t('common.empty'));
  return el('div', {}, data.topics.map(x => el('div', { class: 'topic' },
    el('div', { class: 'row spread' }, el('strong', {}, x.topic.name), el('span', { class: 'muted' }, `${percent(x.topic.share)} · ${x.topic.frequency}`)),
    el('div', { class: 'chips' }, x.topic.keywords.map(k => {
      const chip = el('button', { type: 'button', class: 'chip', onclick: () => openWord(k.keyword) }, k.keyword);
      chip.dataset.sentiment = k.sentiment > 0.15 ? 'positive' : k.sentiment < -0.15 ? 'negative' : 'neutral';
      return chip;
    })))));
}

async function detail(word, f) {
  const box = card(t('voice.detail', { word }));
  try {
    const [d, msgs] = await Promise.all([
      api(`/voice/keywords/${encodeURIComponent(word)}`, { query: f }),
      api('/voice/keyword-messages', { method: 'POST', body: { word, ...f } }),
    ]);
    box.append(el('div', { class: 'cards' },
      el('div', {}, lineChart({ labels: d.days.map(x => x.day.slice(5)), series: [{ name: t('voice.frequency'), values: d.days.map(x => Number(x.frequency)) }] })),
      el('div', { class: 'transcript' }, msgs.items.slice(0, 30).map(m => el('div', { class: `msg ${m.sender}` },
        el('div', { class: 'meta' }, `${t(`sender.${m.sender}`)} · ${formatTime(m.sentAt, true)}`),
        el('span', { class: 'sentiment-dot' }, '● '), m.text ?? '')))));
    box.querySelectorAll('.sentiment-dot').forEach((dot, i) => { dot.style.color = sentimentColor(msgs.items[i]?.sentiment?.label ?? 0); });
  } catch (e) {
    box.append(el('p', { class: 'error' }, describe(e)));
  }
  return box;
}
