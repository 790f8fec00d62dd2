// Channels and their associations (C6): the access codes visitors' widgets use.
import { api } from '../lib/api.js';
import { el } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { header, card, table, field, input, select, button, formDialog, confirmed, attempt, CHANNEL_KINDS } from './ui.js';

export const strings = {
  zh: {
    'chan.title': '渠道', 'chan.add': '新增渠道', 'chan.kind': '类型', 'chan.accessCode': '接入码', 'chan.associations': '关联（公众号、App 等）',
    'assoc.add': '新增关联', 'assoc.channel': '渠道', 'assoc.externalId': '外部 ID',
  },
  en: {
    'chan.title': 'Channels', 'chan.add': 'Add channel', 'chan.kind': 'Kind', 'chan.accessCode': 'Access code', 'chan.associations': 'Associations (accounts, apps …)',
    'assoc.add': 'Add association', 'assoc.channel': 'Channel', 'assoc.externalId': 'External ID',
  },
};

export async function render(view, params, go) {
  const [channels, associations] = await Promise.all([api('/channels'), api('/associations')]);
  const reload = () => go({ r: Date.now() });
  const open = c => {
    const kind = select(CHANNEL_KINDS.map(k => ({ value: k, label: t(`channel.${k}`) })), c?.kind || 'web', { disabled: !!c });
    const name = input(c?.name || ''), accessCode = input(c?.accessCode || '');
    formDialog(t(c ? 'common.edit' : 'chan.add'), [field('chan.kind', kind, 'kind'), field('common.name', name, 'name'), field('chan.accessCode', accessCode, 'accessCode')], async () => {
      const body = { kind: kind.value, name: name.value, accessCode: accessCode.value };
      await (c ? api(`/channels/${c.id}`, { method: 'PUT', body }) : api('/channels', { method: 'POST', body }));
      reload();
    });
  };
  const addAssociation = () => {
    const channel = select(channels.map(c => ({ value: c.id, label: c.name })), channels[0]?.id);
    const name = input(''), externalId = input('');
    formDialog(t('assoc.add'), [field('assoc.channel', channel, 'channelId'), field('common.name', name, 'name'), field('assoc.externalId', externalId, 'externalId')], async () => {
      await api('/associations', { method: 'POST', body: { channelId: channel.value, name: name.value, externalId: externalId.value || null } });
      reload();
    });
  };
  const del = (path, name) => confirmed('common.confirmDelete', { name }) && attempt(() => api(path, { method: 'DELETE' }), 'common.deleted').then(reload);
  view.append(
    header('chan.title', button('chan.add', () => open(null), 'primary')),
    card(null, table([
      { key: 'common.name', value: c => c.name }, { key: 'chan.kind', value: c => t(`channel.${c.kind}`) }, { key: 'chan.accessCode', value: c => el('code', {}, c.accessCode) },
      { key: 'common.actions', value: c => el('span', { class: 'row' }, button('common.edit', () => open(c), 'link'), button('common.delete', () => del(`/channels/${c.id}`, c.name), 'link danger')) },
    ], channels)),
    card(t('chan.associations'), el('div', { class: 'row end' }, button('assoc.add', addAssociation)), table([
      { key: 'common.name', value: a => a.name }, { key: 'assoc.channel', value: a => channels.find(c => c.id === a.channelId)?.name || a.channelId },
      { key: 'assoc.externalId', value: a => a.externalId || '—' },
      { key: 'common.actions', value: a => button('common.delete', () => del(`/associations/${a.id}`, a.name), 'link danger') },
    ], associations)));
}
