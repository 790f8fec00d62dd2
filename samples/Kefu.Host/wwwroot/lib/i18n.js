// Chinese and English for the pages. Each page passes its own dictionary; elements carry data-i18n (text),
// data-i18n-placeholder and data-i18n-title. The language is the user's choice (localStorage), else the browser's.

const KEY = 'kefu.lang';
let dictionary = { zh: {}, en: {} };

/** The current language: 'zh' or 'en'. */
export function lang() {
  const chosen = localStorage.getItem(KEY);
  if (chosen === 'zh' || chosen === 'en') return chosen;
  return (navigator.language || 'zh').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** Sets the page's dictionary ({ zh: {key: text}, en: {key: text} }) and translates the document. */
export function useDictionary(d) {
  dictionary = d;
  translate(document);
}

/** The text of a key in the current language; {name} placeholders are filled from args. */
export function t(key, args) {
  const table = dictionary[lang()] || {};
  let text = table[key] ?? dictionary.en?.[key] ?? key;
  if (args) for (const [k, v] of Object.entries(args)) text = text.replaceAll(`{${k}}`, String(v));
  return text;
}

/** Switches the language and translates the document again (pages re-render their dynamic parts on 'langchange'). */
export function setLang(value) {
  localStorage.setItem(KEY, value);
  translate(document);
  document.dispatchEvent(new CustomEvent('langchange'));
}

/** Translates the data-i18n attributes under root. */
export function translate(root) {
  document.documentElement.lang = lang() === 'zh' ? 'zh-CN' : 'en';
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll('[data-i18n-placeholder]')) node.placeholder = t(node.dataset.i18nPlaceholder);
  for (const node of root.querySelectorAll('[data-i18n-title]')) node.title = t(node.dataset.i18nTitle);
}
