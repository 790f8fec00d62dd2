// Team (C2–C5): agents (add, edit, enable/disable, reset password, delete), departments, roles and skill groups.
import { api } from '../lib/api.js';
import { el } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { header, card, table, field, input, number, select, checkbox, textarea, button, tabs, formDialog, confirmed, attempt, badge, toast } from './ui.js';

export const strings = {
  zh: {
    'team.title': '团队', 'team.agents': '客服', 'team.departments': '部门', 'team.roles': '角色', 'team.groups': '技能组',
    'agent.account': '账号', 'agent.name': '姓名', 'agent.nickname': '昵称', 'agent.employeeNumber': '工号', 'agent.email': '邮箱', 'agent.department': '部门',
    'agent.roles': '角色', 'agent.maxChats': '最大接待数', 'agent.password': '初始密码', 'agent.status': '状态', 'agent.add': '新增客服', 'agent.edit': '编辑客服',
    'agent.reset': '重置密码', 'agent.newPassword': '新密码', 'agent.passwordReset': '密码已重置', 'dept.add': '新增部门', 'dept.parent': '上级部门',
    'dept.description': '说明', 'role.add': '新增角色', 'role.code': '编码', 'role.permissions': '权限', 'group.add': '新增技能组', 'group.members': '成员',
    'common.none': '无',
    'perm.conversations.serve': '接待会话', 'perm.conversations.view-all': '查看所有会话', 'perm.history.view': '查看历史', 'perm.customers.manage': '管理客户',
    'perm.team.manage': '管理团队', 'perm.configuration.manage': '管理配置', 'perm.reports.view': '查看报表',
  },
  en: {
    'team.title': 'Team', 'team.agents': 'Agents', 'team.departments': 'Departments', 'team.roles': 'Roles', 'team.groups': 'Skill groups',
    'agent.account': 'Account', 'agent.name': 'Name', 'agent.nickname': 'Nickname', 'agent.employeeNumber': 'Employee no.', 'agent.email': 'Email', 'agent.department': 'Department',
    'agent.roles': 'Roles', 'agent.maxChats': 'Max chats', 'agent.password': 'Initial password', 'agent.status': 'Status', 'agent.add': 'Add agent', 'agent.edit': 'Edit agent',
    'agent.reset': 'Reset password', 'agent.newPassword': 'New password', 'agent.passwordReset': 'Password reset', 'dept.add': 'Add department', 'dept.parent': 'Parent',
    'dept.description': 'Description', 'role.add': 'Add role', 'role.code': 'Code', 'role.permissions': 'Permissions', 'group.add': 'Add skill group', 'group.members': 'Members',
    'common.none': 'None',
    'perm.conversations.serve': 'Serve conversations', 'perm.conversations.view-all': 'See all conversations', 'perm.history.view': 'View history', 'perm.customers.manage': 'Manage customers',
    'perm.team.manage': 'Manage team', 'perm.configuration.manage': 'Manage configuration', 'perm.reports.view': 'View reports',
  },
};

const TABS = [{ key: 'agents', label: 'team.agents' }, { key: 'departments', label: 'team.departments' }, { key: 'roles', label: 'team.roles' }, { key: 'groups', label: 'team.groups' }];

export async function render(view, params, go) {
  const tab = TABS.some(x => x.key === params.tab) ? params.tab : 'agents';
  const reload = () => go({ tab, r: Date.now() });
  const [agents, departments, roles, groups] = await Promise.all([api('/agents'), api('/departments'), api('/roles'), api('/groups')]);
  const ctx = { agents, departments, roles, groups, reload };
  const body = { agents: agentsView, departments: departmentsView, roles: rolesView, groups: groupsView }[tab](ctx);
  view.append(header('team.title', body.action), tabs(TABS, tab, key => go({ tab: key })), card(null, body.node));
}

/** Checkboxes for ids (kept as strings: 64-bit). */
function idChecks(items, chosen, labelOf) {
  const boxes = items.map(i => ({ id: i.id, box: checkbox(chosen.includes(i.id)) }));
  return { node: el('div', { class: 'checks' }, boxes.map((b, i) => el('label', {}, b.box, labelOf(items[i])))), read: () => boxes.filter(b => b.box.checked).map(b => b.id) };
}

function agentsView({ agents, departments, roles, reload }) {
  const deptName = id => departments.find(d => d.id === id)?.name || '—';
  const roleNames = ids => ids.map(id => roles.find(r => r.id === id)?.name || id).join('、') || '—';
  const open = a => {
    const f = {
      account: input(a?.account || '', { disabled: !!a }), password: input('', { type: 'password', autocomplete: 'new-password' }),
      name: input(a?.name || ''), nickname: input(a?.nickname || ''), employeeNumber: input(a?.employeeNumber || ''), email: input(a?.email || '', { type: 'email' }),
      departmentId: select([{ value: '', label: t('common.none') }, ...departments.map(d => ({ value: d.id, label: d.name }))], a?.departmentId || ''),
      maxConcurrentChats: number(a?.maxConcurrentChats ?? 10, { min: 1 }),
    };
    const roleBoxes = idChecks(roles, a?.roleIds || [], r => r.name);
    const body = () => ({
      name: f.name.value, nickname: f.nickname.value || null, employeeNumber: f.employeeNumber.value, email: f.email.value || null,
      departmentId: f.departmentId.value || null, maxConcurrentChats: Number(f.maxConcurrentChats.value), roleIds: roleBoxes.read(),
    });
    formDialog(t(a ? 'agent.edit' : 'agent.add'), [
      el('div', { class: 'form-grid' },
        field('agent.account', f.account, 'account'), a ? null : field('agent.password', f.password, 'password'),
        field('agent.name', f.name, 'name'), field('agent.nickname', f.nickname, 'nickname'), field('agent.employeeNumber', f.employeeNumber, 'employeeNumber'),
        field('agent.email', f.email, 'email'), field('agent.department', f.departmentId, 'departmentId'), field('agent.maxChats', f.maxConcurrentChats, 'maxConcurrentChats')),
      field('agent.roles', roleBoxes.node, 'roleIds'),
    ], async () => {
      if (a) await api(`/agents/${a.id}`, { method: 'PUT', body: body() });
      else await api('/agents', { method: 'POST', body: { ...body(), account: f.account.value, password: f.password.value } });
      reload();
    });
  };
  const reset = a => {
    const pw = input('', { type: 'password', autocomplete: 'new-password' });
    formDialog(`${t('agent.reset')} · ${a.name}`, [field('agent.newPassword', pw, 'newPassword')], async () => {
      await api(`/agents/${a.id}/password`, { method: 'POST', body: { newPassword: pw.value } });
      toast(t('agent.passwordReset'));
    });
  };
  return {
    action: button('agent.add', () => open(null), 'primary'),
    node: table([
      { key: 'agent.name', value: a => el('span', {}, a.name, a.nickname ? el('span', { class: 'muted' }, ` (${a.nickname})`) : null) },
      { key: 'agent.account', value: a => a.account }, { key: 'agent.employeeNumber', value: a => a.employeeNumber },
      { key: 'agent.department', value: a => deptName(a.departmentId) }, { key: 'agent.roles', value: a => roleNames(a.roleIds) },
      { key: 'agent.maxChats', class: 'num', value: a => String(a.maxConcurrentChats) },
      { key: 'agent.status', value: a => a.enabled ? badge(t('common.enabled'), 'ok') : badge(t('common.disabled'), 'bad') },
      { key: 'common.actions', value: a => el('span', { class: 'row' },
        button('common.edit', () => open(a), 'link'),
        button(a.enabled ? 'common.disable' : 'common.enable', () => attempt(() => api(`/agents/${a.id}/enabled`, { method: 'PUT', body: { enabled: !a.enabled } }), 'common.saved').then(reload), 'link'),
        button('agent.reset', () => reset(a), 'link'),
        button('common.delete', () => confirmed('common.confirmDelete', { name: a.name }) && attempt(() => api(`/agents/${a.id}`, { method: 'DELETE' }), 'common.deleted').then(reload), 'link danger')) },
    ], agents),
  };
}

function departmentsView({ departments, reload }) {
  const nameOf = id => departments.find(d => d.id === id)?.name || '—';
  const open = d => {
    const name = input(d?.name || ''), description = textarea(d?.description || '');
    const parent = select([{ value: '', label: t('common.none') }, ...departments.filter(x => x.id !== d?.id).map(x => ({ value: x.id, label: x.name }))], d?.parentId || '', { disabled: !!d });
    formDialog(t(d ? 'common.edit' : 'dept.add'), [field('common.name', name, 'name'), field('dept.parent', parent, 'parentId'), field('dept.description', description, 'description')], async () => {
      const body = { name: name.value, description: description.value || null, parentId: parent.value || null };
      await (d ? api(`/departments/${d.id}`, { method: 'PUT', body }) : api('/departments', { method: 'POST', body }));
      reload();
    });
  };
  return {
    action: button('dept.add', () => open(null), 'primary'),
    node: table([
      { key: 'common.name', value: d => d.name }, { key: 'dept.parent', value: d => d.parentId ? nameOf(d.parentId) : '—' }, { key: 'dept.description', value: d => d.description || '' },
      { key: 'common.actions', value: d => el('span', { class: 'row' }, button('common.edit', () => open(d), 'link'),
        button('common.delete', () => confirmed('common.confirmDelete', { name: d.name }) && attempt(() => api(`/departments/${d.id}`, { method: 'DELETE' }), 'common.deleted').then(reload), 'link danger')) },
    ], departments),
  };
}

function rolesView({ roles, reload }) {
  const open = async r => {
    const all = await api('/roles/permissions');
    const code = input(r?.code || ''), name = input(r?.name || ''), description = textarea(r?.description || '');
    const boxes = all.map(p => ({ p, box: checkbox(r?.permissions?.includes(p)) }));
    formDialog(t(r ? 'common.edit' : 'role.add'), [
      el('div', { class: 'form-grid' }, field('role.code', code, 'code'), field('common.name', name, 'name')), field('dept.description', description, 'description'),
      field('role.permissions', el('div', { class: 'checks' }, boxes.map(b => el('label', {}, b.box, t(`perm.${b.p}`)))), 'permissions'),
    ], async () => {
      const body = { code: code.value, name: name.value, description: description.value || null, permissions: boxes.filter(b => b.box.checked).map(b => b.p) };
      await (r ? api(`/roles/${r.id}`, { method: 'PUT', body }) : api('/roles', { method: 'POST', body }));
      reload();
    });
  };
  return {
    action: button('role.add', () => open(null), 'primary'),
    node: table([
      { key: 'common.name', value: r => r.name }, { key: 'role.code', value: r => r.code },
      { key: 'role.permissions', value: r => el('div', { class: 'chips' }, r.permissions.map(p => el('span', { class: 'chip' }, t(`perm.${p}`)))) },
      { key: 'agent.status', value: r => r.enabled ? badge(t('common.enabled'), 'ok') : badge(t('common.disabled'), 'bad') },
      { key: 'common.actions', value: r => el('span', { class: 'row' }, button('common.edit', () => open(r), 'link'),
        button(r.enabled ? 'common.disable' : 'common.enable', () => attempt(() => api(`/roles/${r.id}/enabled`, { method: 'PUT', body: { enabled: !r.enabled } }), 'common.saved').then(reload), 'link'),
        button('common.delete', () => confirmed('common.confirmDelete', { name: r.name }) && attempt(() => api(`/roles/${r.id}`, { method: 'DELETE' }), 'common.deleted').then(reload), 'link danger')) },
    ], roles),
  };
}

function groupsView({ groups, agents, reload }) {
  const open = g => {
    const name = input(g?.name || '');
    const members = idChecks(agents, g?.memberIds || [], a => a.name);
    formDialog(t(g ? 'common.edit' : 'group.add'), [field('common.name', name, 'name'), field('group.members', members.node, 'members')], async () => {
      const group = g ? await api(`/groups/${g.id}`, { method: 'PUT', body: { name: name.value } }) : await api('/groups', { method: 'POST', body: { name: name.value } });
      const chosen = members.read();
      const before = group.memberIds || [];
      const add = chosen.filter(id => !before.includes(id)), remove = before.filter(id => !chosen.includes(id));
      if (add.length || remove.length) await api(`/groups/${group.id}/members`, { method: 'PUT', body: { add, remove } });
      reload();
    });
  };
  return {
    action: button('group.add', () => open(null), 'primary'),
    node: table([
      { key: 'common.name', value: g => g.name },
      { key: 'group.members', value: g => el('div', { class: 'chips' }, g.memberIds.map(id => el('span', { class: 'chip' }, agents.find(a => a.id === id)?.name || id))) },
      { key: 'common.actions', value: g => el('span', { class: 'row' }, button('common.edit', () => open(g), 'link'),
        button('common.delete', () => confirmed('common.confirmDelete', { name: g.name }) && attempt(() => api(`/groups/${g.id}`, { method: 'DELETE' }), 'common.deleted').then(reload), 'link danger')) },
    ], groups),
  };
}
