// Campaigns, tags and domains in the dashboard (issue 16): the campaigns pages, the domains settings
// page, tag chips and the extra fields of the create form that views.js borrows.

import { api, ApiError } from './api.js';
import { bars, number, timeSeries } from './charts.js';
import { el, toast } from './views.js';

function heading(main, text) {
  const h = el('h1', { tabindex: '-1' }, text);
  main.append(h);
  h.focus();
  document.title = `${text} · Linkpulse`;
}

function showError(form, e) {
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

function panel(title, id) {
  const body = el('div', { class: 'panel-body', 'aria-live': 'polite' });
  return { section: el('section', { class: 'panel', id, 'aria-labelledby': `${id}-h` }, el('h2', { id: `${id}-h` }, title), body), body };
}

function stat(label, value) {
  return el('div', { class: 'stat' }, el('span', { class: 'stat-value' }, value), el('span', { class: 'stat-label' }, label));
}

function confirmDialog(title, text, yesLabel, onYes) {
  const yes = el('button', { type: 'button', class: 'danger' }, yesLabel);
  const no = el('button', { type: 'button' }, 'Cancel');
  const d = el('dialog', { 'aria-labelledby': 'dialog-title' }, el('h2', { id: 'dialog-title' }, title), el('p', {}, text),
    el('div', { class: 'dialog-actions' }, no, yes));
  document.body.append(d);
  d.addEventListener('close', () => d.remove());
  d.showModal();
  no.focus();
  no.addEventListener('click', () => d.close());
  yes.addEventListener('click', async () => {
    d.close();
    try { await onYes(); } catch (e) { toast(e.message); }
  });
}

// ---- tags on links ----

/** The link's tags as chips, each a link to the links list filtered by it. */
export function tagChips(link) {
  if (!link.tags || !link.tags.length) return null;
  return el('ul', { class: 'chips', 'aria-label': 'Tags' }, ...link.tags.map((t) =>
    el('li', {}, el('a', { class: 'chip', href: `/dashboard/links?tags=${encodeURIComponent(t)}`, 'data-nav': true }, t))));
}

/** Comma-separated tags as the API takes them (an array). */
function tagList(text) {
  return text.split(',').map((t) => t.trim()).filter(Boolean);
}

/** Fields the create form adds: domain, campaign, tags. Filled from the API when shown. */
export function linkCreateFields() {
  const domain = el('select', { id: 'new-domain', name: 'domain', 'data-field': 'subdomain' }, el('option', { value: '' }, 'Standard domain'));
  const campaign = el('select', { id: 'new-campaign', name: 'campaign', 'data-field': 'campaign_id' }, el('option', { value: '' }, 'No campaign'));
  Promise.all([api('/api/v1/domains/subdomains'), api('/api/v1/domains/branded'), api('/api/v1/campaigns', { query: { limit: 100 } })])
    .then(([subs, brands, campaigns]) => {
      for (const s of subs) domain.append(el('option', { value: `subdomain:${s.subdomain}` }, s.full_domain));
      for (const b of brands.filter((x) => x.is_verified)) domain.append(el('option', { value: `branded:${b.domain}` }, b.domain));
      for (const c of campaigns) campaign.append(el('option', { value: c.id }, c.name));
    })
    .catch(() => { /* without these lists the form still creates standard links */ });
  return el('div', { class: 'grid' },
    el('div', {}, el('label', { for: 'new-domain' }, 'Domain'), domain),
    el('div', {}, el('label', { for: 'new-campaign' }, 'Campaign (optional)'), campaign),
    el('div', {}, el('label', { for: 'new-tags' }, 'Tags (optional, comma-separated)'),
      el('input', { id: 'new-tags', name: 'tags', 'data-field': 'tags', placeholder: 'news, spring' })));
}

/** Adds what the extra fields say to a create body. */
export function readLinkCreateFields(form, body) {
  const [type, value] = (form.domain.value || '').split(':');
  if (type === 'subdomain') body.subdomain = value;
  if (type === 'branded') body.branded_domain = value;
  if (form.campaign.value) body.campaign_id = form.campaign.value;
  const tags = tagList(form.tags.value);
  if (tags.length) body.tags = tags;
}

// ---- campaigns ----

export function campaignsView(main, { navigate }) {
  heading(main, 'Campaigns');
  const form = el('form', { class: 'card', novalidate: true, 'aria-labelledby': 'new-campaign-h' },
    el('h2', { id: 'new-campaign-h' }, 'New campaign'),
    el('div', { class: 'grid' },
      el('div', {}, el('label', { for: 'c-name' }, 'Name'), el('input', { id: 'c-name', name: 'name', required: true, maxlength: 100, 'data-field': 'name' })),
      el('div', {}, el('label', { for: 'c-start' }, 'Starts (optional)'), el('input', { id: 'c-start', name: 'start', type: 'date', 'data-field': 'start_date' })),
      el('div', {}, el('label', { for: 'c-end' }, 'Ends (optional)'), el('input', { id: 'c-end', name: 'end', type: 'date', 'data-field': 'end_date' })),
      el('div', {}, el('label', { for: 'c-description' }, 'Description (optional)'),
        el('input', { id: 'c-description', name: 'description', 'data-field': 'description' }))),
    el('button', { type: 'submit', class: 'primary' }, 'Create campaign'));
  const list = el('div', { 'aria-live': 'polite' });
  main.append(form, el('section', { 'aria-labelledby': 'campaigns-h' }, el('h2', { id: 'campaigns-h' }, 'Your campaigns'), list));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { name: form.name.value.trim() };
    if (form.description.value.trim()) body.description = form.description.value.trim();
    if (form.start.value) body.start_date = form.start.value;
    if (form.end.value) body.end_date = form.end.value;
    try {
      const c = await api('/api/v1/campaigns', { method: 'POST', body });
      form.reset();
      form.querySelectorAll('.error').forEach((x) => x.remove());
      toast(`Created ${c.name}.`);
      load();
    } catch (err) {
      if (err instanceof ApiError) showError(form, err); else throw err;
    }
  });

  async function load() {
    list.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
    try {
      const campaigns = await api('/api/v1/campaigns', { query: { limit: 100 } });
      if (!campaigns.length) {
        list.replaceChildren(el('p', { class: 'muted' }, 'No campaigns yet. Create one above, then add links to it.'));
        return;
      }
      const total = campaigns.reduce((a, c) => a + c.total_clicks, 0);
      list.replaceChildren(el('div', { class: 'stats' }, stat('Campaigns', number.format(campaigns.length)),
        stat('Links in campaigns', number.format(campaigns.reduce((a, c) => a + c.url_count, 0))), stat('Clicks', number.format(total))),
      el('div', { class: 'table-wrap' }, el('table', { class: 'campaigns' },
        el('caption', { class: 'visually-hidden' }, 'Campaigns'),
        el('thead', {}, el('tr', {}, ...['Campaign', 'Status', 'Dates', 'Links', 'Clicks'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ...campaigns.map((c) => el('tr', {},
          el('td', {}, el('a', { href: `/dashboard/campaigns/${c.id}`, 'data-nav': true }, c.name)),
          el('td', {}, el('span', { class: `status status-${c.status}` }, c.status)),
          el('td', {}, [c.start_date && c.start_date.slice(0, 10), c.end_date && c.end_date.slice(0, 10)].filter(Boolean).join(' – ') || '—'),
          el('td', { class: 'num' }, number.format(c.url_count)),
          el('td', { class: 'num' }, number.format(c.total_clicks))))))));
    } catch (err) {
      list.replaceChildren(el('p', { class: 'error', role: 'alert' }, err.message));
    }
  }
  load();
  return () => {};
}

export function campaignView(main, { path, navigate }) {
  const id = decodeURIComponent(path.split('/')[3]);
  const wrap = el('div');
  api(`/api/v1/campaigns/${encodeURIComponent(id)}`).then((c) => {
    heading(main, c.name);
    main.append(el('p', { class: 'muted' }, `${c.status} · ${number.format(c.url_count)} links · ${number.format(c.total_clicks)} clicks`,
      c.description ? ` · ${c.description}` : ''),
    el('p', { class: 'actions' },
      el('button', { type: 'button', onclick: async () => {
        await api(`/api/v1/campaigns/${c.id}`, { method: 'PATCH', body: { status: c.status === 'archived' ? 'active' : 'archived' } });
        navigate(location.pathname);
      } }, c.status === 'archived' ? 'Take out of the archive' : 'Archive'),
      el('button', { type: 'button', class: 'danger', onclick: () => confirmDialog(`Delete ${c.name}?`,
        'The campaign goes; its links stay, in no campaign.', 'Delete campaign', async () => {
          await api(`/api/v1/campaigns/${c.id}`, { method: 'DELETE' });
          toast(`Deleted ${c.name}.`);
          navigate('/dashboard/campaigns');
        }) }, 'Delete')), wrap);
    render(c);
  }).catch((e) => {
    heading(main, 'Campaign not found');
    main.append(el('p', { class: 'error', role: 'alert' }, e.status === 404 ? 'There is no such campaign in your workspace.' : e.message),
      el('a', { href: '/dashboard/campaigns', 'data-nav': true }, 'Back to campaigns'));
  });

  async function render(c) {
    const totals = panel('Clicks', 'c-totals');
    const series = panel('Clicks per day, last 30 days', 'series');
    const links = panel('Links', 'c-links');
    const breakdowns = [['country', 'Countries'], ['device_type', 'Devices'], ['browser', 'Browsers'], ['source', 'Sources']]
      .map(([by, title]) => [by, panel(title, `c-${by}`)]);
    wrap.replaceChildren(el('div', { class: 'panels' }, totals.section, links.section, series.section, ...breakdowns.map(([, p]) => p.section)));
    try {
      // The last 30 UTC days: whole days, so the answer comes from the links' rollups.
      const day = 86_400_000;
      const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
      const a = await api(`/api/v1/campaigns/${c.id}/analytics`,
        { query: { groupBy: 'day', startDate: iso(Date.now() - 29 * day), endDate: iso(Date.now()) } });
      totals.body.replaceChildren(el('p', { class: 'muted small' }, 'Last 30 days'), el('div', { class: 'stats' }, stat('Total clicks', number.format(a.total_clicks)),
        stat('Unique clicks', number.format(a.unique_clicks)), stat('Returning visitors', number.format(a.returning_visitors)),
        stat('Active days', number.format(a.active_days)), stat('Conversions', number.format(a.conversions.total)),
        stat('Conversion rate', `${a.conversions.conversion_rate}%`)));
      timeSeries(series.body, a.series, { label: 'Clicks per day' });
      for (const [by, p] of breakdowns) bars(p.body, a.breakdowns[by], { caption: p.section.querySelector('h2').textContent });
    } catch (e) {
      totals.body.replaceChildren(el('p', { class: 'error', role: 'alert' }, e.message));
    }
    try {
      const data = await api(`/api/v1/campaigns/${c.id}/urls`, { query: { limit: 100, sort: 'clicks' } });
      links.body.replaceChildren(data.shortUrls.length ? el('ul', { class: 'plain' }, ...data.shortUrls.map((l) => el('li', {},
        el('a', { href: `/dashboard/links/${l.id}`, 'data-nav': true }, l.name || l.short_code), ` — ${number.format(l.clicks)} clicks `,
        el('button', { type: 'button', 'aria-label': `Remove ${l.short_code} from the campaign`, onclick: async () => {
          await api(`/api/v1/campaigns/${c.id}/urls/${l.id}`, { method: 'DELETE' });
          toast(`Removed ${l.short_code}.`);
          render(c);
        } }, 'Remove')))) : el('p', { class: 'muted' }, 'No links yet: choose this campaign when creating a link.'));
    } catch (e) {
      links.body.replaceChildren(el('p', { class: 'error', role: 'alert' }, e.message));
    }
  }
  return () => {};
}

// ---- domains ----

export function domainsView(main) {
  heading(main, 'Domains');
  const subForm = el('form', { class: 'card', novalidate: true, 'aria-labelledby': 'sub-h' },
    el('h2', { id: 'sub-h' }, 'Add a subdomain'),
    el('label', { for: 'd-sub' }, 'Subdomain (3–63 of a–z, 0–9 and -)'),
    el('input', { id: 'd-sub', name: 'subdomain', required: true, 'data-field': 'subdomain', placeholder: 'shop' }),
    el('button', { type: 'submit', class: 'primary' }, 'Add subdomain'));
  const brandForm = el('form', { class: 'card', novalidate: true, 'aria-labelledby': 'brand-h' },
    el('h2', { id: 'brand-h' }, 'Add a branded domain'),
    el('label', { for: 'd-brand' }, 'Domain'),
    el('input', { id: 'd-brand', name: 'domain', required: true, 'data-field': 'domain', placeholder: 'go.example.com' }),
    el('button', { type: 'submit', class: 'primary' }, 'Add branded domain'));
  const subs = el('div', { 'aria-live': 'polite' });
  const brands = el('div', { 'aria-live': 'polite' });
  main.append(el('div', { class: 'grid' }, subForm, brandForm),
    el('section', { 'aria-labelledby': 'subs-h' }, el('h2', { id: 'subs-h' }, 'Subdomains'), subs),
    el('section', { 'aria-labelledby': 'brands-h' }, el('h2', { id: 'brands-h' }, 'Branded domains'), brands));
  for (const [form, path, field] of [[subForm, '/api/v1/domains/subdomains', 'subdomain'], [brandForm, '/api/v1/domains/branded', 'domain']]) {
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await api(path, { method: 'POST', body: { [field]: form[field].value.trim() } });
        form.reset();
        form.querySelectorAll('.error').forEach((x) => x.remove());
        load();
      } catch (err) {
        if (err instanceof ApiError) showError(form, err); else throw err;
      }
    });
  }

  function remove(kind, d, label) {
    const path = `/api/v1/domains/${kind}/${d.id}`;
    const text = d.link_count ? `${d.link_count} links use ${label}; deleting it deletes them and their clicks.` : `${label} will stop answering.`;
    confirmDialog(`Delete ${label}?`, text, 'Delete', async () => {
      await api(path, { method: 'DELETE', query: d.link_count ? { force: 'true' } : {} });
      toast(`Deleted ${label}.`);
      load();
    });
  }

  async function load() {
    try {
      const [s, b] = await Promise.all([api('/api/v1/domains/subdomains'), api('/api/v1/domains/branded')]);
      subs.replaceChildren(s.length ? el('ul', { class: 'plain' }, ...s.map((d) => el('li', {}, el('strong', {}, d.full_domain),
        ` — ${number.format(d.link_count)} links `, el('button', { type: 'button', class: 'danger', onclick: () => remove('subdomains', d, d.full_domain) }, 'Delete'))))
        : el('p', { class: 'muted' }, 'No subdomains yet.'));
      brands.replaceChildren(b.length ? el('ul', { class: 'plain' }, ...b.map((d) => el('li', {}, el('strong', {}, d.domain), ' ',
        el('span', { class: `status ${d.is_verified ? 'status-active' : 'status-scheduled'}` }, d.is_verified ? 'verified' : 'not verified'),
        d.is_verified ? ` — ${number.format(d.link_count)} links ` : el('p', { class: 'small' }, 'Add a DNS TXT record ',
          el('code', {}, d.verification.name), ' with the value ', el('code', {}, d.verification.value), ', then ',
          el('button', { type: 'button', onclick: async () => {
            const v = await api(`/api/v1/domains/branded/${d.id}/verify`, { method: 'POST' });
            toast(v.message);
            load();
          } }, 'Verify')),
        el('button', { type: 'button', class: 'danger', onclick: () => remove('branded', d, d.domain) }, 'Delete'))))
        : el('p', { class: 'muted' }, 'No branded domains yet.'));
    } catch (e) {
      subs.replaceChildren(el('p', { class: 'error', role: 'alert' }, e.message));
    }
  }
  load();
  return () => {};
}
