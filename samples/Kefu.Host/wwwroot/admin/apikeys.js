// API keys: list, create with permissions (the secret is shown once), revoke.
import { api } from '../lib/api.js';
import { el } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { header, card, table, field, input, checkbox, button, formDialog, dialog, confirmed, attempt, badge } from './ui.js';

export const strings = {
  zh: {
    'key.title': 'API 密钥', 'key.add': '新建密钥', 'key.permissions': '权限', 'key.created': '创建时间', 'key.revoke': '吊销',
    'key.secret': '请立即复制并妥善保存，此密钥只显示这一次：', 'key.usage': '调用时放在请求头 X-Api-Key 中。', 'key.done': '我已保存',
  },
  en: {
    'key.title': 'API keys', 'key.add': 'New key', 'key.permissions': 'Permissions', 'key.created': 'Created', 'key.revoke': 'Revoke',
    'key.secret': 'Copy and keep it now: this secret is shown only once:', 'key.usage': 'Send it in the X-Api-Key header.', 'key.done': 'I have saved it',
  },
};

export async function render(view, params, go) {
  const [keys, all] = await Promise.all([api('/api-keys'), api('/roles/permissions').catch(() => [])]);
  const reload = () => go({ r: Date.now() });
  const add = () => {
    const name = input('');
    const boxes = all.map(p => ({ p, box: checkbox(false) }));
    formDialog(t('key.add'), [field('common.name', name, 'name'),
      field('key.permissions', el('div', { class: 'checks' }, boxes.map(b => el('label', {}, b.box, t(`perm.${b.p}`)))), 'permissions')], async () => {
      const created = await api('/api-keys', { method: 'POST', body: { name: name.value, permissions: boxes.filter(b => b.box.checked).map(b => b.p) } });
      dialog(t('key.add'), (form, close) => form.append(el('p', {}, t('key.secret')), el('pre', { class: 'mono secret' }, created.secret),
        el('p', { class: 'muted' }, t('key.usage')), el('div', { class: 'row end' }, el('button', { type: 'button', class: 'primary', onclick: () => { close(); reload(); } }, t('key.done')))));
    });
  };
  view.append(header('key.title', button('key.add', add, 'primary')), card(null, table([
    { key: 'common.name', value: k => k.name }, { key: 'common.id', value: k => el('code', {}, k.id) },
    { key: 'key.permissions', value: k => el('div', { class: 'chips' }, k.permissions.length ? k.permissions.map(p => badge(t(`perm.${p}`), 'info')) : '—') },
    { key: 'key.created', value: k => new Date(k.createdAt).toLocaleString() },
    { key: 'common.actions', value: k => button('key.revoke', () => confirmed('common.confirmDelete', { name: k.name }) && attempt(() => api(`/api-keys/${k.id}`, { method: 'DELETE' }), 'common.deleted').then(reload), 'link danger') },
  ], keys)));
}
