// Charts: a clicks-over-time line (uPlot) and tables with proportional bars. Every chart has a
// table or text equivalent, so screen readers and keyboards get the same numbers.

import { el } from './views.js';

const number = new Intl.NumberFormat();

/** Clicks and unique clicks per bucket; buckets as the timeseries endpoint gives them. */
export function timeSeries(container, buckets, { label }) {
  container.replaceChildren();
  if (!buckets.length) {
    container.append(el('p', { class: 'muted' }, 'No clicks in this range.'));
    return;
  }
  const xs = buckets.map((b) => Date.parse(b.bucket) / 1000);
  const clicks = buckets.map((b) => b.clicks);
  const uniques = buckets.map((b) => b.unique_clicks);
  const figure = el('figure', { class: 'chart' });
  const plot = el('div', { role: 'img', 'aria-label': `${label}: ${number.format(clicks.reduce((a, b) => a + b, 0))} clicks in ${buckets.length} periods` });
  figure.append(plot);
  container.append(figure);
  const width = Math.max(280, container.clientWidth - 8);
  if (window.uPlot) {
    const opts = {
      width, height: 220,
      scales: { x: { time: true } },
      axes: [{ stroke: '#333' }, { stroke: '#333', size: 50 }],
      series: [{}, { label: 'Clicks', stroke: '#1f4fd1', width: 2, fill: 'rgba(31,79,209,0.08)' },
        { label: 'Unique', stroke: '#b3471d', width: 2, dash: [6, 4] }],
    };
    const chart = new window.uPlot(opts, [xs, clicks, uniques], plot);
    new ResizeObserver(() => chart.setSize({ width: Math.max(280, container.clientWidth - 8), height: 220 })).observe(container);
  }
  const details = el('details', {}, el('summary', {}, 'Show as a table'));
  const rows = buckets.map((b) => el('tr', {}, el('th', { scope: 'row' }, b.label), el('td', {}, number.format(b.clicks)),
    el('td', {}, number.format(b.unique_clicks))));
  details.append(el('table', {}, el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Period'),
    el('th', { scope: 'col' }, 'Clicks'), el('th', { scope: 'col' }, 'Unique'))), el('tbody', {}, ...rows)));
  figure.append(details);
}

/** A breakdown table: value, clicks, share with a bar. rows: [{value, clicks, percentage}]. */
export function bars(container, rows, { caption, empty = 'No clicks yet.' }) {
  container.replaceChildren();
  if (!rows.length) {
    container.append(el('p', { class: 'muted' }, empty));
    return;
  }
  const max = Math.max(...rows.map((r) => r.clicks), 1);
  const body = rows.map((r) => {
    const bar = el('span', { class: 'bar' });
    bar.style.width = `${(r.clicks * 100) / max}%`;
    return el('tr', {},
      el('th', { scope: 'row' }, r.value === null || r.value === undefined ? '(unknown)' : String(r.value)),
      el('td', { class: 'num' }, number.format(r.clicks)),
      el('td', { class: 'share' }, el('span', { class: 'bar-track', 'aria-hidden': 'true' }, bar),
        el('span', { class: 'pct' }, `${r.percentage}%`)));
  });
  container.append(el('table', { class: 'bars' }, el('caption', { class: 'visually-hidden' }, caption),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Value'), el('th', { scope: 'col' }, 'Clicks'),
      el('th', { scope: 'col' }, 'Share'))),
    el('tbody', {}, ...body)));
}

export { number };
