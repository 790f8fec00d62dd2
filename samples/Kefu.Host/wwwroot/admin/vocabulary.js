// The voice of the customer's vocabulary (A3–A5): stop words, focus words, user words, new-word discovery, and the
// tenant's own sentiment model (upload a labelled file to train, or go back to the built-in one).
import { api } from '../lib/api.js';
import { el } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { card, table, field, textarea, button, submit, attempt, lines, range, daysAgo, day, toast, badge } from './ui.js';

export const strings = {
  zh: {
    'vocab.stop': '停用词（不参与统计）', 'vocab.stopAdd': '停用', 'vocab.stopRemove': '恢复', 'vocab.focus': '关注词（在热词中标星）', 'vocab.user': '自定义词（分词时作为整词）',
    'vocab.newWords': '新词发现', 'vocab.addUser': '加为自定义词', 'vocab.score': '成词得分', 'vocab.model': '情感模型', 'vocab.modelFile': '标注文件（CSV：文本,标签）',
    'vocab.train': '上传并训练', 'vocab.reset': '恢复内置模型', 'vocab.trained': '训练完成：{rows} 行，交叉验证准确率 {accuracy}', 'vocab.since': '自 {day} 起',
  },
  en: {
    'vocab.stop': 'Stop words (left out of statistics)', 'vocab.stopAdd': 'Stop', 'vocab.stopRemove': 'Restore', 'vocab.focus': 'Focus words (starred among hot keywords)', 'vocab.user': 'User words (kept whole when segmenting)',
    'vocab.newWords': 'New-word discovery', 'vocab.addUser': 'Add as user word', 'vocab.score': 'Score', 'vocab.model': 'Sentiment model', 'vocab.modelFile': 'Labelled file (CSV: text,label)',
    'vocab.train': 'Upload and train', 'vocab.reset': 'Back to the built-in model', 'vocab.trained': 'Trained: {rows} rows, cross-validated accuracy {accuracy}', 'vocab.since': 'since {day}',
  },
};

export async function render(box, go) {
  const r = range(daysAgo(13), day());
  const [vocabulary, candidates] = await Promise.all([api('/voice/vocabulary'), api('/voice/new-words', { query: { from: r.from.value, to: r.to.value } })]);
  const reload = () => go({ tab: 'vocabulary', r: Date.now() });

  const stopInput = textarea('', { rows: 2, placeholder: t('common.onePerLine') });
  const stopForm = el('form', { novalidate: true }, field('vocab.stop', stopInput, 'words'),
    el('div', { class: 'chips' }, vocabulary.stopWordChanges.map(c => el('span', { class: 'chip' }, c.word, ' ', badge(c.stopped ? t('vocab.stopAdd') : t('vocab.stopRemove'), c.stopped ? 'bad' : 'ok'), ' ', t('vocab.since', { day: c.effectiveFrom })))),
    el('div', { class: 'form-error error' }),
    el('div', { class: 'row end' }, button('vocab.stopRemove', () => changeStops('/voice/vocabulary/stop-words/remove')), el('button', { type: 'submit', class: 'primary' }, t('vocab.stopAdd'))));
  const changeStops = async path => { if (await submit(stopForm, () => api(path, { method: 'POST', body: { words: lines(stopInput.value) } }))) reload(); };
  stopForm.addEventListener('submit', e => { e.preventDefault(); changeStops('/voice/vocabulary/stop-words'); });

  const listForm = (labelKey, values, path) => {
    const area = textarea(values.join('\n'), { rows: 5 });
    const form = el('form', { novalidate: true }, field(labelKey, area, 'words'), el('div', { class: 'form-error error' }),
      el('div', { class: 'row end' }, el('button', { type: 'submit', class: 'primary' }, t('common.save'))));
    form.addEventListener('submit', e => { e.preventDefault(); submit(form, () => api(path, { method: 'PUT', body: { words: lines(area.value) } })); });
    return form;
  };

  const file = el('input', { type: 'file', accept: '.csv,.txt' });
  const modelForm = el('form', { class: 'toolbar', novalidate: true }, field('vocab.modelFile', file, 'file'),
    el('button', { type: 'submit', class: 'primary' }, t('vocab.train')),
    button('vocab.reset', () => attempt(() => api('/voice/sentiment-model', { method: 'DELETE' }), 'common.saved')), el('div', { class: 'form-error error' }));
  modelForm.addEventListener('submit', async e => {
    e.preventDefault();
    if (!file.files[0]) return;
    const data = new FormData();
    data.append('file', file.files[0]);
    const s = await submit(modelForm, () => api('/voice/sentiment-model', { method: 'POST', body: data }), null);
    if (s) toast(t('vocab.trained', { rows: s.rows, accuracy: `${(s.crossValidatedAccuracy * 100).toFixed(1)}%` }));
  });

  box.append(
    el('div', { class: 'cards' }, card(null, stopForm), card(null, listForm('vocab.focus', vocabulary.focusWords, '/voice/vocabulary/focus-words')),
      card(null, listForm('vocab.user', vocabulary.userWords, '/voice/vocabulary/user-words'))),
    card(t('vocab.newWords'), table([
      { key: 'voice.word', value: c => c.word }, { key: 'voice.frequency', class: 'num', value: c => String(c.frequency) },
      { key: 'vocab.score', class: 'num', value: c => c.score.toFixed(1) },
      { key: 'common.actions', value: c => button('vocab.addUser', () => attempt(() => api('/voice/vocabulary/user-words', { method: 'POST', body: { words: [c.word] } }), 'common.saved').then(reload), 'link') },
    ], candidates.slice(0, 20))),
    card(t('vocab.model'), modelForm));
}
