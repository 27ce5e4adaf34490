// The webhooks page (issue 18): subscriptions, their secret shown once, their delivery log, retry now.

import { api, ApiError } from './api.js';
import { el, toast } from './views.js';

const EVENTS = [
  ['link.clicked', 'Every click (link.clicked)'],
  ['link.clicked.unique', "A visitor's first click of the day (link.clicked.unique)"],
  ['link.created', 'A link is created (link.created)'],
];

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

function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '—';
}

export function webhooksView(main) {
  const h = el('h1', { tabindex: '-1' }, 'Webhooks');
  main.append(h);
  h.focus();
  document.title = 'Webhooks · Linkpulse';

  const secretBox = el('div', { id: 'webhook-secret', 'aria-live': 'polite' });
  const form = el('form', { class: 'card', novalidate: true, 'aria-labelledby': 'new-hook-heading' },
    el('h2', { id: 'new-hook-heading' }, 'Send events to a URL'),
    el('div', { class: 'grid' },
      el('div', {}, el('label', { for: 'hook-event' }, 'Event'),
        el('select', { id: 'hook-event', name: 'event', 'data-field': 'event_type' },
          ...EVENTS.map(([v, l]) => el('option', { value: v }, l)))),
      el('div', {}, el('label', { for: 'hook-url' }, 'Target URL'),
        el('input', { id: 'hook-url', name: 'target', type: 'url', required: true, placeholder: 'https://hooks.example.com/linkpulse',
          'data-field': 'target_url' })),
      el('div', {}, el('label', { for: 'hook-code' }, 'Only this link (short code, optional)'),
        el('input', { id: 'hook-code', name: 'code', 'data-field': 'short_code' }))),
    el('button', { type: 'submit', class: 'primary' }, 'Create subscription'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { event_type: form.event.value, target_url: form.target.value.trim() };
    if (form.code.value.trim()) body.short_code = form.code.value.trim();
    try {
      const created = await api('/api/v1/webhooks/subscriptions', { method: 'POST', body });
      form.reset();
      form.querySelectorAll('.error').forEach((x) => x.remove());
      showSecret(created.id, created.secret, 'created');
      load();
    } catch (e) {
      if (e instanceof ApiError) fieldError(form, e); else throw e;
    }
  });

  function showSecret(id, secret, what) {
    secretBox.replaceChildren(el('div', { class: 'card secret', role: 'alert' },
      el('p', {}, `Subscription ${what}. Its signing secret is shown only now: store it where your receiver can read it.`),
      el('code', { class: 'secret-value', id: `secret-${id}` }, secret),
      el('p', { class: 'muted small' }, 'Verify webhook-signature as the Standard Webhooks spec says: '
        + 'base64 HMAC-SHA256 of "webhook-id.webhook-timestamp.body", keyed with the base64 part of the secret.'),
      el('button', { type: 'button', onclick: () => secretBox.replaceChildren() }, 'I have stored it')));
  }

  const list = el('section', { 'aria-labelledby': 'hooks-heading' }, el('h2', { id: 'hooks-heading' }, 'Subscriptions'));
  const body = el('div', { 'aria-live': 'polite' });
  const details = el('section', { id: 'deliveries', 'aria-live': 'polite' });
  list.append(body);
  main.append(form, secretBox, list, details);

  async function load() {
    try {
      const subs = await api('/api/v1/webhooks/subscriptions');
      if (!subs.length) {
        body.replaceChildren(el('p', { class: 'muted' }, 'No subscriptions yet. Create one above.'));
        return;
      }
      body.replaceChildren(el('div', { class: 'table-wrap' }, el('table', { class: 'links' },
        el('caption', { class: 'visually-hidden' }, 'Webhook subscriptions'),
        el('thead', {}, el('tr', {}, ...['Event', 'Target', 'Status', 'Delivered', 'Pending', 'Failed', 'Actions']
          .map((t) => el('th', { scope: 'col' }, t)))),
        el('tbody', {}, ...subs.map(row)))));
    } catch (e) {
      body.replaceChildren(el('p', { class: 'error', role: 'alert' }, e.message));
    }
  }

  function row(s) {
    const status = s.status === 'disabled'
      ? el('span', { class: 'status-disabled', title: s.disabled_reason || '' }, `disabled ${when(s.disabled_at)}`)
      : el('span', { class: `status-${s.status}` }, s.status === 'failing' ? `failing since ${when(s.failing_since)}` : 'active');
    return el('tr', { 'data-subscription': s.id },
      el('td', {}, s.event_type, s.short_code ? el('div', { class: 'muted small' }, `only /${s.short_code}`) : null),
      el('td', { class: 'url' }, el('span', { title: s.target_url }, s.target_url)),
      el('td', {}, status, s.disabled_reason ? el('div', { class: 'muted small' }, s.disabled_reason) : null),
      el('td', { class: 'num' }, String(s.deliveries.delivered)),
      el('td', { class: 'num' }, String(s.deliveries.pending)),
      el('td', { class: 'num' }, String(s.deliveries.failed)),
      el('td', { class: 'actions' },
        el('button', { type: 'button', onclick: () => showDeliveries(s), 'aria-label': `Deliveries of ${s.target_url}` }, 'Deliveries'),
        el('button', { type: 'button', onclick: () => retry(s), 'aria-label': `Retry now ${s.target_url}` }, 'Retry now'),
        el('button', { type: 'button', onclick: () => rotate(s), 'aria-label': `New secret for ${s.target_url}` }, 'New secret'),
        el('button', { type: 'button', class: 'danger', onclick: () => remove(s), 'aria-label': `Delete ${s.target_url}` }, 'Delete')));
  }

  async function retry(s) {
    try {
      const r = await api(`/api/v1/webhooks/subscriptions/${s.id}/retry`, { method: 'POST' });
      toast(`${r.rescheduled} deliveries will be sent again now`);
      load();
      if (details.dataset.subscription === s.id) refreshSoon(s);
    } catch (e) {
      toast(e.message);
    }
  }

  async function rotate(s) {
    if (!confirm('Make a new secret? Your receiver must use it from now on.')) return;
    try {
      const r = await api(`/api/v1/webhooks/subscriptions/${s.id}/rotate-secret`, { method: 'POST' });
      showSecret(s.id, r.secret, 'given a new secret');
    } catch (e) {
      toast(e.message);
    }
  }

  async function remove(s) {
    if (!confirm(`Delete the subscription to ${s.target_url} and its delivery log?`)) return;
    try {
      await api(`/api/v1/webhooks/subscriptions/${s.id}`, { method: 'DELETE' });
      toast('Subscription deleted');
      if (details.dataset.subscription === s.id) details.replaceChildren();
      load();
    } catch (e) {
      toast(e.message);
    }
  }

  // The sender picks a retried delivery up within a second or so; look again a few times.
  function refreshSoon(s) {
    for (const ms of [700, 2000, 4000]) {
      setTimeout(() => { if (details.dataset.subscription === s.id) showDeliveries(s); }, ms);
    }
  }

  async function showDeliveries(s) {
    details.dataset.subscription = s.id;
    details.replaceChildren(el('h2', { id: 'deliveries-heading' }, `Deliveries to ${s.target_url}`), el('p', { class: 'muted' }, 'Loading…'));
    try {
      const data = await api(`/api/v1/webhooks/subscriptions/${s.id}/deliveries`, { query: { limit: 50 } });
      if (!data.deliveries.length) {
        details.replaceChildren(details.firstChild, el('p', { class: 'muted' }, 'Nothing sent yet.'));
        return;
      }
      // Focusable, so a keyboard can scroll it sideways on a phone even when no row has a button.
      details.replaceChildren(details.firstChild, el('div', { class: 'table-wrap', tabindex: '0', role: 'region',
        'aria-labelledby': 'deliveries-heading' }, el('table', { class: 'links deliveries' },
        el('caption', { class: 'visually-hidden' }, 'Deliveries'),
        el('thead', {}, el('tr', {}, ...['Message', 'Event', 'Status', 'HTTP', 'Attempts', 'Last attempt', 'Next attempt', 'Actions']
          .map((t) => el('th', { scope: 'col' }, t)))),
        el('tbody', {}, ...data.deliveries.map((d) => el('tr', { 'data-delivery': d.id },
          el('td', {}, el('code', {}, d.id)),
          el('td', {}, d.event),
          el('td', { class: `status-${d.status}` }, d.status),
          el('td', { class: 'num' }, d.last_status_code === null ? (d.last_error ? 'no answer' : '—') : String(d.last_status_code)),
          el('td', { class: 'num' }, String(d.attempts)),
          el('td', { title: d.last_error || '' }, when(d.last_attempt_at)),
          el('td', {}, when(d.next_attempt_at)),
          el('td', { class: 'actions' }, d.status === 'delivered' ? null : el('button', { type: 'button',
            onclick: async () => {
              try {
                await api(`/api/v1/webhooks/subscriptions/${s.id}/deliveries/${d.id}/retry`, { method: 'POST' });
                toast('Sending again now');
                refreshSoon(s);
              } catch (e) {
                toast(e.message);
              }
            } }, 'Retry now')))))),
      el('p', { class: 'muted small' }, `${data.pagination.total} deliveries in all`)));
    } catch (e) {
      details.replaceChildren(details.firstChild, el('p', { class: 'error', role: 'alert' }, e.message));
    }
  }

  load();
  return () => {};
}
