// The pages of the dashboard. Each view renders into <main> and returns a cleanup function.

import { api, ApiError, download, follow, session } from './api.js';
import { bars, number, timeSeries } from './charts.js';
import { qrDialog } from './qr.js';
import { linkCreateFields, readLinkCreateFields, tagChips } from './campaigns.js';

/** Builds an element: el('a', {href: '/x'}, 'text', child...). Text is never parsed as HTML. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

export function toast(message) {
  const t = document.getElementById('toast');
  t.textContent = message;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.textContent = ''; }, 4000);
}

function heading(main, text) {
  const h = el('h1', { tabindex: '-1' }, text);
  main.append(h);
  h.focus();
  document.title = `${text} · Linkpulse`;
}

function fieldError(form, e) {
  form.querySelectorAll('.error').forEach((x) => x.remove());
  form.querySelectorAll('[aria-invalid]').forEach((x) => x.removeAttribute('aria-invalid'));
  const input = e.field && form.querySelector(`[data-field="${e.field}"]`);
  const message = el('p', { class: 'error', role: 'alert', id: `error-${e.field || 'form'}` }, e.message);
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', message.id);
    input.after(message);
    input.focus();
  } else {
    form.prepend(message);
  }
}

// ---- sign in ----

export function signInView(main, { navigate, reason }) {
  heading(main, 'Sign in');
  const form = el('form', { class: 'card narrow', novalidate: true },
    el('p', {}, 'Paste an API key of your workspace. It stays in this browser tab only and is forgotten when the tab closes.'),
    reason ? el('p', { class: 'error', role: 'alert' }, reason) : null,
    el('label', { for: 'api-key' }, 'API key'),
    el('input', { id: 'api-key', name: 'key', type: 'password', autocomplete: 'off', required: true, 'data-field': 'key', spellcheck: 'false' }),
    el('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = form.key.value.trim();
    if (!key) {
      fieldError(form, { field: 'key', message: 'Enter an API key.' });
      return;
    }
    try {
      await api('/api/v1/short-urls', { query: { limit: 1 }, key });
      session.signIn(key);
      navigate('/dashboard');
    } catch (e) {
      const message = e.status === 401 ? 'That key was not accepted: it is unknown, revoked or expired.'
        : e.status === 403 ? 'That key may not read links. Use a key with the read and analytics permissions.' : e.message;
      fieldError(form, { field: 'key', message });
    }
  });
  main.append(form);
  return () => {};
}

// ---- links ----

const SORTS = [['created_at', 'Created'], ['clicks', 'Clicks'], ['name', 'Name'], ['short_code', 'Code']];

export function linksView(main, { navigate, params }) {
  heading(main, 'Links');
  const state = {
    page: Number(params.get('page')) || 1, search: params.get('search') || '',
    sort: params.get('sort') || 'created_at', order: params.get('order') || 'desc', tags: params.get('tags') || '',
  };
  main.append(createForm(() => load()));
  const controls = el('form', { class: 'controls', role: 'search' },
    el('label', { for: 'search' }, 'Search'),
    el('input', { id: 'search', type: 'search', value: state.search, placeholder: 'Name, code or URL' }),
    el('label', { for: 'sort' }, 'Sort by'),
    el('select', { id: 'sort' }, ...SORTS.map(([v, l]) => el('option', { value: v, selected: v === state.sort }, l))),
    el('label', { for: 'order' }, 'Order'),
    el('select', { id: 'order' }, el('option', { value: 'desc', selected: state.order === 'desc' }, 'Descending'),
      el('option', { value: 'asc', selected: state.order === 'asc' }, 'Ascending')),
    el('label', { for: 'tags' }, 'Tags (any)'),
    el('input', { id: 'tags', value: state.tags, placeholder: 'news, spring' }),
    el('button', { type: 'submit' }, 'Apply'));
  controls.addEventListener('submit', (e) => {
    e.preventDefault();
    Object.assign(state, { page: 1, search: controls.search.value.trim(), sort: controls.sort.value, order: controls.order.value, tags: controls.tags.value.trim() });
    load();
  });
  const list = el('section', { 'aria-labelledby': 'links-heading' }, el('h2', { id: 'links-heading' }, 'Your links'));
  const body = el('div', { 'aria-live': 'polite' });
  list.append(controls, body);
  main.append(list);

  async function load() {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(state)) if (v && !(k === 'page' && v === 1)) query.set(k, v);
    history.replaceState(null, '', `/dashboard/links${query.size ? '?' + query : ''}`);
    body.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
    try {
      const data = await api('/api/v1/short-urls', { query: { ...state, limit: 20 } });
      renderList(data);
    } catch (e) {
      body.replaceChildren(el('p', { class: 'error', role: 'alert' }, e.message));
    }
  }

  function renderList(data) {
    const { total, page, limit } = data.pagination;
    if (!data.shortUrls.length) {
      body.replaceChildren(el('p', { class: 'muted' }, state.search ? 'No link matches this search.' : 'No links yet. Create one above.'));
      return;
    }
    const rows = data.shortUrls.map((l) => el('tr', {},
      el('td', {}, el('a', { href: `/dashboard/links/${l.id}`, 'data-nav': true }, l.name || l.short_code),
        el('div', { class: 'muted small' }, l.short_url), tagChips(l)),
      el('td', { class: 'url' }, el('span', { title: l.original_url }, l.original_url)),
      el('td', { class: 'num' }, number.format(l.clicks)),
      el('td', {}, new Date(l.created_at).toLocaleDateString()),
      el('td', { class: 'actions' },
        el('button', { type: 'button', onclick: () => copy(l.short_url), 'aria-label': `Copy ${l.short_url}` }, 'Copy'),
        el('button', { type: 'button', onclick: () => qrDialog(l), 'aria-label': `QR code for ${l.short_code}` }, 'QR'),
        el('button', { type: 'button', onclick: () => editDialog(l, load), 'aria-label': `Edit ${l.short_code}` }, 'Edit'),
        el('button', { type: 'button', class: 'danger', onclick: () => deleteDialog(l, load), 'aria-label': `Delete ${l.short_code}` }, 'Delete'))));
    const pages = Math.max(1, Math.ceil(total / limit));
    const pager = el('nav', { class: 'pager', 'aria-label': 'Pages' },
      el('button', { type: 'button', disabled: page <= 1, onclick: () => { state.page = page - 1; load(); } }, 'Previous'),
      el('span', {}, `Page ${page} of ${pages} · ${number.format(total)} links`),
      el('button', { type: 'button', disabled: page >= pages, onclick: () => { state.page = page + 1; load(); } }, 'Next'));
    body.replaceChildren(el('div', { class: 'table-wrap' }, el('table', { class: 'links' },
      el('caption', { class: 'visually-hidden' }, 'Links'),
      el('thead', {}, el('tr', {}, ...['Link', 'Destination', 'Clicks', 'Created', 'Actions'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...rows))), pager);
  }

  load();
  return () => {};
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    toast(`Copied ${text}`);
  } catch {
    toast(`Copy this link: ${text}`);
  }
}

function localInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function createForm(onCreated) {
  const form = el('form', { class: 'card', novalidate: true, 'aria-labelledby': 'create-heading' },
    el('h2', { id: 'create-heading' }, 'Shorten a link'),
    el('div', { class: 'grid' },
      el('div', {}, el('label', { for: 'new-url' }, 'Destination URL'),
        el('input', { id: 'new-url', name: 'url', type: 'url', required: true, placeholder: 'https://example.com/page', 'data-field': 'url' })),
      el('div', {}, el('label', { for: 'new-alias' }, 'Custom alias (optional)'),
        el('input', { id: 'new-alias', name: 'alias', pattern: '[A-Za-z0-9_-]{3,50}', 'data-field': 'custom_alias' })),
      el('div', {}, el('label', { for: 'new-name' }, 'Name (optional)'), el('input', { id: 'new-name', name: 'name', 'data-field': 'name' })),
      el('div', {}, el('label', { for: 'new-expiry' }, 'Expires (optional)'),
        el('input', { id: 'new-expiry', name: 'expiry', type: 'datetime-local', 'data-field': 'expires_at' }))),
    linkCreateFields(),
    el('button', { type: 'submit', class: 'primary' }, 'Create short link'),
    el('p', { class: 'result', 'aria-live': 'polite' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { url: form.url.value.trim() };
    if (form.alias.value.trim()) body.custom_alias = form.alias.value.trim();
    if (form.name.value.trim()) body.name = form.name.value.trim();
    if (form.expiry.value) body.expires_at = new Date(form.expiry.value).toISOString();
    readLinkCreateFields(form, body);
    try {
      const link = await api('/api/v1/short-urls', { method: 'POST', body });
      form.reset();
      form.querySelectorAll('.error').forEach((x) => x.remove());
      const result = form.querySelector('.result');
      result.replaceChildren('Created ', el('a', { href: link.short_url, class: 'short-url' }, link.short_url), ' ',
        el('button', { type: 'button', onclick: () => copy(link.short_url) }, 'Copy'));
      onCreated(link);
    } catch (e) {
      if (e instanceof ApiError) fieldError(form, e); else throw e;
    }
  });
  return form;
}

function dialog(title, content, actions) {
  const d = el('dialog', { 'aria-labelledby': 'dialog-title' }, el('h2', { id: 'dialog-title' }, title), content, el('div', { class: 'dialog-actions' }, ...actions));
  document.body.append(d);
  d.addEventListener('close', () => d.remove());
  d.showModal();
  return d;
}

function editDialog(link, done) {
  const form = el('form', { novalidate: true },
    el('label', { for: 'edit-url' }, 'Destination URL'), el('input', { id: 'edit-url', name: 'url', type: 'url', value: link.original_url, 'data-field': 'url' }),
    el('label', { for: 'edit-name' }, 'Name'), el('input', { id: 'edit-name', name: 'name', value: link.name || '', 'data-field': 'name' }),
    el('label', { for: 'edit-alias' }, 'Short code'), el('input', { id: 'edit-alias', name: 'alias', value: link.short_code, 'data-field': 'custom_alias' }),
    el('label', { for: 'edit-expiry' }, 'Expires (empty: never)'),
    el('input', { id: 'edit-expiry', name: 'expiry', type: 'datetime-local', value: localInput(link.expires_at), 'data-field': 'expires_at' }));
  const save = el('button', { type: 'button', class: 'primary' }, 'Save');
  const cancel = el('button', { type: 'button' }, 'Cancel');
  const d = dialog(`Edit ${link.short_code}`, form, [save, cancel]);
  cancel.addEventListener('click', () => d.close());
  save.addEventListener('click', async () => {
    const body = { url: form.url.value.trim(), name: form.name.value.trim() || null,
      expires_at: form.expiry.value ? new Date(form.expiry.value).toISOString() : null };
    if (form.alias.value.trim() !== link.short_code) body.custom_alias = form.alias.value.trim();
    try {
      await api(`/api/v1/short-urls/${link.id}`, { method: 'PATCH', body });
      d.close();
      toast('Saved.');
      done();
    } catch (e) {
      fieldError(form, e);
    }
  });
}

function deleteDialog(link, done) {
  const yes = el('button', { type: 'button', class: 'danger' }, 'Delete link and its clicks');
  const no = el('button', { type: 'button' }, 'Keep it');
  const d = dialog(`Delete ${link.short_code}?`, el('p', {}, `${link.short_url} will stop working at once and its ${number.format(link.clicks)} recorded clicks are erased. This cannot be undone.`), [no, yes]);
  no.focus();
  no.addEventListener('click', () => d.close());
  yes.addEventListener('click', async () => {
    try {
      await api(`/api/v1/short-urls/${link.id}`, { method: 'DELETE' });
      d.close();
      toast(`Deleted ${link.short_code}.`);
      done();
    } catch (e) {
      d.close();
      toast(e.message);
    }
  });
}

// ---- analytics: filters and panels, shared by the overview and a link's page ----

const DAY = 86_400_000;

function isoDate(ms) { return new Date(ms).toISOString().slice(0, 10); }

function readFilters(params) {
  const now = Date.now();
  return {
    start: params.get('start') || isoDate(now - 29 * DAY),
    end: params.get('end') || isoDate(now),
    timezone: params.get('tz') || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    country: params.get('country') || '',
    device: params.get('device') || '',
    traffic: params.get('traffic') || 'human',
    trigger: params.get('trigger') || 'all', // link clicks, QR scans or both (issue 15)
  };
}

function filterQuery(f) {
  return { startDate: f.start, endDate: f.end, country: f.country, device_type: f.device, traffic: f.traffic, trigger: f.trigger };
}

function filterForm(f, onChange) {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];
  if (!zones.includes(f.timezone)) zones.unshift(f.timezone);
  const form = el('form', { class: 'filters', 'aria-label': 'Filters' },
    el('div', {}, el('label', { for: 'f-start' }, 'From'), el('input', { id: 'f-start', name: 'start', type: 'date', value: f.start, required: true })),
    el('div', {}, el('label', { for: 'f-end' }, 'To'), el('input', { id: 'f-end', name: 'end', type: 'date', value: f.end, required: true })),
    el('div', {}, el('label', { for: 'f-tz' }, 'Time zone'),
      el('select', { id: 'f-tz', name: 'timezone' }, ...zones.map((z) => el('option', { value: z, selected: z === f.timezone }, z)))),
    el('div', {}, el('label', { for: 'f-country' }, 'Country'),
      el('input', { id: 'f-country', name: 'country', value: f.country, maxlength: 2, size: 3, placeholder: 'US', 'data-field': 'country' })),
    el('div', {}, el('label', { for: 'f-device' }, 'Device'),
      el('select', { id: 'f-device', name: 'device' }, el('option', { value: '' }, 'All'),
        ...['desktop', 'mobile', 'tablet', 'tv', 'console', 'wearable', 'bot', 'unknown'].map((v) => el('option', { value: v, selected: v === f.device }, v)))),
    el('div', {}, el('label', { for: 'f-traffic' }, 'Traffic'),
      el('select', { id: 'f-traffic', name: 'traffic' }, ...[['human', 'Humans'], ['bot', 'Bots'], ['preview', 'Link previews'], ['all', 'All']]
        .map(([v, l]) => el('option', { value: v, selected: v === f.traffic }, l)))),
    el('div', {}, el('label', { for: 'f-trigger' }, 'Clicks from'),
      el('select', { id: 'f-trigger', name: 'trigger' }, ...[['all', 'All'], ['link', 'Link clicks'], ['qr', 'QR scans']]
        .map(([v, l]) => el('option', { value: v, selected: v === f.trigger }, l)))),
    el('div', { class: 'presets' }, ...[7, 30, 90].map((n) => el('button', { type: 'button', onclick: () => {
      form.start.value = isoDate(Date.now() - (n - 1) * DAY);
      form.end.value = isoDate(Date.now());
      form.requestSubmit();
    } }, `Last ${n} days`)), el('button', { type: 'submit', class: 'primary' }, 'Apply')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    onChange({ start: form.start.value, end: form.end.value, timezone: form.timezone.value,
      country: form.country.value.trim().toUpperCase(), device: form.device.value, traffic: form.traffic.value, trigger: form.trigger.value });
  });
  return form;
}

function panel(title, id) {
  const body = el('div', { class: 'panel-body', 'aria-live': 'polite' });
  const section = el('section', { class: 'panel', id, 'aria-labelledby': `${id}-h` }, el('h2', { id: `${id}-h` }, title), body);
  return { section, body };
}

async function fill(body, work) {
  body.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
  try {
    await work();
  } catch (e) {
    body.replaceChildren(el('p', { class: 'error', role: 'alert' }, e instanceof ApiError && e.field ? `${e.field}: ${e.message}` : e.message));
  }
}

function stat(label, value) {
  return el('div', { class: 'stat' }, el('span', { class: 'stat-value' }, value), el('span', { class: 'stat-label' }, label));
}

function analytics(main, { link, params, navigate }) {
  let f = readFilters(params);
  const base = link ? `/dashboard/links/${link.id}` : '/dashboard';
  const suffix = link ? `/${link.id}` : '';
  const wrap = el('div');
  main.append(filterForm(f, (next) => {
    f = next;
    const q = new URLSearchParams({ start: f.start, end: f.end, tz: f.timezone, traffic: f.traffic });
    if (f.country) q.set('country', f.country);
    if (f.device) q.set('device', f.device);
    if (f.trigger !== 'all') q.set('trigger', f.trigger);
    history.replaceState(null, '', `${base}?${q}`);
    render();
  }), wrap);

  const controller = new AbortController();
  const live = panel('Live clicks', 'live');
  const feed = el('ol', { class: 'feed' });
  const liveState = el('p', { class: 'muted small' }, 'Connecting…');
  live.body.append(liveState, feed);
  follow(`/api/v1/analytics/click-stream${suffix}`, {}, {
    signal: controller.signal,
    onState: (s, why) => { liveState.textContent = s === 'live' ? 'Live: new clicks appear here as they happen.' : s === 'stopped' ? why : 'Reconnecting…'; },
    onEvent: (type, click) => {
      if (type !== 'click') return;
      const where = [click.city, click.country].filter(Boolean).join(', ') || 'Unknown place';
      const what = [click.device_type, click.browser, click.os].filter(Boolean).join(' · ');
      feed.prepend(el('li', { class: 'click' }, el('time', { datetime: click.clicked_at }, new Date(click.clicked_at).toLocaleTimeString()),
        ` ${where} — ${what}`, click.referrer_domain ? ` from ${click.referrer_domain}` : '', click.traffic_class !== 'human' ? ` (${click.traffic_class})` : '',
        click.is_qr_scan ? ' (QR scan)' : ''));
      while (feed.children.length > 25) feed.lastChild.remove();
    },
  });

  function render() {
    const q = filterQuery(f);
    const totals = panel('Clicks', 'totals');
    const series = panel('Clicks over time', 'series');
    const countries = panel('Countries', 'countries');
    const devices = panel('Devices', 'devices');
    const browsers = panel('Browsers', 'browsers');
    const oses = panel('Operating systems', 'oses');
    const referrers = panel('Referrers', 'referrers');
    const sources = panel('Sources', 'sources');
    const quality = panel('Traffic quality', 'quality');
    wrap.replaceChildren(el('div', { class: 'panels' }, totals.section, quality.section, series.section, countries.section,
      devices.section, browsers.section, oses.section, referrers.section, sources.section, live.section));
    const days = (Date.parse(f.end) - Date.parse(f.start)) / DAY + 1;
    const interval = days <= 2 ? 'hour' : days <= 120 ? 'day' : days <= 730 ? 'week' : 'month';
    fill(series.body, async () => {
      const data = await api(`/api/v1/analytics/timeseries${suffix}`, { query: { ...q, interval, timezone: f.timezone } });
      const clicks = data.data.reduce((a, b) => a + b.clicks, 0);
      const uniques = data.data.reduce((a, b) => a + b.unique_clicks, 0);
      // Link clicks and QR scans of the same filters, told apart (issue 15).
      const [linkClicks, scans] = await Promise.all(['link', 'qr'].map((trigger) =>
        api(`/api/v1/analytics/breakdown${suffix}`, { query: { ...q, trigger, by: 'source', limit: 1 } }).then((d) => d.total)));
      totals.body.replaceChildren(el('div', { class: 'stats' }, stat('Total clicks', number.format(clicks)), stat('Unique clicks', number.format(uniques)),
        stat('Link clicks', number.format(linkClicks)), stat('QR scans', number.format(scans))));
      if (link) {
        // Conversions (issue 17) are counted with their clicks: the same filters select both.
        const m = await api(`/api/v1/analytics/analytics/${link.id}`, { query: q });
        if (m.conversions.total) {
          totals.body.querySelector('.stats').append(stat('Conversions', number.format(m.conversions.total)),
            stat('Conversion rate', `${m.conversions.conversion_rate}%`));
        }
        totals.body.append(el('p', { class: 'actions' }, el('button', { type: 'button', onclick: () => exportCsv() }, 'Export CSV')));
      }
      timeSeries(series.body, data.data, { label: `Clicks per ${interval}` });
    });
    for (const [p, by] of [[countries, 'country'], [devices, 'device_type'], [browsers, 'browser'], [oses, 'os'], [referrers, 'referrer_domain'], [sources, 'source']]) {
      fill(p.body, async () => {
        const data = await api(`/api/v1/analytics/breakdown${suffix}`, { query: { ...q, by, limit: 10, timezone: f.timezone } });
        bars(p.body, data.data.map((r) => ({ ...r, value: by === 'country' && r.value ? countryName(r.value) : r.value ?? (by === 'referrer_domain' ? 'Direct' : null) })),
          { caption: p.section.querySelector('h2').textContent });
      });
    }
    fill(quality.body, async () => {
      const counts = await Promise.all(['human', 'bot', 'preview'].map((t) =>
        api(`/api/v1/analytics/breakdown${suffix}`, { query: { ...q, traffic: t, by: 'source', limit: 1 } }).then((d) => d.total)));
      const all = counts.reduce((a, b) => a + b, 0);
      const share = (n) => (all ? `${Math.round((n * 1000) / all) / 10}%` : '0%');
      quality.body.replaceChildren(el('div', { class: 'stats' }, stat(`Humans (${share(counts[0])})`, number.format(counts[0])),
        stat(`Bots (${share(counts[1])})`, number.format(counts[1])), stat(`Link previews (${share(counts[2])})`, number.format(counts[2]))));
    });
    totals.body.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
  }

  async function exportCsv() {
    try {
      await download(`/api/v1/analytics/click-details${suffix}`, { ...filterQuery(f), traffic: f.traffic, format: 'csv' },
        `${link.short_code}-clicks-${f.start}-to-${f.end}.csv`);
      toast('Export downloaded.');
    } catch (e) {
      toast(e.message);
    }
  }

  render();
  return () => controller.abort();
}

const regionNames = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;
function countryName(code) {
  try { return regionNames ? `${regionNames.of(code)} (${code})` : code; } catch { return code; }
}

export function overviewView(main, ctx) {
  heading(main, 'Overview');
  main.append(el('p', { class: 'muted' }, 'Every link of your workspace. Open ', el('a', { href: '/dashboard/links', 'data-nav': true }, 'Links'), ' to create and manage them.'));
  return analytics(main, { ...ctx, link: null });
}

export function linkView(main, ctx) {
  const cleanup = { fn: () => {} };
  const id = ctx.path.split('/')[3];
  api(`/api/v1/short-urls/${encodeURIComponent(id)}`).then((link) => {
    heading(main, link.name || link.short_code);
    main.append(el('p', { class: 'link-meta' }, el('a', { href: link.short_url, class: 'short-url' }, link.short_url), ' → ',
      el('span', { class: 'url' }, link.original_url), ' ', el('button', { type: 'button', onclick: () => copy(link.short_url) }, 'Copy short link'), ' ', el('button', { type: 'button', onclick: () => qrDialog(link) }, 'QR code'),
      ' ', el('a', { href: `/dashboard/smart/${link.id}`, 'data-nav': true, class: 'button' }, 'Smart settings')));
    cleanup.fn = analytics(main, { ...ctx, link });
  }).catch((e) => {
    heading(main, 'Link not found');
    main.append(el('p', { class: 'error', role: 'alert' }, e.status === 404 ? 'There is no such link in your workspace.' : e.message),
      el('a', { href: '/dashboard/links', 'data-nav': true }, 'Back to links'));
  });
  return () => cleanup.fn();
}
