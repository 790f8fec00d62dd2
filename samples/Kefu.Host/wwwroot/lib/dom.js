// Building the DOM safely: text always goes in as text (textContent), never as HTML, so a message '<script>' shows
// as the characters it is.

/**
 * el('div', { class: 'x', dataset: { id: '1' }, onclick: f }, 'text', child, ...): an element with attributes,
 * event handlers (on…), and children (strings become text nodes; null/false are skipped).
 */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = value;
    else if (key in node && typeof value !== 'string') node[key] = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces a node's children. */
export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** The element of an id (throws when the page lacks it: a page bug, not a user error). */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} is missing from the page`);
  return node;
}

/** A local date-time for display. */
export function formatTime(iso, withDate = false) {
  if (!iso) return '';
  const d = new Date(iso);
  return withDate ? d.toLocaleString() : d.toLocaleTimeString();
}
