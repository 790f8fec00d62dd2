// The signed-in administrator's password (IS 1.2).
import { api } from '../lib/api.js';
import { el } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { header, card, field, input, showError, clearErrors, toast } from './ui.js';

export const strings = {
  zh: { 'acc.title': '修改密码', 'acc.current': '当前密码', 'acc.new': '新密码', 'acc.repeat': '再次输入新密码', 'acc.mismatch': '两次输入的新密码不一致', 'acc.wrong': '当前密码不正确', 'acc.changed': '密码已修改' },
  en: { 'acc.title': 'Change password', 'acc.current': 'Current password', 'acc.new': 'New password', 'acc.repeat': 'New password again', 'acc.mismatch': 'The new passwords differ', 'acc.wrong': 'The current password is wrong', 'acc.changed': 'Password changed' },
};

export async function render(view) {
  const current = input('', { type: 'password', autocomplete: 'current-password' });
  const next = input('', { type: 'password', autocomplete: 'new-password' });
  const repeat = input('', { type: 'password', autocomplete: 'new-password' });
  const form = el('form', { novalidate: true, class: 'narrow' },
    field('acc.current', current, 'currentPassword'), field('acc.new', next, 'newPassword'), field('acc.repeat', repeat, 'repeat'),
    el('div', { class: 'form-error error' }), el('div', { class: 'row end' }, el('button', { type: 'submit', class: 'primary' }, t('common.save'))));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    if (next.value !== repeat.value) {
      const box = form.querySelector('[data-field="repeat"] .field-error');
      box.textContent = t('acc.mismatch');
      return;
    }
    clearErrors(form);
    try {
      await api('/auth/password', { method: 'POST', body: { currentPassword: current.value, newPassword: next.value } });
      toast(t('acc.changed'));
      form.reset();
    } catch (err) {
      if (err.status === 403) form.querySelector('[data-field="currentpassword"] .field-error').textContent = t('acc.wrong');
      else showError(form, err);
    }
  });
  view.append(header('acc.title'), card(null, form));
}
