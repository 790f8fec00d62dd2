// Conversation settings: timers and policies, canned phrases (C16), rating (C13), additional information, tags (C17),
// wrap-up categories (C14) and the public quick-reply library (C15).
import { api } from '../lib/api.js';
import { el, replace } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { header, card, table, field, input, select, checkbox, textarea, button, tabs, formDialog, confirmed, attempt, submit, lines } from './ui.js';
import { objectForm } from './objform.js';

export const strings = {
  zh: {
    'conv.title': '会话设置', 'conv.timers': '会话与计时', 'conv.phrases': '提示语', 'conv.rating': '满意度评价', 'conv.additional': '附加信息',
    'conv.tags': '标签', 'conv.wrapup': '服务小结分类', 'conv.quick': '公共快捷回复',
    'rating.levels': '评价等级数', 'rating.comment': '允许留言', 'rating.tags': '“{level}”的标签（每行一个，最多 9 个）',
    'info.enabled': '启用附加信息页', 'info.title': '标题（最多 6 个字）', 'info.fields': '字段', 'info.key': '键', 'info.displayName': '显示名', 'info.visible': '显示', 'info.addField': '添加字段',
    'tag.scope': '范围', 'scope.session': '会话标签', 'scope.visitor': '访客标签', 'tag.add': '新增标签',
    'cat.add': '新增分类', 'cat.parent': '上级分类', 'cat.rename': '重命名', 'qr.folder': '分组', 'qr.addFolder': '新增分组', 'qr.add': '新增快捷回复', 'qr.text': '内容',
    'f.recallWindow': '消息可撤回时长', 'f.mandatorySessionTagOnClose': '结束会话前必须打标签', 'f.retention': '聊天记录保留时长', 'f.inactiveSessionAutoClose': '无活动自动结束会话',
    'f.inactiveTimeout': '无活动超时', 'f.whenAgentGoesOffline': '客服离线时', 'f.offerTimeout': '分配待接受超时', 'f.missedOfferSetsAway': '未接受时置为离开',
    'f.queueReminderInterval': '排队提醒间隔（0 为关闭）', 'f.close': '结束会话', 'f.requeue': '重新排队',
    'f.welcome': '欢迎语', 'f.end': '结束语', 'f.enabled': '启用', 'f.text': '内容', 'f.nobodyOnline': '无客服在线提示', 'f.inputHint': '输入框提示',
    'f.queueInputHint': '排队时输入框提示', 'f.queueMessage': '排队提示（#人数# 为位置）', 'f.queueOverLimitEnabled': '排队过多提示', 'f.queueOverLimitThreshold': '排队人数阈值',
    'f.queueOverLimitMessage': '排队过多提示语', 'f.visitorNoReplyReminder': '访客未回复提醒', 'f.visitorNoReplyClose': '访客未回复自动结束', 'f.agentNoReply': '客服未回复安抚', 'f.minutes': '分钟',
  },
  en: {
    'conv.title': 'Conversation settings', 'conv.timers': 'Timers & policies', 'conv.phrases': 'Canned phrases', 'conv.rating': 'Rating', 'conv.additional': 'Additional info',
    'conv.tags': 'Tags', 'conv.wrapup': 'Wrap-up categories', 'conv.quick': 'Quick replies',
    'rating.levels': 'Levels', 'rating.comment': 'Allow a comment', 'rating.tags': 'Tags for “{level}” (one per line, up to 9)',
    'info.enabled': 'Show the additional-information page', 'info.title': 'Title (up to 6 characters)', 'info.fields': 'Fields', 'info.key': 'Key', 'info.displayName': 'Display name', 'info.visible': 'Visible', 'info.addField': 'Add field',
    'tag.scope': 'Scope', 'scope.session': 'Conversation tag', 'scope.visitor': 'Visitor tag', 'tag.add': 'Add tag',
    'cat.add': 'Add category', 'cat.parent': 'Parent', 'cat.rename': 'Rename', 'qr.folder': 'Folder', 'qr.addFolder': 'Add folder', 'qr.add': 'Add quick reply', 'qr.text': 'Text',
    'f.recallWindow': 'Recall window', 'f.mandatorySessionTagOnClose': 'Tag required to close', 'f.retention': 'Keep history for', 'f.inactiveSessionAutoClose': 'Close inactive conversations',
    'f.inactiveTimeout': 'Inactivity timeout', 'f.whenAgentGoesOffline': 'When an agent goes offline', 'f.offerTimeout': 'Offer timeout', 'f.missedOfferSetsAway': 'Missed offer sets away',
    'f.queueReminderInterval': 'Queue reminder interval (0 = off)', 'f.close': 'Close the conversation', 'f.requeue': 'Queue it again',
    'f.welcome': 'Welcome', 'f.end': 'Goodbye', 'f.enabled': 'Enabled', 'f.text': 'Text', 'f.nobodyOnline': 'Nobody online', 'f.inputHint': 'Input hint',
    'f.queueInputHint': 'Input hint while queued', 'f.queueMessage': 'Queue message (#人数# = position)', 'f.queueOverLimitEnabled': 'Long-queue message', 'f.queueOverLimitThreshold': 'Long-queue threshold',
    'f.queueOverLimitMessage': 'Long-queue text', 'f.visitorNoReplyReminder': 'Visitor silent: reminder', 'f.visitorNoReplyClose': 'Visitor silent: close', 'f.agentNoReply': 'Agent silent: reassurance', 'f.minutes': 'Minutes',
  },
};

const TABS = ['timers', 'phrases', 'rating', 'additional', 'tags', 'wrapup', 'quick'].map(k => ({ key: k, label: `conv.${k}` }));

export async function render(view, params, go) {
  const tab = TABS.some(x => x.key === params.tab) ? params.tab : 'timers';
  const reload = () => go({ tab, r: Date.now() });
  const body = el('div');
  view.append(header('conv.title'), tabs(TABS, tab, key => go({ tab: key })), body);
  await { timers, phrases, rating, additional, tags, wrapup, quick }[tab](body, reload);
}

/** A settings object edited with the generated form and saved with PUT. */
function settingsForm(value, path, options, pick = s => s) {
  const form = el('form', { novalidate: true, class: 'settings-form', dataset: { path } });
  const generated = objectForm(value, options);
  form.append(generated.node, el('div', { class: 'form-error error' }), el('div', { class: 'row end' }, el('button', { type: 'submit', class: 'primary' }, t('common.save'))));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const saved = await submit(form, () => api(path, { method: 'PUT', body: generated.read() }));
    if (saved) Object.assign(value, pick(saved));
  });
  return card(null, form);
}

async function timers(box) {
  const s = await api('/settings');
  box.append(settingsForm(s.conversations, '/settings/conversations', {
    durations: { recallWindow: 's', retention: 'd', inactiveTimeout: 'min', offerTimeout: 's', queueReminderInterval: 's' },
    enums: { whenAgentGoesOffline: ['close', 'requeue'] },
  }, saved => saved.conversations));
}

async function phrases(box) {
  const s = await api('/settings');
  box.append(settingsForm(s.phrases, '/settings/canned-phrases', { long: ['text', 'nobodyOnline', 'queueMessage', 'queueOverLimitMessage'] }, saved => saved.phrases));
}

async function rating(box) {
  const s = (await api('/settings')).rating;
  const levels = select([2, 3, 5].map(n => ({ value: String(n), label: String(n) })), String(s.levels));
  const comment = checkbox(s.commentEnabled);
  const tagBox = el('div');
  const areas = [];
  const names = n => (n === 2 ? ['不满意', '满意'] : n === 3 ? ['不满意', '一般', '满意'] : ['非常不满意', '不满意', '一般', '满意', '非常满意']);
  const drawTags = () => {
    const n = Number(levels.value);
    areas.length = 0;
    replace(tagBox, el('div', { class: 'form-grid' }, names(n).map((name, i) => {
      const area = textarea((s.tagsByLevel[i] || []).join('\n'), { rows: 4 });
      areas.push(area);
      return field('', area, `tagsByLevel[${i}]`);
    })));
    tagBox.querySelectorAll('.field > label').forEach((l, i) => { l.textContent = t('rating.tags', { level: names(n)[i] }); });
  };
  levels.addEventListener('change', drawTags);
  drawTags();
  const form = el('form', { novalidate: true },
    el('div', { class: 'form-grid' }, field('rating.levels', levels, 'levels'), el('div', { class: 'field check' }, el('label', {}, t('rating.comment')), comment)),
    tagBox, el('div', { class: 'form-error error' }), el('div', { class: 'row end' }, el('button', { type: 'submit', class: 'primary' }, t('common.save'))));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const saved = await submit(form, () => api('/settings/ratings', { method: 'PUT', body: { levels: Number(levels.value), commentEnabled: comment.checked, tagsByLevel: areas.map(a => lines(a.value)) } }));
    if (saved) Object.assign(s, saved.rating);
  });
  box.append(card(null, form));
}

async function additional(box) {
  const s = (await api('/settings')).additionalInfo;
  const enabled = checkbox(s.enabled);
  const title = input(s.title, { maxlength: 20 });
  const rows = el('tbody');
  const addRow = f => rows.append(el('tr', {},
    el('td', {}, input(f?.key || '', { class: 'k' })), el('td', {}, input(f?.displayName || '', { class: 'd' })), el('td', {}, checkbox(f ? f.visible : true, { class: 'v' })),
    el('td', {}, el('button', { type: 'button', class: 'link danger', onclick: e => e.target.closest('tr').remove() }, t('common.delete')))));
  s.fields.forEach(addRow);
  const form = el('form', { novalidate: true },
    el('div', { class: 'field check' }, el('label', {}, t('info.enabled')), enabled), field('info.title', title, 'title'),
    field('info.fields', el('div', {}, el('table', { class: 'grid' }, el('thead', {}, el('tr', {}, ['info.key', 'info.displayName', 'info.visible', 'common.actions'].map(k => el('th', {}, t(k))))), rows),
      button('info.addField', () => addRow(null))), 'fields'),
    el('div', { class: 'form-error error' }), el('div', { class: 'row end' }, el('button', { type: 'submit', class: 'primary' }, t('common.save'))));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const fields = [...rows.children].map(tr => ({ key: tr.querySelector('.k').value.trim(), displayName: tr.querySelector('.d').value.trim(), visible: tr.querySelector('.v').checked }));
    await submit(form, () => api('/settings/additional-info', { method: 'PUT', body: { enabled: enabled.checked, title: title.value, fields } }));
  });
  box.append(card(null, form));
}

async function tags(box, reload) {
  const list = await api('/tags');
  const add = () => {
    const scope = select(['session', 'visitor'].map(s => ({ value: s, label: t(`scope.${s}`) })), 'session');
    const name = input('');
    formDialog(t('tag.add'), [field('tag.scope', scope, 'scope'), field('common.name', name, 'name')], async () => {
      await api('/tags', { method: 'POST', body: { scope: scope.value, name: name.value } });
      reload();
    });
  };
  box.append(card(null, el('div', { class: 'row end' }, button('tag.add', add, 'primary')), table([
    { key: 'common.name', value: x => x.name }, { key: 'tag.scope', value: x => t(`scope.${x.scope}`) },
    { key: 'common.actions', value: x => button('common.delete', () => confirmed('common.confirmDelete', { name: x.name }) && attempt(() => api(`/tags/${x.id}`, { method: 'DELETE' }), 'common.deleted').then(reload), 'link danger') },
  ], list)));
}

async function wrapup(box, reload) {
  const list = await api('/wrap-up-categories');
  const ordered = [];
  const walk = (parentId, depth) => list.filter(c => (c.parentId || null) === parentId).sort((a, b) => a.order - b.order).forEach(c => { ordered.push({ c, depth }); walk(c.id, depth + 1); });
  walk(null, 0);
  const open = c => {
    const name = input(c?.name || '');
    const parent = select([{ value: '', label: t('common.none') }, ...list.map(x => ({ value: x.id, label: x.name }))], '');
    formDialog(t(c ? 'cat.rename' : 'cat.add'), [field('common.name', name, 'name'), c ? null : field('cat.parent', parent, 'parentId')], async () => {
      await (c ? api(`/wrap-up-categories/${c.id}`, { method: 'PUT', body: { name: name.value } }) : api('/wrap-up-categories', { method: 'POST', body: { name: name.value, parentId: parent.value || null } }));
      reload();
    });
  };
  const move = (c, by) => attempt(() => api(`/wrap-up-categories/${c.id}/move`, { method: 'POST', body: { by } })).then(reload);
  box.append(card(null, el('div', { class: 'row end' }, button('cat.add', () => open(null), 'primary')), table([
    { key: 'common.name', value: ({ c, depth }) => el('span', {}, '\u00a0\u00a0\u00a0\u00a0'.repeat(depth), depth ? '└ ' : '', c.name) },
    { key: 'common.actions', value: ({ c }) => el('span', { class: 'row' }, button('common.moveUp', () => move(c, -1), 'link'), button('common.moveDown', () => move(c, 1), 'link'),
      button('cat.rename', () => open(c), 'link'),
      button('common.delete', () => confirmed('common.confirmDelete', { name: c.name }) && attempt(() => api(`/wrap-up-categories/${c.id}`, { method: 'DELETE' }), 'common.deleted').then(reload), 'link danger')) },
  ], ordered)));
}

async function quick(box, reload) {
  const [folders, replies] = await Promise.all([api('/quick-reply-folders'), api('/quick-replies')]);
  const publicFolders = folders.filter(f => f.library === 'public');
  const addFolder = () => {
    const name = input('');
    formDialog(t('qr.addFolder'), [field('common.name', name, 'name')], async () => { await api('/quick-reply-folders', { method: 'POST', body: { name: name.value, library: 'public' } }); reload(); });
  };
  const open = (r, folderId) => {
    const folder = select(publicFolders.map(f => ({ value: f.id, label: f.name })), r?.folderId || folderId);
    const text = textarea(r?.text || '', { rows: 4 });
    formDialog(t(r ? 'common.edit' : 'qr.add'), [field('qr.folder', folder, 'folderId'), field('qr.text', text, 'text')], async () => {
      const body = { folderId: folder.value, text: text.value };
      await (r ? api(`/quick-replies/${r.id}`, { method: 'PUT', body }) : api('/quick-replies', { method: 'POST', body }));
      reload();
    });
  };
  const move = (r, by) => attempt(() => api(`/quick-replies/${r.id}/move`, { method: 'POST', body: { by } })).then(reload);
  box.append(el('div', { class: 'row end' }, button('qr.addFolder', addFolder)), ...publicFolders.map(f => card(f.name,
    el('div', { class: 'row end' }, button('qr.add', () => open(null, f.id), 'primary'),
      button('common.delete', () => confirmed('common.confirmDelete', { name: f.name }) && attempt(() => api(`/quick-reply-folders/${f.id}`, { method: 'DELETE' }), 'common.deleted').then(reload), 'danger')),
    table([
      { key: 'qr.text', value: r => r.text },
      { key: 'common.actions', value: r => el('span', { class: 'row' }, button('common.moveUp', () => move(r, -1), 'link'), button('common.moveDown', () => move(r, 1), 'link'),
        button('common.edit', () => open(r), 'link'),
        button('common.delete', () => confirmed('common.confirmDelete', { name: r.text.slice(0, 20) }) && attempt(() => api(`/quick-replies/${r.id}`, { method: 'DELETE' }), 'common.deleted').then(reload), 'link danger')) },
    ], replies.filter(r => r.folderId === f.id).sort((a, b) => a.order - b.order)))));
}
