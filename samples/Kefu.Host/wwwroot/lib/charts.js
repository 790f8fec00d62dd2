// Small SVG charts for the host's pages: lines, grouped bars, pie/donut and a word cloud. No third-party code.
// Every function returns an <svg> element (class "chart chart-{kind}", data-points = number of data points drawn)
// sized by its viewBox, so it scales with its container. Labels go in as text nodes, never as markup.

const NS = 'http://www.w3.org/2000/svg';

/** A colour palette that stays readable on white. */
export const PALETTE = ['#3370ff', '#34c724', '#ff8800', '#f54a45', '#7f3bf5', '#14c0ff', '#ffc60a', '#f14d9f', '#00b2a9', '#8f959e'];

/** An SVG element with attributes and children (strings become text nodes). */
export function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attributes)) if (v !== undefined && v !== null) node.setAttribute(k, String(v));
  for (const c of children) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function root(kind, width, height, points, title) {
  const node = svg('svg', { class: `chart chart-${kind}`, viewBox: `0 0 ${width} ${height}`, role: 'img', 'data-points': points, preserveAspectRatio: 'xMidYMid meet' });
  if (title) node.append(svg('title', {}, title));
  return node;
}

function empty(kind, width, height, text) {
  const node = root(kind, width, height, 0);
  node.append(svg('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'chart-empty' }, text || '—'));
  return node;
}

/** A "nice" upper bound and step for an axis from 0 to max. */
export function niceScale(max, ticks = 5) {
  if (!(max > 0)) return { max: 1, step: 0.2 };
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map(m => m * magnitude).find(s => s >= raw);
  return { max: Math.ceil(max / step) * step, step };
}

function shortNumber(v) {
  if (Math.abs(v) >= 1e6) return (v / 1e6).toFixed(1).replace(/\.0$/, '') + 'M';
  if (Math.abs(v) >= 1e4) return (v / 1e3).toFixed(1).replace(/\.0$/, '') + 'k';
  return Number.isInteger(v) ? String(v) : v.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
}

/** Axes, grid and x labels shared by lines and bars; returns the plot geometry. */
function frame(node, { labels, width, height, maxValue, yFormat, minValue = 0 }) {
  const left = 48, right = 12, top = 12, bottom = 44;
  const plotW = width - left - right, plotH = height - top - bottom;
  const scale = minValue < 0 ? { max: Math.max(1, Math.ceil(maxValue)), step: 0.5 } : niceScale(maxValue);
  const min = minValue < 0 ? Math.floor(minValue) : 0;
  const y = v => top + plotH - ((v - min) / (scale.max - min)) * plotH;
  const grid = svg('g', { class: 'chart-grid' });
  for (let v = min; v <= scale.max + 1e-9; v += scale.step) {
    grid.append(svg('line', { x1: left, x2: width - right, y1: y(v), y2: y(v) }));
    grid.append(svg('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'chart-axis' }, (yFormat || shortNumber)(Math.round(v * 100) / 100)));
  }
  node.append(grid);
  const every = Math.max(1, Math.ceil(labels.length / Math.max(1, Math.floor(plotW / 56))));
  const xs = svg('g', { class: 'chart-axis' });
  node.append(xs);
  return { left, top, plotW, plotH, y, every, xs, bottom: top + plotH };
}

function legend(node, series, width, y) {
  if (series.length < 2) return;
  const g = svg('g', { class: 'chart-legend' });
  let x = 8;
  series.forEach((s, i) => {
    const color = s.color || PALETTE[i % PALETTE.length];
    g.append(svg('rect', { x, y: y - 9, width: 10, height: 10, rx: 2, fill: color }));
    g.append(svg('text', { x: x + 14, y }, s.name));
    x += 24 + textWidth(s.name, 12);
  });
  if (x > width) g.setAttribute('transform', `scale(${width / x})`);
  node.append(g);
}

/**
 * A line chart with one or more series.
 * options: labels (x values, strings), series [{ name, values: number[] (null = gap), color }], width, height,
 * yFormat (value → text), title, emptyText.
 */
export function lineChart({ labels, series, width = 640, height = 260, yFormat, title, emptyText }) {
  const points = series.reduce((n, s) => n + s.values.filter(v => v !== null && v !== undefined).length, 0);
  if (!labels.length || !points) return empty('line', width, height, emptyText);
  const legendSpace = series.length > 1 ? 22 : 0;
  const node = root('line', width, height + legendSpace, points, title);
  const values = series.flatMap(s => s.values).filter(v => v !== null && v !== undefined);
  const f = frame(node, { labels, width, height, maxValue: Math.max(...values), minValue: Math.min(0, ...values), yFormat });
  const x = i => f.left + (labels.length === 1 ? f.plotW / 2 : (i / (labels.length - 1)) * f.plotW);
  labels.forEach((label, i) => {
    if (i % f.every === 0) f.xs.append(svg('text', { x: x(i), y: f.bottom + 18, 'text-anchor': 'middle' }, label));
  });
  series.forEach((s, si) => {
    const color = s.color || PALETTE[si % PALETTE.length];
    let d = '', pen = false;
    const dots = svg('g', { fill: color });
    s.values.forEach((v, i) => {
      if (v === null || v === undefined) { pen = false; return; }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${f.y(v).toFixed(1)}`;
      pen = true;
      dots.append(svg('circle', { cx: x(i), cy: f.y(v), r: 3 }, svg('title', {}, `${s.name} ${labels[i]}: ${shortNumber(v)}`)));
    });
    node.append(svg('path', { d, fill: 'none', stroke: color, 'stroke-width': 2, class: 'series', 'data-series': s.name }));
    node.append(dots);
  });
  legend(node, series, width, height + 14);
  return node;
}

/**
 * Grouped bars: for each label one bar per series.
 * options as lineChart; horizontal labels are shortened when crowded.
 */
export function barChart({ labels, series, width = 640, height = 260, yFormat, title, emptyText }) {
  const points = series.reduce((n, s) => n + s.values.filter(v => v > 0).length, 0);
  if (!labels.length || !series.length) return empty('bar', width, height, emptyText);
  const legendSpace = series.length > 1 ? 22 : 0;
  const node = root('bar', width, height + legendSpace, points, title);
  const f = frame(node, { labels, width, height, maxValue: Math.max(0, ...series.flatMap(s => s.values.map(v => v || 0))), yFormat });
  const slot = f.plotW / labels.length;
  const barW = Math.max(2, Math.min(32, (slot * 0.7) / series.length));
  labels.forEach((label, i) => {
    const start = f.left + i * slot + (slot - barW * series.length) / 2;
    series.forEach((s, si) => {
      const v = s.values[i] || 0;
      const y = f.y(v);
      node.append(svg('rect', { x: start + si * barW, y, width: barW - 1, height: Math.max(0, f.bottom - y), rx: 2, fill: s.color || PALETTE[si % PALETTE.length], class: 'bar' },
        svg('title', {}, `${s.name} ${label}: ${shortNumber(v)}`)));
    });
    if (i % f.every === 0) {
      const text = label.length > 10 ? label.slice(0, 9) + '…' : label;
      f.xs.append(svg('text', { x: f.left + i * slot + slot / 2, y: f.bottom + 18, 'text-anchor': 'middle' }, text));
    }
  });
  legend(node, series, width, height + 14);
  return node;
}

/**
 * A pie (or donut) with a legend giving each slice's value and share.
 * options: items [{ label, value, color }], donut (default true), width, height, format (value → text), title.
 */
export function pieChart({ items, donut = true, width = 420, height = 220, format, title, emptyText }) {
  const total = items.reduce((s, i) => s + (i.value || 0), 0);
  if (!(total > 0)) return empty('pie', width, height, emptyText);
  const node = root('pie', width, height, items.filter(i => i.value > 0).length, title);
  const r = Math.min(height / 2 - 10, width / 4), cx = r + 10, cy = height / 2;
  let angle = -Math.PI / 2;
  items.forEach((item, i) => {
    const share = (item.value || 0) / total;
    if (share <= 0) return;
    const color = item.color || PALETTE[i % PALETTE.length];
    const tip = svg('title', {}, `${item.label}: ${(format || shortNumber)(item.value)} (${(share * 100).toFixed(1)}%)`);
    if (share >= 0.9999) {
      node.append(svg('circle', { cx, cy, r, fill: color, class: 'slice' }, tip));
    } else {
      const end = angle + share * 2 * Math.PI;
      const large = share > 0.5 ? 1 : 0;
      const p = a => `${(cx + r * Math.cos(a)).toFixed(2)},${(cy + r * Math.sin(a)).toFixed(2)}`;
      node.append(svg('path', { d: `M${cx},${cy} L${p(angle)} A${r},${r} 0 ${large} 1 ${p(end)} Z`, fill: color, stroke: '#fff', 'stroke-width': 1, class: 'slice' }, tip));
      angle = end;
    }
  });
  if (donut) {
    node.append(svg('circle', { cx, cy, r: r * 0.58, fill: '#fff' }));
    node.append(svg('text', { x: cx, y: cy + 6, 'text-anchor': 'middle', class: 'chart-total' }, (format || shortNumber)(total)));
  }
  const g = svg('g', { class: 'chart-legend' });
  const lx = cx + r + 24;
  const lineH = Math.min(22, (height - 20) / Math.max(1, items.length));
  items.forEach((item, i) => {
    const y = 20 + i * lineH;
    const share = total ? ((item.value || 0) / total) * 100 : 0;
    g.append(svg('rect', { x: lx, y: y - 10, width: 10, height: 10, rx: 2, fill: item.color || PALETTE[i % PALETTE.length] }));
    g.append(svg('text', { x: lx + 16, y }, `${item.label}  ${(format || shortNumber)(item.value || 0)}  ${share.toFixed(1)}%`));
  });
  node.append(g);
  return node;
}

/** The approximate width of a text: CJK characters are square, others about 0.6 em. */
export function textWidth(text, size) {
  let w = 0;
  for (const ch of String(text)) w += /[\u2E80-\uFFEF]/.test(ch) ? size : size * 0.6;
  return w;
}

/** A colour from sentiment -1 (red) through 0 (grey) to 1 (green). */
export function sentimentColor(s) {
  if (s === null || s === undefined || Number.isNaN(s)) return '#646a73';
  const v = Math.max(-1, Math.min(1, s));
  if (Math.abs(v) < 0.15) return '#646a73';
  return v < 0 ? (v < -0.6 ? '#d83931' : '#f5774a') : (v > 0.6 ? '#2ea121' : '#5fb84a');
}

/**
 * A word cloud: the heaviest word in the middle, the others placed along an Archimedean spiral at the first spot
 * where their box overlaps no placed word. Size grows with weight (square root scale), colour follows sentiment.
 * options: words [{ text, weight, sentiment }], width, height, minSize, maxSize, onClick(word).
 */
export function wordCloud({ words, width = 640, height = 320, minSize = 13, maxSize = 56, onClick, title, emptyText }) {
  const list = [...words].filter(w => w.weight > 0).sort((a, b) => b.weight - a.weight);
  if (!list.length) return empty('cloud', width, height, emptyText);
  const node = root('cloud', width, height, 0, title);
  const maxW = list[0].weight, minW = list[list.length - 1].weight;
  const size = w => maxW === minW ? (minSize + maxSize) / 2 : minSize + (maxSize - minSize) * Math.sqrt((w - minW) / (maxW - minW));
  const placed = [];
  const overlaps = b => placed.some(p => b.x < p.x + p.w && b.x + b.w > p.x && b.y < p.y + p.h && b.y + b.h > p.y);
  for (const word of list) {
    const fs = size(word.weight);
    const w = textWidth(word.text, fs) + 4, h = fs * 1.1;
    let spot = null;
    for (let t = 0; t < 600 && !spot; t += 0.35) {
      const r = 3 * t;
      const box = { x: width / 2 + r * Math.cos(t) * 1.6 - w / 2, y: height / 2 + r * Math.sin(t) - h / 2, w, h };
      if (box.x < 2 || box.y < 2 || box.x + w > width - 2 || box.y + h > height - 2) continue;
      if (!overlaps(box)) spot = box;
    }
    if (!spot) continue; // no room left: the word is left out
    placed.push(spot);
    const text = svg('text', {
      x: spot.x + w / 2, y: spot.y + h * 0.82, 'font-size': fs.toFixed(1), 'text-anchor': 'middle',
      fill: sentimentColor(word.sentiment), class: 'cloud-word', 'data-word': word.text,
    }, word.text, svg('title', {}, `${word.text}: ${word.weight}`));
    if (onClick) {
      text.setAttribute('tabindex', '0');
      text.addEventListener('click', () => onClick(word));
      text.addEventListener('keydown', e => { if (e.key === 'Enter') onClick(word); });
    }
    node.append(text);
  }
  node.setAttribute('data-points', placed.length);
  return node;
}
