// Smart links (issue 17): a link's targeting rules, password, click limit and conversion tracking,
// and A/B tests with live results. Its own file; app.js only routes to these views.

import { api, ApiError } from './api.js';
import { el, toast } from './views.js';

const CONDITIONS = ['device_type', 'os', 'browser', 'country', 'language', 'query', 'before', 'after'];
const HINTS = { device_type: 'mobile', os: 'iOS', browser: 'Chrome', country: 'US', language: 'de', query: 'value', before: '2030-01-01', after: '2025-01-01' };

function heading(main, text) {
  const h = el('h1', { tabindex: '-1' }, text);
  main.append(h);
  h.focus();
  document.title = `${text} · Linkpulse`;
}

function problem(box, e) {
  box.replaceChildren(el('p', { class: 'error', role: 'alert' }, e instanceof ApiError && e.field ? `${e.field}: ${e.message}` : e.message));
}

/** /dashboard/smart/{id}: rules editor, password, click limit, conversion tracking. */
export function smartLinkView(main, ctx) {
  const id = ctx.path.split('/')[3];
  api(`/api/v1/short-urls/${encodeURIComponent(id)}`).then(async (link) => {
    heading(main, `Smart settings · ${link.name || link.short_code}`);
    main.append(el('p', { class: 'link-meta' }, el('a', { href: `/dashboard/links/${link.id}`, 'data-nav': true }, 'Back to the link\'s analytics'),
      ' · default destination: ', el('span', { class: 'url' }, link.original_url)));
    main.append(settingsForm(link));
    const { rules } = await api(`/api/v1/short-urls/${encodeURIComponent(link.id)}/rules`);
    main.append(rulesEditor(link, rules));
  }).catch((e) => {
    heading(main, 'Link not found');
    main.append(el('p', { class: 'error', role: 'alert' }, e.status === 404 ? 'There is no such link in your workspace.' : e.message));
  });
}

function settingsForm(link) {
  const status = el('div', { 'aria-live': 'polite' });
  const form = el('form', { class: 'panel', id: 'smart-settings', 'aria-labelledby': 'smart-settings-h' },
    el('h2', { id: 'smart-settings-h' }, 'Password, click limit and conversions'),
    el('p', { class: 'muted' }, link.is_password_protected ? 'This link is password-protected.' : 'This link has no password.'),
    el('label', { for: 's-password' }, 'New password (8–64 characters, at least one letter)'),
    el('input', { id: 's-password', name: 'password', type: 'password', autocomplete: 'new-password', minlength: 8, maxlength: 64 }),
    el('label', {}, el('input', { type: 'checkbox', name: 'remove_password' }), ' Remove the password'),
    el('label', { for: 's-max' }, 'Click limit (human clicks; empty: none)'),
    el('input', { id: 's-max', name: 'max_clicks', type: 'number', min: 1, value: link.max_clicks ?? '' }),
    el('label', { for: 's-fallback' }, 'After the limit, send to (empty: answer 410 Gone)'),
    el('input', { id: 's-fallback', name: 'fallback_url', type: 'url', value: link.fallback_url ?? '' }),
    el('label', {}, el('input', { type: 'checkbox', name: 'conversion_tracking', checked: link.conversion_tracking }),
      ' Conversion tracking (adds lp_click_id to the destination)'),
    el('button', { type: 'submit', class: 'primary' }, 'Save settings'), status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {
      max_clicks: form.max_clicks.value === '' ? null : Number(form.max_clicks.value),
      fallback_url: form.fallback_url.value.trim() === '' ? null : form.fallback_url.value.trim(),
      conversion_tracking: form.conversion_tracking.checked,
    };
    if (form.remove_password.checked) body.password = null;
    else if (form.password.value !== '') body.password = form.password.value;
    try {
      await api(`/api/v1/short-urls/${encodeURIComponent(link.id)}`, { method: 'PATCH', body });
      form.password.value = '';
      status.replaceChildren(el('p', { class: 'ok' }, 'Settings saved.'));
      toast('Settings saved');
    } catch (err) {
      problem(status, err);
    }
  });
  return form;
}

function conditionRow(c = { type: 'device_type', value: '' }) {
  const key = el('input', { class: 'c-key', 'aria-label': 'Query parameter', placeholder: 'parameter', value: c.key ?? '', hidden: c.type !== 'query' });
  const type = el('select', { class: 'c-type', 'aria-label': 'Condition' }, ...CONDITIONS.map((t) => el('option', { value: t, selected: t === c.type }, t)));
  const value = el('input', { class: 'c-value', 'aria-label': 'Value', placeholder: HINTS[c.type], value: c.value ?? '' });
  type.addEventListener('change', () => { key.hidden = type.value !== 'query'; value.placeholder = HINTS[type.value]; });
  const row = el('div', { class: 'condition' }, type, key, value,
    el('button', { type: 'button', 'aria-label': 'Remove condition', onclick: () => row.remove() }, '×'));
  return row;
}

function ruleBlock(r = { destination_url: '', conditions: [{ type: 'device_type', value: '' }] }) {
  const conditions = el('div', { class: 'conditions' }, ...r.conditions.map(conditionRow));
  const block = el('fieldset', { class: 'rule' }, el('legend', {}, 'Rule'),
    el('label', {}, 'Destination ', el('input', { class: 'r-dest', type: 'url', value: r.destination_url, required: true })),
    el('p', { class: 'muted' }, 'All of these must hold:'), conditions,
    el('button', { type: 'button', onclick: () => conditions.append(conditionRow()) }, 'Add condition'),
    el('button', { type: 'button', class: 'danger', onclick: () => block.remove() }, 'Remove rule'));
  return block;
}

function rulesEditor(link, rules) {
  const list = el('div', { id: 'rules' }, ...rules.map(ruleBlock));
  const status = el('div', { 'aria-live': 'polite' });
  const form = el('form', { class: 'panel', id: 'rules-editor', 'aria-labelledby': 'rules-h' },
    el('h2', { id: 'rules-h' }, 'Targeting rules'),
    el('p', { class: 'muted' }, 'The first rule whose conditions all hold picks the destination; otherwise the link\'s own.'),
    list, el('button', { type: 'button', id: 'add-rule', onclick: () => list.append(ruleBlock()) }, 'Add rule'),
    el('button', { type: 'submit', class: 'primary' }, 'Save rules'), status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { rules: [...list.querySelectorAll('.rule')].map((b) => ({
      destination_url: b.querySelector('.r-dest').value.trim(),
      conditions: [...b.querySelectorAll('.condition')].map((c) => {
        const type = c.querySelector('.c-type').value;
        let value = c.querySelector('.c-value').value.trim();
        if ((type === 'before' || type === 'after') && /^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(value)) value = new Date(value).toISOString();
        return type === 'query' ? { type, key: c.querySelector('.c-key').value, value } : { type, value };
      }),
    })) };
    try {
      await api(`/api/v1/short-urls/${encodeURIComponent(link.id)}/rules`, { method: 'PUT', body });
      status.replaceChildren(el('p', { class: 'ok' }, `Saved ${body.rules.length} rule(s).`));
      toast('Rules saved');
    } catch (err) {
      problem(status, err);
    }
  });
  return form;
}

/** /dashboard/ab-tests: the workspace's tests and a form to create one. */
export function abTestsView(main, { navigate }) {
  heading(main, 'A/B tests');
  const list = el('div', { 'aria-live': 'polite' });
  main.append(createTestForm(navigate), el('section', { class: 'panel' }, el('h2', {}, 'Tests'), list));
  api('/api/v1/url-ab-tests', { query: { limit: 100 } }).then(({ tests }) => {
    if (!tests.length) { list.replaceChildren(el('p', { class: 'muted' }, 'No tests yet.')); return; }
    list.replaceChildren(el('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'A/B tests (scrolls sideways)' }, el('table', {}, el('thead', {}, el('tr', {}, ...['Name', 'Status', 'Variants', 'Created'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...tests.map((t) => el('tr', {},
        el('td', {}, el('a', { href: `/dashboard/ab-tests/${t.id}`, 'data-nav': true }, t.name)),
        el('td', {}, t.status), el('td', {}, String(t.variants.length)), el('td', {}, t.created_at.slice(0, 10))))))));
  }).catch((e) => problem(list, e));
}

function variantRow(name, url, weight) {
  return el('div', { class: 'variant' },
    el('input', { class: 'v-name', 'aria-label': 'Variant name', value: name, required: true }),
    el('input', { class: 'v-url', 'aria-label': 'Variant destination', type: 'url', value: url, placeholder: 'https://…', required: true }),
    el('input', { class: 'v-weight', 'aria-label': 'Weight (%)', type: 'number', min: 0, max: 100, value: weight }));
}

function createTestForm(navigate) {
  const variants = el('div', { id: 'variants' }, variantRow('Control', '', 50), variantRow('Variant B', '', 50));
  const status = el('div', { 'aria-live': 'polite' });
  const form = el('form', { class: 'panel', id: 'new-test', 'aria-labelledby': 'new-test-h' },
    el('h2', { id: 'new-test-h' }, 'New test'),
    el('label', { for: 't-name' }, 'Name'), el('input', { id: 't-name', name: 'name', required: true }),
    el('label', { for: 't-link' }, 'Short link (code, alias or id)'), el('input', { id: 't-link', name: 'primary_url_id', required: true }),
    el('label', { for: 't-mode' }, 'Split'), el('select', { id: 't-mode', name: 'mode' },
      el('option', { value: 'weighted' }, 'Weighted (weights add up to 100)'), el('option', { value: 'equal' }, 'Equal')),
    el('label', { for: 't-min' }, 'Minimum sample per variant'), el('input', { id: 't-min', name: 'min', type: 'number', min: 1, value: 100 }),
    el('label', {}, el('input', { type: 'checkbox', name: 'conversions', checked: true }), ' Count conversions'),
    el('p', {}, 'Variants (the first is the control):'), variants,
    el('button', { type: 'button', onclick: () => variants.append(variantRow(`Variant ${String.fromCharCode(65 + variants.children.length)}`, '', 0)) }, 'Add variant'),
    el('button', { type: 'submit', class: 'primary' }, 'Create test'), status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const weighted = form.mode.value === 'weighted';
    const body = {
      name: form.name.value.trim(), primary_url_id: form.primary_url_id.value.trim(), traffic_split_mode: form.mode.value,
      min_sample_size: Number(form.min.value), conversions_enabled: form.conversions.checked,
      variants: [...variants.querySelectorAll('.variant')].map((v) => ({
        name: v.querySelector('.v-name').value.trim(), destination_url: v.querySelector('.v-url').value.trim(),
        ...(weighted ? { traffic_weight: Number(v.querySelector('.v-weight').value) } : {}),
      })),
    };
    try {
      const { test } = await api('/api/v1/url-ab-tests', { method: 'POST', body });
      toast('Test created');
      navigate(`/dashboard/ab-tests/${test.id}`);
    } catch (err) {
      problem(status, err);
    }
  });
  return form;
}

/** /dashboard/ab-tests/{id}: the test, its controls and its results, refreshed every few seconds. */
export function abTestView(main, ctx) {
  const id = ctx.path.split('/')[3];
  const head = el('div');
  const results = el('section', { class: 'panel', id: 'ab-results', 'aria-labelledby': 'ab-results-h' },
    el('h2', { id: 'ab-results-h' }, 'Results'));
  const body = el('div', { 'aria-live': 'polite' });
  results.append(body);
  let timer = null;
  let titled = false;
  async function load() {
    try {
      const { test } = await api(`/api/v1/url-ab-tests/${encodeURIComponent(id)}`);
      if (!titled) { heading(main, `A/B test · ${test.name}`); main.append(head, results); titled = true; }
      head.replaceChildren(el('p', {}, 'Status: ', el('strong', { id: 'ab-status' }, test.status),
        test.winner_variant_id ? ` · winner: ${test.variants.find((v) => v.id === test.winner_variant_id)?.name}` : ''),
      el('p', { class: 'actions' },
        ...(test.status === 'draft' || test.status === 'paused' ? [el('button', { type: 'button', class: 'primary', onclick: () => act('start') }, 'Start')] : []),
        ...(test.status === 'running' ? [el('button', { type: 'button', onclick: () => act('pause') }, 'Pause')] : []),
        ...(test.status !== 'completed' ? [el('button', { type: 'button', onclick: () => act('complete') }, 'Complete (best variant wins)')] : [])));
      const r = await api(`/api/v1/url-ab-tests/${encodeURIComponent(id)}/results`);
      body.replaceChildren(
        el('p', { class: 'muted' }, r.sample_size_reached ? `Every variant has at least ${r.min_sample_size} clicks: significance at ${r.confidence_level} %.`
          : `Significance is shown once every variant has ${r.min_sample_size} clicks.`),
        el('p', { class: 'muted' }, 'Conversion rate: the share of human clicks with at least one conversion (converted clicks / clicks).'),
        el('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Results per variant (scrolls sideways)' }, el('table', { id: 'ab-table' }, el('thead', {}, el('tr', {}, ...['Variant', 'Weight', 'Clicks', 'Uniques', 'Conversions', 'Converted clicks', 'Conversion rate', 'Uplift', 'p-value', 'Significant']
          .map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ...r.variants.map((v) => el('tr', {},
          el('td', {}, v.name + (v.is_control ? ' (control)' : '')), el('td', {}, `${v.traffic_weight} %`), el('td', {}, String(v.clicks)),
          el('td', {}, String(v.uniques)), el('td', {}, String(v.conversions)), el('td', {}, String(v.converted_clicks)),
          el('td', {}, `${v.conversion_rate} %`),
          el('td', {}, v.uplift === null ? '–' : `${v.uplift > 0 ? '+' : ''}${v.uplift} %`),
          el('td', {}, v.p_value === null ? '–' : String(v.p_value)), el('td', {}, v.is_control ? '–' : (v.significant ? 'yes' : 'no'))))))));
    } catch (e) {
      if (!titled) { heading(main, 'A/B test not found'); titled = true; main.append(body); }
      problem(body, e);
    }
  }
  async function act(action) {
    try {
      await api(`/api/v1/url-ab-tests/${encodeURIComponent(id)}/${action}`, { method: 'POST' });
      toast(`Test ${action === 'complete' ? 'completed' : action === 'start' ? 'started' : 'paused'}`);
    } catch (e) {
      toast(e.message);
    }
    load();
  }
  load();
  timer = setInterval(load, 3000);
  return () => clearInterval(timer);
}
