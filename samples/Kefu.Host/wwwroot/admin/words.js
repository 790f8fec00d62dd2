// Sensitive words (M1–M6): the mode (off, block, remind, mask) and its texts, matching normalisation, the word list
// by category, the allow-list, and uploading a word file.
import { api } from '../lib/api.js';
import { el, replace } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { header, card, table, field, input, select, checkbox, textarea, button, submit, lines, toast } from './ui.js';
import { objectForm } from './objform.js';

export const strings = {
  zh: {
    'sw.title': '敏感词', 'sw.mode': '处理方式', 'mode.off': '关闭', 'mode.block': '拦截', 'mode.remind': '提醒', 'mode.mask': '打码（***）',
    'sw.blockNotice': '拦截提示', 'sw.reminderText': '提醒文字', 'sw.normalization': '匹配规则', 'sw.words': '敏感词库（{n} 个）', 'sw.word': '词',
    'sw.category': '分类', 'sw.allowList': '白名单（每行一个，包含敏感词但允许的说法）', 'sw.add': '添加', 'sw.filter': '筛选', 'sw.upload': '上传词表',
    'sw.file': '文本文件（每行一个词）', 'sw.replace': '替换该分类已有的词', 'sw.uploaded': '已上传，共 {n} 个词', 'sw.shown': '显示前 {n} 个', 'sw.save': '保存敏感词设置',
    'f.ignoreCase': '忽略大小写', 'f.foldWidth': '全角半角视为相同', 'f.traditionalToSimplified': '繁体视为简体', 'f.skipNoise': '跳过干扰字符', 'f.noiseCharacters': '干扰字符',
    'f.maxNoiseGap': '最多干扰字符数', 'f.collapseRepeats': '合并重复字符',
  },
  en: {
    'sw.title': 'Sensitive words', 'sw.mode': 'Mode', 'mode.off': 'Off', 'mode.block': 'Block', 'mode.remind': 'Remind', 'mode.mask': 'Mask (***)',
    'sw.blockNotice': 'Block notice', 'sw.reminderText': 'Reminder', 'sw.normalization': 'Matching', 'sw.words': 'Words ({n})', 'sw.word': 'Word',
    'sw.category': 'Category', 'sw.allowList': 'Allow-list (one per line: phrases that contain a word but are fine)', 'sw.add': 'Add', 'sw.filter': 'Filter', 'sw.upload': 'Upload a list',
    'sw.file': 'Text file (one word per line)', 'sw.replace': 'Replace the category\u2019s words', 'sw.uploaded': 'Uploaded: {n} words in all', 'sw.shown': 'First {n} shown', 'sw.save': 'Save sensitive-word settings',
    'f.ignoreCase': 'Ignore case', 'f.foldWidth': 'Fold full/half width', 'f.traditionalToSimplified': 'Traditional as simplified', 'f.skipNoise': 'Skip noise characters', 'f.noiseCharacters': 'Noise characters',
    'f.maxNoiseGap': 'Max noise gap', 'f.collapseRepeats': 'Collapse repeats',
  },
};

const SHOWN = 200;

export async function render(view, params, go) {
  const s = await api('/sensitive-words');
  const words = [...s.words];
  const mode = select(['off', 'block', 'remind', 'mask'].map(m => ({ value: m, label: t(`mode.${m}`) })), s.mode);
  const blockNotice = input(s.blockNotice), reminderText = input(s.reminderText);
  const normalization = objectForm(s.normalization);
  const allowList = textarea(s.allowList.join('\n'), { rows: 4 });
  const filter = input('', { type: 'search', placeholder: t('sw.filter') });
  const newWord = input('', { placeholder: t('sw.word') }), newCategory = input('', { placeholder: t('sw.category') });
  const listBox = el('div');
  const title = el('h3');

  const drawWords = () => {
    const q = filter.value.trim();
    const shown = words.filter(w => !q || w.word.includes(q) || (w.category || '').includes(q));
    title.textContent = t('sw.words', { n: words.length });
    replace(listBox, table([
      { key: 'sw.word', value: w => w.word }, { key: 'sw.category', value: w => w.category || '—' },
      { key: 'common.actions', value: w => button('common.delete', () => { words.splice(words.indexOf(w), 1); drawWords(); }, 'link danger') },
    ], shown.slice(0, SHOWN)), shown.length > SHOWN ? el('p', { class: 'muted small' }, t('sw.shown', { n: SHOWN })) : null);
  };
  filter.addEventListener('input', drawWords);
  drawWords();

  const form = el('form', { novalidate: true });
  form.append(
    card(null, el('div', { class: 'form-grid' }, field('sw.mode', mode, 'mode'), field('sw.blockNotice', blockNotice, 'blockNotice'), field('sw.reminderText', reminderText, 'reminderText'))),
    card(t('sw.normalization'), normalization.node),
    card(null, title, el('div', { class: 'toolbar' }, filter, newWord, newCategory, button('sw.add', () => {
      if (!newWord.value.trim()) return;
      words.unshift({ word: newWord.value.trim(), category: newCategory.value.trim() || null });
      newWord.value = '';
      drawWords();
    })), el('div', { class: 'field', dataset: { field: 'words' } }, listBox, el('div', { class: 'field-error', role: 'alert' }))),
    card(null, field('sw.allowList', allowList, 'allowList')),
    el('div', { class: 'form-error error' }),
    el('div', { class: 'row end' }, el('button', { type: 'submit', class: 'primary' }, t('sw.save'))));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    await submit(form, () => api('/sensitive-words', { method: 'PUT', body: {
      mode: mode.value, blockNotice: blockNotice.value, reminderText: reminderText.value, normalization: normalization.read(), words, allowList: lines(allowList.value),
    } }));
  });

  const file = el('input', { type: 'file', accept: '.txt,.csv' });
  const category = input('');
  const replaceBox = checkbox(false);
  const upload = el('form', { class: 'toolbar', novalidate: true }, field('sw.file', file, 'file'), field('sw.category', category, 'category'),
    el('label', {}, replaceBox, t('sw.replace')), el('button', { type: 'submit', class: 'primary' }, t('common.upload')), el('div', { class: 'form-error error' }));
  upload.addEventListener('submit', async e => {
    e.preventDefault();
    if (!file.files[0]) return;
    const data = new FormData();
    data.append('file', file.files[0]);
    const result = await submit(upload, () => api('/sensitive-words/import', { method: 'POST', body: data, query: { category: category.value, replace: replaceBox.checked } }), null);
    if (result) { toast(t('sw.uploaded', { n: result.words.length })); go({ r: Date.now() }); }
  });
  view.append(header('sw.title'), form, card(t('sw.upload'), upload));
}
