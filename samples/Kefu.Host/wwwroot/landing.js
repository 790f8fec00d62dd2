// The landing page: links to the visitor widget (for a tenant) and the workbench, in Chinese or English.
import { useDictionary, setLang, lang } from '/lib/i18n.js';
import { byId } from '/lib/dom.js';

useDictionary({
  zh: {
    headline: 'Kefu 客服参考主机', lead: '访客组件、客服工作台和管理后台，基于 Kefu .NET 客服 SDK。',
    visitor: '访客咨询', visitorText: '以访客身份打开在线客服组件（演示租户）。',
    agent: '客服工作台', agentText: '客服登录后接待会话、处理排队、查看历史。',
    admin: '管理后台', adminText: '配置团队、路由、机器人、敏感词，查看报表。',
    tenantLabel: '租户 ID', tenantHint: '启动时打印的演示租户 ID',
  },
  en: {
    headline: 'Kefu reference host', lead: 'The visitor widget, the agent workbench and the admin console, built on the Kefu .NET customer-service SDK.',
    visitor: 'Chat as a visitor', visitorText: 'Open the chat widget as a visitor (demo tenant).',
    agent: 'Agent workbench', agentText: 'Agents sign in to serve conversations, pick up the queue and look at history.',
    admin: 'Admin console', adminText: 'Team, routing, robots, sensitive words and reports.',
    tenantLabel: 'Tenant ID', tenantHint: 'the demo tenant id printed at start',
  },
});

const params = new URLSearchParams(location.search);
const tenant = byId('tenant');
tenant.value = params.get('tenant') || localStorage.getItem('kefu.agent.tenant') || '';

function updateLinks() {
  const id = tenant.value.trim();
  byId('visitor-link').href = id ? `/visitor/?tenant=${encodeURIComponent(id)}&channel=website` : '/visitor/';
  byId('agent-link').href = id ? `/agent/?tenant=${encodeURIComponent(id)}` : '/agent/';
}

tenant.addEventListener('input', updateLinks);
byId('lang').addEventListener('click', () => setLang(lang() === 'zh' ? 'en' : 'zh'));
document.addEventListener('langchange', () => { byId('lang').textContent = lang() === 'zh' ? 'EN' : '中文'; });
byId('lang').textContent = lang() === 'zh' ? 'EN' : '中文';
updateLinks();
