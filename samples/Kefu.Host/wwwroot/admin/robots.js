// Robots and knowledge (B1–B6): robots and their replies, knowledge rules (search, add, edit, delete, CSV/xlsx
// import and export), a matching test, and unmatched questions to turn into rules.
import { api, download } from '../lib/api.js';
import { el, replace } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { header, card, table, field, input, select, checkbox, textarea, button, tabs, formDialog, confirmed, attempt, submit, badge, lines, pager, toast } from './ui.js';
import { objectForm } from './objform.js';

export const strings = {
  zh: {
    'bot.title': '机器人与知识库', 'bot.add': '新增机器人', 'bot.settings': '机器人设置', 'bot.rules': '知识库', 'bot.test': '匹配测试', 'bot.unmatched': '未匹配问题',
    'bot.questions': '问题（每行一个，第一行为标题）', 'bot.answer': '答案', 'bot.keywords': '关键词（每行一个）', 'bot.category': '分类', 'bot.addRule': '新增知识',
    'bot.import': '导入', 'bot.importMode': '导入方式', 'mode.append': '追加', 'mode.replace': '替换全部', 'bot.file': '文件（CSV 或 xlsx）', 'bot.imported': '已导入 {n} 条',
    'bot.question': '问题', 'bot.match': '匹配', 'bot.confidence': '置信度', 'bot.count': '次数', 'bot.createRule': '新建知识', 'bot.addTo': '加入到', 'bot.dismiss': '忽略',
    'bot.pickRobot': '机器人', 'bot.deleteRobot': '删除机器人', 'bot.noRobots': '还没有机器人',
    'f.replies': '回复语', 'f.fallback': '未匹配回复', 'f.repeated': '重复提问回复', 'f.repeatThreshold': '重复次数阈值', 'f.timeout': '超时提醒', 'f.timeoutAfter': '超时时间',
    'f.handOff': '转人工', 'f.afterConsecutiveMisses': '连续未匹配次数后转人工', 'f.targetGroupId': '转入技能组 ID', 'f.matching': '匹配', 'f.answerThreshold': '直接回答阈值',
    'f.suggestThreshold': '推荐阈值', 'f.maxSuggestions': '最多推荐数', 'f.suggestText': '推荐提示', 'f.avatarUrl': '头像地址', 'f.name': '名称', 'f.menus': '菜单（JSON）',
  },
  en: {
    'bot.title': 'Robots & knowledge', 'bot.add': 'Add robot', 'bot.settings': 'Robot settings', 'bot.rules': 'Knowledge', 'bot.test': 'Matching test', 'bot.unmatched': 'Unmatched questions',
    'bot.questions': 'Questions (one per line; the first is the title)', 'bot.answer': 'Answer', 'bot.keywords': 'Keywords (one per line)', 'bot.category': 'Category', 'bot.addRule': 'Add rule',
    'bot.import': 'Import', 'bot.importMode': 'Mode', 'mode.append': 'Append', 'mode.replace': 'Replace all', 'bot.file': 'File (CSV or xlsx)', 'bot.imported': '{n} imported',
    'bot.question': 'Question', 'bot.match': 'Match', 'bot.confidence': 'Confidence', 'bot.count': 'Count', 'bot.createRule': 'New rule', 'bot.addTo': 'Add to', 'bot.dismiss': 'Dismiss',
    'bot.pickRobot': 'Robot', 'bot.deleteRobot': 'Delete robot', 'bot.noRobots': 'No robots yet',
    'f.replies': 'Replies', 'f.fallback': 'Fallback', 'f.repeated': 'Repeated question', 'f.repeatThreshold': 'Repeat threshold', 'f.timeout': 'Idle reminder', 'f.timeoutAfter': 'Idle after',
    'f.handOff': 'Hand-off to humans', 'f.afterConsecutiveMisses': 'After consecutive misses', 'f.targetGroupId': 'Target group ID', 'f.matching': 'Matching', 'f.answerThreshold': 'Answer threshold',
    'f.suggestThreshold': 'Suggest threshold', 'f.maxSuggestions': 'Max suggestions', 'f.suggestText': 'Suggestion prompt', 'f.avatarUrl': 'Avatar URL', 'f.name': 'Name', 'f.menus': 'Menus (JSON)',
  },
};

const TABS = [{ key: 'rules', label: 'bot.rules' }, { key: 'settings', label: 'bot.settings' }, { key: 'test', label: 'bot.test' }, { key: 'unmatched', label: 'bot.unmatched' }];
const PAGE = 20;

export async function render(view, params, go) {
  const robots = await api('/robots');
  const addRobot = () => {
    const name = input('');
    formDialog(t('bot.add'), [field('f.name', name, 'name')], async () => {
      const robot = await api('/robots', { method: 'POST', body: { name: name.value } });
      go({ robot: robot.id });
    });
  };
  view.append(header('bot.title', button('bot.add', addRobot, 'primary')));
  if (!robots.length) { view.append(card(null, el('p', { class: 'muted' }, t('bot.noRobots')))); return; }
  const robot = robots.find(r => r.id === params.robot) || robots[0];
  const tab = TABS.some(x => x.key === params.tab) ? params.tab : 'rules';
  const nav = p => go({ robot: robot.id, tab, ...p });
  const picker = select(robots.map(r => ({ value: r.id, label: r.name })), robot.id);
  picker.addEventListener('change', () => go({ robot: picker.value, tab }));
  const body = el('div');
  view.append(card(null, el('div', { class: 'row spread' }, field('bot.pickRobot', picker),
    button('bot.deleteRobot', () => confirmed('common.confirmDelete', { name: robot.name }) && attempt(() => api(`/robots/${robot.id}`, { method: 'DELETE', query: { version: robot.version } }), 'common.deleted').then(() => go({})), 'danger'))),
  tabs(TABS, tab, key => go({ robot: robot.id, tab: key })), body);
  await { rules, settings, test, unmatched }[tab](body, robot, params, nav);
}

function ruleDialog(robot, rule, done) {
  const questions = textarea((rule?.questions || []).join('\n'), { rows: 4 });
  const answer = textarea(rule?.answer?.text || '', { rows: 4 });
  const keywords = textarea((rule?.keywords || []).join('\n'), { rows: 2 });
  const category = input(rule?.category || '');
  const enabled = checkbox(rule ? rule.enabled : true);
  formDialog(t(rule ? 'common.edit' : 'bot.addRule'), [
    field('bot.questions', questions, 'questions'), field('bot.answer', answer, 'answer'), field('bot.keywords', keywords, 'keywords'),
    el('div', { class: 'form-grid' }, field('bot.category', category, 'category'), el('div', { class: 'field check' }, el('label', {}, t('common.enabled')), enabled)),
  ], async () => {
    const body = { ...(rule || {}), robotId: robot.id, questions: lines(questions.value), answer: { kind: 'text', text: answer.value }, keywords: lines(keywords.value), category: category.value || null, enabled: enabled.checked };
    await (rule ? api(`/robots/rules/${rule.id}`, { method: 'PUT', body }) : api(`/robots/${robot.id}/rules`, { method: 'POST', body }));
    done();
  });
}

async function rules(box, robot, params, nav) {
  const offset = Number(params.offset || 0);
  const search = input(params.search || '', { type: 'search' });
  const page = await api(`/robots/${robot.id}/rules`, { query: { search: params.search, offset, limit: PAGE } });
  const reload = () => nav({ search: search.value, offset, r: Date.now() });
  const file = el('input', { type: 'file', accept: '.csv,.xlsx' });
  const mode = select(['append', 'replace'].map(m => ({ value: m, label: t(`mode.${m}`) })), 'append');
  const importForm = el('form', { class: 'toolbar', novalidate: true }, field('bot.file', file, 'file'), field('bot.importMode', mode, 'mode'),
    el('div', { class: 'field' }, el('label', {}, '\u00a0'), el('button', { type: 'submit', class: 'primary' }, t('bot.import'))), el('div', { class: 'form-error error' }));
  importForm.addEventListener('submit', async e => {
    e.preventDefault();
    const f = file.files[0];
    if (!f) return;
    const data = new FormData();
    data.append('file', f);
    const result = await submit(importForm, () => api(`/robots/${robot.id}/import`, { method: 'POST', body: data, query: { format: f.name.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv', mode: mode.value } }), null);
    if (result) { toast(t('bot.imported', { n: result.added + result.updated })); reload(); }
  });
  box.append(
    card(null, el('div', { class: 'toolbar' }, search, button('common.search', () => nav({ search: search.value }), 'primary'), button('bot.addRule', () => ruleDialog(robot, null, reload)),
      el('span', { class: 'row' }, button('common.exportCsv', () => attempt(() => download(`/robots/${robot.id}/export`, { format: 'csv' })), 'ghost'),
        button('common.exportXlsx', () => attempt(() => download(`/robots/${robot.id}/export`, { format: 'xlsx' })), 'ghost'))),
    table([
      { key: 'bot.question', value: r => el('div', {}, el('strong', {}, r.questions[0] || ''), r.questions.length > 1 ? el('div', { class: 'muted small' }, r.questions.slice(1).join(' / ')) : null) },
      { key: 'bot.answer', value: r => r.answer?.text || r.answer?.kind },
      { key: 'bot.category', value: r => r.category || '—' },
      { key: 'common.enabled', value: r => r.enabled ? badge(t('common.enabled'), 'ok') : badge(t('common.disabled')) },
      { key: 'common.actions', value: r => el('span', { class: 'row' }, button('common.edit', () => ruleDialog(robot, r, reload), 'link'),
        button('common.delete', () => confirmed('common.confirmDelete', { name: r.questions[0] }) && attempt(() => api(`/robots/rules/${r.id}`, { method: 'DELETE', query: { version: r.version } }), 'common.deleted').then(reload), 'link danger')) },
    ], page.items), pager(page.offset, PAGE, page.total, o => nav({ search: search.value, offset: o }))),
    card(t('bot.import'), importForm));
}

async function settings(box, robot) {
  const form = el('form', { novalidate: true });
  const generated = objectForm(robot, { hide: ['id', 'version'], durations: { timeoutAfter: 'min' }, json: ['menus'] });
  form.append(generated.node, el('div', { class: 'form-error error' }), el('div', { class: 'row end' }, el('button', { type: 'submit', class: 'primary' }, t('common.save'))));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const saved = await submit(form, () => api(`/robots/${robot.id}`, { method: 'PUT', body: generated.read() }));
    if (saved) robot.version = saved.version;
  });
  box.append(card(null, form));
}

async function test(box, robot) {
  const question = input('', { placeholder: t('bot.question') });
  const out = el('div');
  const form = el('form', { class: 'toolbar', novalidate: true }, field('bot.question', question, 'question'),
    el('div', { class: 'field' }, el('label', {}, '\u00a0'), el('button', { type: 'submit', class: 'primary' }, t('bot.match'))), el('div', { class: 'form-error error' }));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const m = await submit(form, () => api(`/robots/${robot.id}/match`, { method: 'POST', body: { question: question.value, max: 5 } }), null);
    if (!m) return;
    const found = await Promise.all(m.candidates.map(c => api(`/robots/rules/${c.ruleId}`).then(r => ({ c, r })).catch(() => ({ c, r: null }))));
    replace(out, el('p', {}, badge(m.kind, m.kind === 'none' ? 'bad' : 'ok')), table([
      { key: 'bot.question', value: x => x.r?.questions?.[0] || x.c.ruleId }, { key: 'bot.answer', value: x => x.r?.answer?.text || '' },
      { key: 'bot.confidence', class: 'num', value: x => x.c.confidence.toFixed(2) },
    ], found));
  });
  box.append(card(null, form, out));
}

async function unmatched(box, robot, params, nav) {
  const groups = await api(`/robots/${robot.id}/unmatched`);
  const reload = () => nav({ r: Date.now() });
  const create = g => {
    const answer = textarea('', { rows: 4 });
    formDialog(`${t('bot.createRule')}: ${g.representative}`, [field('bot.answer', answer, 'text')], async () => {
      await api(`/robots/${robot.id}/unmatched/${g.key}/rule`, { method: 'POST', body: { kind: 'text', text: answer.value } });
      reload();
    });
  };
  box.append(card(null, table([
    { key: 'bot.question', value: g => el('div', {}, el('strong', {}, g.representative), el('div', { class: 'muted small' }, g.questions.slice(0, 5).map(q => q.text).join(' / '))) },
    { key: 'bot.count', class: 'num', value: g => g.count },
    { key: 'common.actions', value: g => el('span', { class: 'row' },
      button('bot.createRule', () => create(g), 'link'),
      g.recommendations.slice(0, 2).map(rec => el('button', { type: 'button', class: 'link', onclick: () => attempt(() => api(`/robots/${robot.id}/unmatched/${g.key}/add-to/${rec.ruleId}`, { method: 'POST' }), 'common.saved').then(reload) },
        `${t('bot.addTo')} “${rec.title}”`)),
      button('bot.dismiss', () => attempt(() => api(`/robots/${robot.id}/unmatched/${g.key}`, { method: 'DELETE' })).then(reload), 'link danger')) },
  ], groups)));
}

