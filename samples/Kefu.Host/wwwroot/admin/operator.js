// The operator's multi-tenant administration (C1, E17 3): tenants (list, create from the template, limits), the
// template itself, and the roll-up report across tenants with thresholds, chart and export.
import { api, signIn, signOut, currentSession, ApiError } from '../lib/api.js';
import { el, byId, replace } from '../lib/dom.js';
import { useDictionary, t, setLang, lang } from '../lib/i18n.js';
import { barChart } from '../lib/charts.js';
import { strings as common } from './strings.js';
import { header, card, table, field, input, number, checkbox, button, formDialog, submit, exportButtons, downloadPost, range, daysAgo, day, loading, failure, seconds, toast } from './ui.js';
import { objectForm } from './objform.js';

const strings = {
  zh: {
    'op.title': 'Kefu 多租户管理', 'op.lead': '运营方登录', 'op.tenantAdmin': '租户管理员登录', 'op.operator': '运营方',
    'op.tenants': '租户', 'op.template': '租户模板', 'op.summary': '多租户汇总报表', 'op.addTenant': '新建租户', 'op.tenantName': '租户名称', 'op.created': '创建时间',
    'op.admin': '管理员', 'op.adminAccount': '管理员账号', 'op.adminPassword': '管理员密码', 'op.adminName': '管理员姓名', 'op.employeeNumber': '工号',
    'op.limits': '限额', 'op.maxAgents': '最多客服数', 'op.chatLimitRaised': '单客服接待上限提高到 200', 'op.openConsole': '打开管理后台', 'op.createdTenant': '租户“{name}”已创建，ID {id}',
    'op.templateNote': '新建的租户按此模板初始化。', 'op.filter': '筛选租户', 'op.conversations': '会话数', 'op.messages': '消息数', 'op.visitors': '独立访客',
    'op.durationAvg': '平均时长', 'op.firstResponseAvg': '平均首次响应', 'op.responseAvg': '平均响应', 'op.satisfactionAvg': '平均满意度',
    'op.minDuration': '平均时长 ≥（秒）', 'op.maxDuration': '平均时长 ≤（秒）', 'op.maxFirstResponse': '首次响应 ≤（秒）', 'op.maxResponse': '平均响应 ≤（秒）', 'op.minSatisfaction': '满意度 ≥',
    'f.maxAgents': '最多客服数', 'f.inactiveSessionAutoClose': '无活动自动结束会话', 'f.mandatorySessionTagOnClose': '结束前必须打标签', 'f.visitorNoReplyAutoClose': '访客未回复自动结束',
  },
  en: {
    'op.title': 'Kefu multi-tenant admin', 'op.lead': 'Operator sign-in', 'op.tenantAdmin': 'Tenant administrator sign-in', 'op.operator': 'Operator',
    'op.tenants': 'Tenants', 'op.template': 'Tenant template', 'op.summary': 'Roll-up report', 'op.addTenant': 'New tenant', 'op.tenantName': 'Tenant name', 'op.created': 'Created',
    'op.admin': 'Administrator', 'op.adminAccount': 'Admin account', 'op.adminPassword': 'Admin password', 'op.adminName': 'Admin name', 'op.employeeNumber': 'Employee no.',
    'op.limits': 'Limits', 'op.maxAgents': 'Max agents', 'op.chatLimitRaised': 'Raise the per-agent chat limit to 200', 'op.openConsole': 'Open console', 'op.createdTenant': 'Tenant “{name}” created, ID {id}',
    'op.templateNote': 'New tenants start from this template.', 'op.filter': 'Tenants', 'op.conversations': 'Conversations', 'op.messages': 'Messages', 'op.visitors': 'Unique visitors',
    'op.durationAvg': 'Avg duration', 'op.firstResponseAvg': 'Avg first response', 'op.responseAvg': 'Avg response', 'op.satisfactionAvg': 'Avg satisfaction',
    'op.minDuration': 'Avg duration ≥ (s)', 'op.maxDuration': 'Avg duration ≤ (s)', 'op.maxFirstResponse': 'First response ≤ (s)', 'op.maxResponse': 'Avg response ≤ (s)', 'op.minSatisfaction': 'Satisfaction ≥',
    'f.maxAgents': 'Max agents', 'f.inactiveSessionAutoClose': 'Close inactive conversations', 'f.mandatorySessionTagOnClose': 'Tag required to close', 'f.visitorNoReplyAutoClose': 'Close when the visitor is silent',
  },
};

const AREAS = [{ route: 'tenants', icon: '▦', render: tenants }, { route: 'summary', icon: '▤', render: summary }, { route: 'template', icon: '⚙', render: template }];
let signedIn = false;

function route() {
  const [path, query] = location.hash.replace(/^#\/?/, '').split('?');
  return { area: AREAS.find(a => a.route === path) || AREAS[0], params: Object.fromEntries(new URLSearchParams(query || '')) };
}

function go(r, params = {}) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v !== undefined && v !== null)).toString();
  const hash = `#/${r}${q ? '?' + q : ''}`;
  if (location.hash === hash) render(); else location.hash = hash;
}

async function render() {
  if (!signedIn) return;
  const { area, params } = route();
  replace(byId('nav'), AREAS.map(a => el('a', { href: `#/${a.route}`, class: a === area ? 'active' : '', dataset: { route: a.route } },
    el('span', { class: 'icon', 'aria-hidden': 'true' }, a.icon), t(`op.${a.route}`))));
  replace(byId('crumb'), t(`op.${area.route}`));
  const view = byId('view');
  replace(view, loading());
  const host = el('div', { class: 'area', dataset: { area: area.route } });
  try {
    await area.render(host, params, p => go(area.route, p));
    replace(view, host);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) { showSignIn(); return; }
    replace(view, failure(e));
  }
}

async function tenants(view, params, reload) {
  const list = await api('/organisation/tenants');
  const add = () => {
    const name = input(''), account = input(''), password = input('', { type: 'password', autocomplete: 'new-password' }), adminName = input(''), employee = input('A001');
    formDialog(t('op.addTenant'), [
      field('op.tenantName', name, 'name'),
      el('fieldset', {}, el('legend', {}, t('op.admin')), el('div', { class: 'form-grid' },
        field('op.adminAccount', account, 'account'), field('op.adminPassword', password, 'password'), field('op.adminName', adminName, 'administrator.name'), field('op.employeeNumber', employee, 'employeeNumber'))),
      el('p', { class: 'muted small' }, t('op.templateNote')),
    ], async () => {
      const tenant = await api('/organisation/tenants', { method: 'POST', body: {
        name: name.value.trim(),
        administrator: account.value.trim() ? { account: account.value.trim(), password: password.value, name: adminName.value.trim() || account.value.trim(), employeeNumber: employee.value.trim() } : null,
      } });
      toast(t('op.createdTenant', { name: tenant.name, id: tenant.id }));
      reload({ created: tenant.id });
    });
  };
  const limits = tnt => {
    const maxAgents = number(100, { min: 1 }), raised = checkbox(false);
    formDialog(`${t('op.limits')} · ${tnt.name}`, [field('op.maxAgents', maxAgents, 'maxAgents'), el('div', { class: 'field check' }, el('label', {}, t('op.chatLimitRaised')), raised)],
      () => api(`/organisation/tenants/${tnt.id}/limits`, { method: 'PUT', body: { maxAgents: Number(maxAgents.value), chatLimitRaised: raised.checked } }));
  };
  view.append(header('op.tenants', button('op.addTenant', add, 'primary')), card(null, table([
    { key: 'op.tenantName', value: x => x.name }, { key: 'common.id', value: x => el('code', {}, x.id) },
    { key: 'op.created', value: x => new Date(x.createdAt).toLocaleString() },
    { key: 'common.actions', value: x => el('span', { class: 'row' }, button('op.limits', () => limits(x), 'link'),
      el('a', { href: `./?tenant=${encodeURIComponent(x.id)}`, target: '_blank', rel: 'noopener' }, t('op.openConsole'))) },
  ], list, { rowClass: x => (x.id === params.created ? 'selected' : '') })));
}

async function template(view) {
  const value = await api('/organisation/template');
  const generated = objectForm(value);
  const form = el('form', { novalidate: true }, el('p', { class: 'muted' }, t('op.templateNote')), generated.node, el('div', { class: 'form-error error' }),
    el('div', { class: 'row end' }, el('button', { type: 'submit', class: 'primary' }, t('common.save'))));
  form.addEventListener('submit', e => { e.preventDefault(); submit(form, () => api('/organisation/template', { method: 'PUT', body: generated.read() })); });
  view.append(header('op.template'), card(null, form));
}

async function summary(view, params, reload) {
  const list = await api('/organisation/tenants');
  const r = range(params.from || daysAgo(29), params.to || day());
  const chosen = new Set((params.tenants || '').split(',').filter(Boolean));
  const boxes = list.map(x => ({ x, box: checkbox(chosen.has(x.id)) }));
  const thresholds = {
    minDurationAverage: number(params.minDurationAverage ?? ''), maxDurationAverage: number(params.maxDurationAverage ?? ''),
    maxFirstResponseAverage: number(params.maxFirstResponseAverage ?? ''), maxResponseAverage: number(params.maxResponseAverage ?? ''),
    minSatisfactionAverage: number(params.minSatisfactionAverage ?? '', { step: 0.1 }),
  };
  const labels = { minDurationAverage: 'op.minDuration', maxDurationAverage: 'op.maxDuration', maxFirstResponseAverage: 'op.maxFirstResponse', maxResponseAverage: 'op.maxResponse', minSatisfactionAverage: 'op.minSatisfaction' };
  const query = () => {
    const ids = boxes.filter(b => b.box.checked).map(b => b.x.id);
    const q = { from: r.from.value, to: r.to.value, tenantIds: ids.length ? ids : null };
    for (const [k, inputNode] of Object.entries(thresholds)) q[k] = inputNode.value === '' ? null : Number(inputNode.value);
    return q;
  };
  const out = el('div');
  const form = el('form', { novalidate: true },
    el('div', { class: 'toolbar' }, field('common.range', r.node, 'from'), Object.entries(thresholds).map(([k, n]) => field(labels[k], n, k))),
    field('op.filter', el('div', { class: 'checks' }, boxes.map(b => el('label', {}, b.box, b.x.name))), 'tenantIds'),
    el('div', { class: 'form-error error' }),
    el('div', { class: 'row' }, el('button', { type: 'submit', class: 'primary' }, t('common.search')), exportButtons((format, language) => downloadPost('/organisation/summaries/export', query(), { format, language }))));
  const run = async () => {
    const rows = await submit(form, () => api('/organisation/summaries', { method: 'POST', body: query() }), null);
    if (!rows) return;
    replace(out, card(t('op.conversations'), barChart({ labels: rows.map(x => x.name), series: [
      { name: t('op.conversations'), values: rows.map(x => Number(x.conversations)) }, { name: t('op.visitors'), values: rows.map(x => Number(x.uniqueVisitors)) }] })),
    card(null, table([
      { key: 'op.tenantName', value: x => x.name }, { key: 'op.conversations', class: 'num', value: x => x.conversations }, { key: 'op.messages', class: 'num', value: x => x.messages },
      { key: 'op.visitors', class: 'num', value: x => x.uniqueVisitors }, { key: 'op.durationAvg', class: 'num', value: x => seconds(x.durationAverage) },
      { key: 'op.firstResponseAvg', class: 'num', value: x => seconds(x.firstResponseAverage) }, { key: 'op.responseAvg', class: 'num', value: x => seconds(x.responseAverage) },
      { key: 'op.satisfactionAvg', class: 'num', value: x => (x.satisfactionAverage === null ? '—' : x.satisfactionAverage.toFixed(2)) },
    ], rows)));
  };
  form.addEventListener('submit', e => { e.preventDefault(); run(); });
  view.append(header('op.summary'), card(null, form), out);
  await run();
}

function langSwitches() {
  for (const box of document.querySelectorAll('.lang-switch')) {
    replace(box, ['zh', 'en'].map(l => el('button', { type: 'button', class: l === lang() ? 'lang active' : 'lang', onclick: () => setLang(l), dataset: { lang: l } }, l === 'zh' ? '中文' : 'English')));
  }
}

function showSignIn() {
  signedIn = false;
  byId('shell').classList.add('hidden');
  byId('signin').classList.remove('hidden');
  byId('account').focus();
}

function showShell() {
  signedIn = true;
  byId('signin').classList.add('hidden');
  byId('shell').classList.remove('hidden');
  render();
}

async function start() {
  useDictionary({ zh: { ...common.zh, ...strings.zh }, en: { ...common.en, ...strings.en } });
  langSwitches();
  document.addEventListener('langchange', () => { langSwitches(); render(); });
  window.addEventListener('hashchange', render);
  byId('signout').addEventListener('click', async () => { await signOut().catch(() => {}); showSignIn(); });
  byId('signin-form').addEventListener('submit', async e => {
    e.preventDefault();
    const error = byId('signin-error');
    error.textContent = '';
    try {
      await signIn({ operator: true, account: e.target.account.value.trim(), password: e.target.password.value });
      e.target.password.value = '';
      showShell();
    } catch (err) {
      error.textContent = err instanceof ApiError && err.status === 429 ? t('signin.tooMany') : t('signin.failed');
    }
  });
  const session = await currentSession().catch(() => null);
  if (session?.kind === 'operator') showShell(); else showSignIn();
}

start();
