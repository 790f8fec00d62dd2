// The tenant administrator's console: sign-in, the left navigation and the hash router (#/dashboard,
// #/history?tab=…). Each area is a module exporting render(view, params, go) and its own strings.
import { signIn, signOut, currentSession, ApiError } from '../lib/api.js';
import { el, byId, replace } from '../lib/dom.js';
import { useDictionary, t, setLang, lang } from '../lib/i18n.js';
import { strings } from './strings.js';
import { loading, failure } from './ui.js';

import * as dashboard from './dashboard.js';
import * as reports from './reports.js';
import * as history from './history.js';
import * as voice from './voice.js';
import * as quality from './quality.js';
import * as team from './team.js';
import * as channels from './channels.js';
import * as conversation from './conversation.js';
import * as routing from './routing.js';
import * as robots from './robots.js';
import * as words from './words.js';
import * as apikeys from './apikeys.js';
import * as account from './account.js';

const AREAS = [
  { group: 'nav.group.service' },
  { route: 'dashboard', icon: '◎', module: dashboard, permission: 'reports.view' },
  { route: 'reports', icon: '▤', module: reports, permission: 'reports.view' },
  { route: 'history', icon: '☰', module: history, permission: 'history.view' },
  { route: 'voice', icon: '☁', module: voice, permission: 'reports.view' },
  { route: 'quality', icon: '✓', module: quality, permission: 'reports.view' },
  { group: 'nav.group.settings' },
  { route: 'team', icon: '☺', module: team, permission: 'team.manage' },
  { route: 'channels', icon: '⇄', module: channels, permission: 'configuration.manage' },
  { route: 'conversation', icon: '✉', module: conversation, permission: 'configuration.manage' },
  { route: 'routing', icon: '⤳', module: routing, permission: 'configuration.manage' },
  { route: 'robots', icon: '⚙', module: robots, permission: 'configuration.manage' },
  { route: 'words', icon: '⚑', module: words, permission: 'configuration.manage' },
  { route: 'apikeys', icon: '⚿', module: apikeys, permission: 'configuration.manage' },
  { route: 'account', icon: '⚷', module: account },
];

let session = null;
let renderToken = 0;

/** Merges the common strings with every area's. */
function dictionary() {
  const d = { zh: { ...strings.zh }, en: { ...strings.en } };
  for (const a of AREAS) if (a.module?.strings) { Object.assign(d.zh, a.module.strings.zh); Object.assign(d.en, a.module.strings.en); }
  return d;
}

function parseHash() {
  const [path, query] = location.hash.replace(/^#\/?/, '').split('?');
  return { route: path || 'dashboard', params: Object.fromEntries(new URLSearchParams(query || '')) };
}

/** Navigates to a route with parameters (kept in the hash, so reload and back work). */
export function go(route, params = {}) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString();
  const hash = `#/${route}${q ? '?' + q : ''}`;
  if (location.hash === hash) render(); else location.hash = hash;
}

function allowed(area) {
  return !area.permission || session?.permissions?.includes(area.permission);
}

function renderNav(current) {
  replace(byId('nav'), AREAS.map(a => a.group
    ? el('div', { class: 'nav-group' }, t(a.group))
    : allowed(a) ? el('a', { href: `#/${a.route}`, class: a.route === current ? 'active' : '', dataset: { route: a.route } },
      el('span', { class: 'icon', 'aria-hidden': 'true' }, a.icon), t(`nav.${a.route}`)) : null));
}

async function render() {
  if (!session) return;
  const { route, params } = parseHash();
  const area = AREAS.find(a => a.route === route && allowed(a)) || AREAS.find(a => a.route && allowed(a));
  renderNav(area.route);
  replace(byId('crumb'), t(`nav.${area.route}`));
  document.title = `${t(`nav.${area.route}`)} · ${t('app.title')}`;
  const view = byId('view');
  const token = ++renderToken;
  replace(view, loading());
  const host = el('div', { class: 'area', dataset: { area: area.route } });
  try {
    await area.module.render(host, params, (p) => go(area.route, p));
    if (token === renderToken) replace(view, host);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) { showSignIn(); return; }
    if (token === renderToken) replace(view, failure(e));
  }
}

function langSwitches() {
  for (const box of document.querySelectorAll('.lang-switch')) {
    replace(box, ['zh', 'en'].map(l => el('button', {
      type: 'button', class: l === lang() ? 'lang active' : 'lang', onclick: () => setLang(l), dataset: { lang: l },
    }, l === 'zh' ? '中文' : 'English')));
  }
}

function showSignIn() {
  session = null;
  byId('shell').classList.add('hidden');
  byId('signin').classList.remove('hidden');
  const tenant = new URLSearchParams(location.search).get('tenant');
  if (tenant && !byId('tenant').value) byId('tenant').value = tenant;
  (byId('tenant').value ? byId('account') : byId('tenant')).focus();
}

function showShell() {
  byId('signin').classList.add('hidden');
  byId('shell').classList.remove('hidden');
  replace(byId('who'), session.agent ? session.agent.name : '');
  render();
}

async function onSignIn(e) {
  e.preventDefault();
  const form = e.target;
  const error = byId('signin-error');
  error.textContent = '';
  const tenantId = form.tenantId.value.trim();
  if (!/^\d+$/.test(tenantId)) { error.textContent = t('signin.badTenant'); return; }
  try {
    session = await signIn({ tenantId, account: form.account.value.trim(), password: form.password.value });
    form.password.value = '';
    showShell();
  } catch (err) {
    error.textContent = err instanceof ApiError && err.status === 429 ? t('signin.tooMany') : err instanceof ApiError && err.status === 401 ? t('signin.failed') : String(err.message);
  }
}

async function start() {
  useDictionary(dictionary());
  langSwitches();
  document.addEventListener('langchange', () => { langSwitches(); if (session) render(); });
  byId('signin-form').addEventListener('submit', onSignIn);
  byId('signout').addEventListener('click', async () => { await signOut().catch(() => {}); showSignIn(); });
  window.addEventListener('hashchange', render);
  const current = await currentSession().catch(() => null);
  if (current && current.kind === 'agent') { session = current; showShell(); } else showSignIn();
}

start();
