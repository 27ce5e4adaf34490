// QR codes in the dashboard (issue 15): a QR dialog for any link (preview, colours, size, PNG and
// SVG download) and a page listing the workspace's QR codes. Images need the Bearer key, so they
// are fetched and shown as data: URLs (the page's CSP allows images from 'self' and data: only).

import { api, ApiError, session } from './api.js';
import { el, toast } from './views.js';

async function imageBlob(path, query) {
  const u = new URL(path, location.origin);
  for (const [k, v] of Object.entries(query)) if (v !== '' && v !== undefined) u.searchParams.set(k, v);
  const response = await fetch(u, { headers: { Authorization: `Bearer ${session.key}` } });
  if (!response.ok) {
    let body = null;
    try { body = await response.json(); } catch { /* not JSON */ }
    const e = body && body.error;
    throw new ApiError(response.status, e ? e.code : 'HTTP_' + response.status, e ? e.message : `The server answered ${response.status}`,
      e && e.details ? e.details.field : undefined);
  }
  return response.blob();
}

function dataUrl(blob) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result);
    r.onerror = () => reject(r.error);
    r.readAsDataURL(blob);
  });
}

function save(blob, filename) {
  const a = el('a', { href: URL.createObjectURL(blob), download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** The QR dialog of a link: preview with colours and size, PNG and SVG downloads. */
export function qrDialog(link) {
  const fg = el('input', { id: 'qr-fg', type: 'color', value: '#000000', 'data-field': 'foregroundColor' });
  const bg = el('input', { id: 'qr-bg', type: 'color', value: '#ffffff', 'data-field': 'backgroundColor' });
  const size = el('input', { id: 'qr-size', type: 'number', min: '64', max: '2048', step: '1', value: '512', 'data-field': 'size' });
  const img = el('img', { class: 'qr-preview', alt: `QR code for ${link.short_url}`, width: '256', height: '256' });
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const path = `/api/v1/short-urls/${encodeURIComponent(link.id)}/qr`;
  const query = (format) => ({ format, size: size.value, foregroundColor: fg.value, backgroundColor: bg.value });
  async function preview() {
    try {
      img.src = await dataUrl(await imageBlob(path, query('png')));
      error.hidden = true;
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
    }
  }
  async function download(format) {
    try {
      save(await imageBlob(path, query(format)), `qr-${link.short_code}.${format}`);
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
    }
  }
  for (const input of [fg, bg, size]) input.addEventListener('change', preview);
  const close = el('button', { type: 'button' }, 'Close');
  const d = el('dialog', { 'aria-labelledby': 'qr-title', class: 'qr-dialog' },
    el('h2', { id: 'qr-title' }, `QR code for ${link.short_code}`),
    el('div', { class: 'qr-body' }, img,
      el('div', { class: 'qr-controls' },
        el('label', { for: 'qr-fg' }, 'Foreground'), fg,
        el('label', { for: 'qr-bg' }, 'Background'), bg,
        el('label', { for: 'qr-size' }, 'Size (64–2048 px)'), size, error)),
    el('div', { class: 'dialog-actions' },
      el('button', { type: 'button', class: 'primary', onclick: () => download('png') }, 'Download PNG'),
      el('button', { type: 'button', onclick: () => download('svg') }, 'Download SVG'), close));
  document.body.append(d);
  close.addEventListener('click', () => d.close());
  d.addEventListener('close', () => d.remove());
  d.showModal();
  preview();
  return d;
}

/** /dashboard/qr-codes: the workspace's QR codes with a thumbnail, type, content, scans and the last scan. */
export function qrCodesView(main) {
  const h = el('h1', { tabindex: '-1' }, 'QR codes');
  main.append(h);
  h.focus();
  document.title = 'QR codes · Linkpulse';
  const list = el('div', { class: 'qr-list' }, el('p', { class: 'muted' }, 'Loading…'));
  main.append(list);
  (async () => {
    try {
      const data = await api('/api/v1/qr-codes', { query: { limit: 100 } });
      if (data.qrCodes.length === 0) {
        list.replaceChildren(el('p', { class: 'muted' }, 'No QR codes yet. Open a link and choose “QR”, or create one with POST /api/v1/qr-codes/generate.'));
        return;
      }
      const rows = data.qrCodes.map((q) => {
        const thumb = el('img', { class: 'qr-thumb', alt: `QR code ${q.name || q.id}`, width: '96', height: '96' });
        imageBlob(`/api/v1/qr-codes/${q.id}/image`, { format: 'png', size: '192' }).then(dataUrl).then((u) => {
          thumb.src = u;
        }).catch(() => {});
        return el('tr', {},
          el('td', {}, thumb),
          el('td', {}, q.name || '—'),
          el('td', {}, q.content_type, q.is_dynamic ? ' (dynamic)' : q.short_url ? ' (tracked)' : ' (static)',
            q.is_password_protected ? ', password protected' : ''),
          el('td', { class: 'url' }, q.short_url || q.content),
          el('td', { class: 'num' }, String(q.scan_count)),
          el('td', {}, q.last_scanned_at ? el('time', { datetime: q.last_scanned_at }, new Date(q.last_scanned_at).toLocaleString()) : '—'),
          el('td', {},
            el('button', { type: 'button', onclick: async () => save(await imageBlob(`/api/v1/qr-codes/${q.id}/image`, { format: 'png' }), `qr-${q.id}.png`) }, 'PNG'),
            ' ',
            el('button', { type: 'button', onclick: async () => save(await imageBlob(`/api/v1/qr-codes/${q.id}/image`, { format: 'svg' }), `qr-${q.id}.svg`) }, 'SVG')));
      });
      list.replaceChildren(el('div', { class: 'table-wrap' }, el('table', { class: 'qr-table' },
        el('thead', {}, el('tr', {}, ...['Code', 'Name', 'Type', 'Encodes', 'Scans', 'Last scan', 'Download'].map((t) => el('th', { scope: 'col' }, t)))),
        el('tbody', {}, ...rows))),
        el('p', { class: 'muted' }, `${data.pagination.totalCount} QR code(s).`));
    } catch (e) {
      list.replaceChildren(el('p', { class: 'error', role: 'alert' }, e.message));
      toast(e.message);
    }
  })();
  return () => {};
}
