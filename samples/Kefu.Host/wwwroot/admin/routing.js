// Routing (R1–R14): robot mode and defaults, rules by channel / association / entry with all-day or work-hours
// targets and queue overflow, work hours and holidays, group strategies and the navigation menu. One PUT saves all.
import { api } from '../lib/api.js';
import { el, replace } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { header, card, table, field, input, number, select, checkbox, textarea, button, formDialog, submit, badge, lines, CHANNEL_KINDS } from './ui.js';

export const strings = {
  zh: {
    'rt.title': '路由规则', 'rt.general': '基本设置', 'rt.robotMode': '机器人模式', 'rt.defaultRobot': '默认机器人', 'rt.defaultTarget': '默认分配', 'rt.defaultPool': '默认客服池',
    'rt.rules': '规则（自上而下匹配）', 'rt.addRule': '新增规则', 'rt.condition': '条件', 'rt.targets': '分配到', 'rt.kindOrder': '规则类型优先级',
    'rt.whenKind': '条件类型', 'rt.channel': '渠道', 'rt.association': '关联', 'rt.entry': '入口', 'rt.allDay': '全天', 'rt.workHours': '工作时间', 'rt.offHours': '非工作时间',
    'rt.overflow': '排队溢出阈值（0 为不溢出）', 'rt.overflowTarget': '溢出到', 'rt.hours': '工作时间', 'rt.timeZone': '时区', 'rt.holidays': '节假日（每行一个 yyyy-MM-dd）',
    'rt.periods': '如 09:00-12:00, 13:30-18:00；留空为休息', 'rt.groups': '技能组分配策略', 'rt.strategy': '策略', 'rt.requireAcceptance': '需客服接受',
    'rt.navigation': '导航菜单', 'rt.navEnabled': '启用导航菜单', 'rt.navPrompt': '提示语', 'rt.navOptions': '选项（JSON：key, title, description, enabled）', 'rt.saveAll': '保存路由设置',
    'rt.none': '—', 'rt.kind.robot': '机器人', 'rt.kind.group': '技能组', 'rt.kind.agent': '客服', 'rt.isWorkTime': '现在是工作时间', 'rt.notWorkTime': '现在不是工作时间',
    'f.byRules': '按规则', 'f.robotOnly': '仅机器人', 'f.robotFirst': '机器人优先', 'f.humanOnly': '仅人工', 'f.humanFirst': '人工优先', 'f.ungroupedAgents': '未分组客服', 'f.anyAgent': '任意客服',
    'day.monday': '周一', 'day.tuesday': '周二', 'day.wednesday': '周三', 'day.thursday': '周四', 'day.friday': '周五', 'day.saturday': '周六', 'day.sunday': '周日',
  },
  en: {
    'rt.title': 'Routing', 'rt.general': 'General', 'rt.robotMode': 'Robot mode', 'rt.defaultRobot': 'Default robot', 'rt.defaultTarget': 'Default target', 'rt.defaultPool': 'Default pool',
    'rt.rules': 'Rules (first match wins)', 'rt.addRule': 'Add rule', 'rt.condition': 'Condition', 'rt.targets': 'Route to', 'rt.kindOrder': 'Rule kind order',
    'rt.whenKind': 'Condition kind', 'rt.channel': 'Channel', 'rt.association': 'Association', 'rt.entry': 'Entry', 'rt.allDay': 'All day', 'rt.workHours': 'Work hours', 'rt.offHours': 'Off hours',
    'rt.overflow': 'Queue overflow threshold (0 = none)', 'rt.overflowTarget': 'Overflow to', 'rt.hours': 'Work hours', 'rt.timeZone': 'Time zone', 'rt.holidays': 'Holidays (one yyyy-MM-dd per line)',
    'rt.periods': 'e.g. 09:00-12:00, 13:30-18:00; empty = closed', 'rt.groups': 'Group strategies', 'rt.strategy': 'Strategy', 'rt.requireAcceptance': 'Agent must accept',
    'rt.navigation': 'Navigation menu', 'rt.navEnabled': 'Show the navigation menu', 'rt.navPrompt': 'Prompt', 'rt.navOptions': 'Options (JSON: key, title, description, enabled)', 'rt.saveAll': 'Save routing',
    'rt.none': '—', 'rt.kind.robot': 'Robot', 'rt.kind.group': 'Group', 'rt.kind.agent': 'Agent', 'rt.isWorkTime': 'It is work time now', 'rt.notWorkTime': 'It is not work time now',
    'f.byRules': 'By rules', 'f.robotOnly': 'Robot only', 'f.robotFirst': 'Robot first', 'f.humanOnly': 'Human only', 'f.humanFirst': 'Human first', 'f.ungroupedAgents': 'Ungrouped agents', 'f.anyAgent': 'Any agent',
    'day.monday': 'Monday', 'day.tuesday': 'Tuesday', 'day.wednesday': 'Wednesday', 'day.thursday': 'Thursday', 'day.friday': 'Friday', 'day.saturday': 'Saturday', 'day.sunday': 'Sunday',
  },
};

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const STRATEGIES = ['least-loaded', 'round-robin', 'longest-idle', 'best-pick-up-rate'];

export async function render(view) {
  const [config, robots, groups, agents, associations, workTime] = await Promise.all([
    api('/routing'), api('/robots'), api('/groups'), api('/agents'), api('/associations').catch(() => []), api('/routing/work-time').catch(() => null),
  ]);
  const names = { robot: robots, group: groups, agent: agents };
  const targetText = x => x ? `${t(`rt.kind.${x.kind}`)}：${names[x.kind]?.find(i => i.id === x.id)?.name || x.id}` : t('rt.none');

  /** A kind + id picker for a routing target (or none). */
  const targetPicker = (value, allowNone = true) => {
    const kind = select([...(allowNone ? [{ value: '', label: t('rt.none') }] : []), ...['robot', 'group', 'agent'].map(k => ({ value: k, label: t(`rt.kind.${k}`) }))], value?.kind || '');
    const id = el('select');
    const fill = () => { replace(id, (names[kind.value] || []).map(i => el('option', { value: i.id }, i.name))); if (value?.kind === kind.value) id.value = value.id; };
    kind.addEventListener('change', fill);
    fill();
    return { node: el('span', { class: 'row' }, kind, id), read: () => (kind.value && id.value ? { kind: kind.value, id: id.value } : null) };
  };

  // general
  const robotMode = select(['byRules', 'robotOnly', 'robotFirst', 'humanOnly', 'humanFirst'].map(v => ({ value: v, label: t(`f.${v}`) })), config.robotMode);
  const defaultRobot = select([{ value: '', label: t('rt.none') }, ...robots.map(r => ({ value: r.id, label: r.name }))], config.defaultRobotId || '');
  const defaultTarget = targetPicker(config.defaultTarget);
  const defaultPool = select(['ungroupedAgents', 'anyAgent'].map(v => ({ value: v, label: t(`f.${v}`) })), config.defaultPool);
  const kindOrder = input(config.kindOrder.join(', '));

  // rules
  const rules = [...config.rules];
  const rulesBox = el('div');
  const condition = r => r.channel ? `${t('rt.channel')} = ${t(`channel.${r.channel}`)}` : r.associationId ? `${t('rt.association')} = ${associations.find(a => a.id === r.associationId)?.name || r.associationId}` : `${t('rt.entry')} = ${r.entry ?? r.entryGroupId ?? ''}`;
  const drawRules = () => replace(rulesBox, table([
    { key: 'common.name', value: r => r.name },
    { key: 'common.enabled', value: r => r.enabled ? badge(t('common.enabled'), 'ok') : badge(t('common.disabled')) },
    { key: 'rt.condition', value: r => condition(r) },
    { key: 'rt.targets', value: r => r.allDay ? `${t('rt.allDay')} → ${targetText(r.allDay)}` : `${t('rt.workHours')} → ${targetText(r.workHours)}; ${t('rt.offHours')} → ${targetText(r.offHours)}` },
    { key: 'common.actions', value: r => { const i = rules.indexOf(r); return el('span', { class: 'row' },
      button('common.moveUp', () => { if (i > 0) { rules.splice(i - 1, 0, rules.splice(i, 1)[0]); drawRules(); } }, 'link'),
      button('common.moveDown', () => { if (i < rules.length - 1) { rules.splice(i + 1, 0, rules.splice(i, 1)[0]); drawRules(); } }, 'link'),
      button('common.edit', () => editRule(r), 'link'), button('common.delete', () => { rules.splice(i, 1); drawRules(); }, 'link danger')); } },
  ], rules));
  const editRule = r => {
    const name = input(r?.name || ''), enabled = checkbox(r ? r.enabled : true);
    const whenKind = select(['channel', 'association', 'entry'].map(k => ({ value: k, label: t(`rt.${k}`) })), r?.associationId ? 'association' : r?.entry || r?.entryGroupId ? 'entry' : 'channel');
    const channel = select(CHANNEL_KINDS.map(k => ({ value: k, label: t(`channel.${k}`) })), r?.channel || 'web');
    const association = select(associations.map(a => ({ value: a.id, label: a.name })), r?.associationId || '');
    const entry = input(r?.entry || '');
    const allDay = targetPicker(r?.allDay), work = targetPicker(r?.workHours), off = targetPicker(r?.offHours);
    const overflow = number(r?.overflow?.threshold ?? 0, { min: 0 }), overflowTarget = targetPicker(r?.overflow?.target);
    formDialog(t(r ? 'common.edit' : 'rt.addRule'), [
      el('div', { class: 'form-grid' }, field('common.name', name, 'name'), el('div', { class: 'field check' }, el('label', {}, t('common.enabled')), enabled)),
      el('div', { class: 'form-grid' }, field('rt.whenKind', whenKind), field('rt.channel', channel, 'channel'), field('rt.association', association, 'associationId'), field('rt.entry', entry, 'entry')),
      field('rt.allDay', allDay.node, 'allDay'), field('rt.workHours', work.node, 'workHours'), field('rt.offHours', off.node, 'offHours'),
      el('div', { class: 'form-grid' }, field('rt.overflow', overflow, 'overflow'), field('rt.overflowTarget', overflowTarget.node)),
    ], async () => {
      const k = whenKind.value;
      const rule = {
        name: name.value.trim(), enabled: enabled.checked,
        channel: k === 'channel' ? channel.value : null, associationId: k === 'association' ? association.value || null : null, entry: k === 'entry' ? entry.value.trim() || null : null,
        entryGroupId: null, navigationOption: r?.navigationOption ?? null,
        allDay: allDay.read(), workHours: work.read(), offHours: off.read(),
        overflow: Number(overflow.value) > 0 && overflowTarget.read() ? { threshold: Number(overflow.value), target: overflowTarget.read() } : null,
      };
      if (r) rules[rules.indexOf(r)] = rule; else rules.push(rule);
      drawRules();
    });
  };
  drawRules();

  // work hours
  const tz = input(config.workHours.timeZone);
  const dayInputs = Object.fromEntries(DAYS.map(d => [d, input((config.workHours.week[d] || []).map(p => `${p.start.slice(0, 5)}-${p.end.slice(0, 5)}`).join(', '), { placeholder: t('rt.periods') })]));
  const holidays = textarea(config.workHours.holidays.join('\n'), { rows: 4 });
  const periods = text => lines(text.replace(/[,，]/g, '\n')).map(p => { const [start, end] = p.split(/\s*[-–~]\s*/); return { start: `${start}:00`.slice(0, 8), end: `${end}:00`.slice(0, 8) }; });

  // groups and navigation
  const groupRows = groups.map(g => {
    const current = config.groups.find(x => x.groupId === g.id);
    return { g, strategy: select(STRATEGIES.map(s => ({ value: s, label: s })), current?.strategy || 'least-loaded'), accept: checkbox(current?.requireAcceptance) };
  });
  const navEnabled = checkbox(config.navigation.enabled), navPrompt = input(config.navigation.prompt);
  const navOptions = textarea(JSON.stringify(config.navigation.options, null, 2), { rows: 5, class: 'mono' });

  const form = el('form', { novalidate: true });
  form.append(
    card(t('rt.general'), el('div', { class: 'form-grid' }, field('rt.robotMode', robotMode, 'robotMode'), field('rt.defaultRobot', defaultRobot, 'defaultRobotId'),
      field('rt.defaultTarget', defaultTarget.node, 'defaultTarget'), field('rt.defaultPool', defaultPool, 'defaultPool'), field('rt.kindOrder', kindOrder, 'kindOrder')),
      workTime === null ? null : el('p', { class: 'muted small' }, workTime ? t('rt.isWorkTime') : t('rt.notWorkTime'))),
    card(t('rt.rules'), el('div', { class: 'row end' }, button('rt.addRule', () => editRule(null))), rulesBox),
    card(t('rt.hours'), el('div', { class: 'form-grid' }, field('rt.timeZone', tz, 'timeZone'), DAYS.map(d => field(`day.${d}`, dayInputs[d], d))), field('rt.holidays', holidays, 'holidays')),
    card(t('rt.groups'), table([
      { key: 'common.name', value: x => x.g.name }, { key: 'rt.strategy', value: x => x.strategy }, { key: 'rt.requireAcceptance', value: x => x.accept },
    ], groupRows)),
    card(t('rt.navigation'), el('div', { class: 'field check' }, el('label', {}, t('rt.navEnabled')), navEnabled), field('rt.navPrompt', navPrompt, 'prompt'), field('rt.navOptions', navOptions, 'options')),
    el('div', { class: 'form-error error' }),
    el('div', { class: 'row end' }, el('button', { type: 'submit', class: 'primary' }, t('rt.saveAll'))));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    await submit(form, () => api('/routing', { method: 'PUT', body: {
      robotMode: robotMode.value, defaultRobotId: defaultRobot.value || null, defaultTarget: defaultTarget.read(), defaultPool: defaultPool.value,
      kindOrder: lines(kindOrder.value.replace(/,/g, '\n')), rules,
      workHours: { timeZone: tz.value.trim(), week: Object.fromEntries(DAYS.map(d => [d, periods(dayInputs[d].value)]).filter(([, p]) => p.length)), holidays: lines(holidays.value) },
      navigation: { enabled: navEnabled.checked, prompt: navPrompt.value, options: JSON.parse(navOptions.value || '[]') },
      groups: groupRows.map(x => ({ groupId: x.g.id, strategy: x.strategy.value, requireAcceptance: x.accept.checked })),
    } }));
  });
  view.append(header('rt.title'), form);
}
