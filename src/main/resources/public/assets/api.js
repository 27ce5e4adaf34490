// Talking to the Linkpulse API: the key from sessionStorage as a Bearer token, the error envelope
// turned into ApiError, and a Server-Sent Events reader over fetch (EventSource cannot send headers).

const KEY = 'linkpulse.apiKey';

export const session = {
  get key() { return sessionStorage.getItem(KEY); },
  signIn(key) { sessionStorage.setItem(KEY, key); },
  signOut() { sessionStorage.removeItem(KEY); },
};

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

function url(path, query) {
  const u = new URL(path, location.origin);
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') u.searchParams.set(k, v);
  }
  return u;
}

function headers(extra) {
  return { Authorization: `Bearer ${session.key}`, ...extra };
}

async function failure(response, signedIn = true) {
  let body = null;
  try { body = await response.json(); } catch { /* not JSON: a proxy or a crash */ }
  const e = body && body.error;
  if (response.status === 401 && signedIn) {
    session.signOut();
    window.dispatchEvent(new CustomEvent('linkpulse:signed-out', { detail: e ? e.message : '' }));
  }
  return new ApiError(response.status, e ? e.code : 'HTTP_' + response.status,
    e ? e.message : `The server answered ${response.status}`, e && e.details ? e.details.field : undefined);
}

/** A JSON call; resolves with the envelope's data (and the whole body as second value). */
export async function api(path, { method = 'GET', query, body, key } = {}) {
  const init = { method, headers: key ? { Authorization: `Bearer ${key}` } : headers() };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(url(path, query), init);
  } catch {
    throw new ApiError(0, 'NETWORK', 'The server cannot be reached. Check your connection.');
  }
  if (!response.ok) throw await failure(response, !key);
  const json = await response.json();
  return json.data;
}

/** Downloads a file the API streams (an export), under the given name. */
export async function download(path, query, filename) {
  const response = await fetch(url(path, query), { headers: headers() });
  if (!response.ok) throw await failure(response);
  const blob = await response.blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/**
 * Follows an SSE endpoint until {@code signal} aborts; reconnects after a drop with Last-Event-ID,
 * so clicks missed meanwhile are replayed. onEvent(type, data) per event; onState('live'|'reconnecting').
 */
export async function follow(path, query, { onEvent, onState, signal }) {
  let lastId = null;
  while (!signal.aborted) {
    try {
      const h = headers({ Accept: 'text/event-stream' });
      if (lastId) h['Last-Event-ID'] = lastId;
      const response = await fetch(url(path, query), { headers: h, signal });
      if (!response.ok) throw await failure(response);
      onState('live');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let type = 'message';
          let id = null;
          const data = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) type = line.slice(6).trim();
            else if (line.startsWith('id:')) id = line.slice(3).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          if (id) lastId = id;
          if (data.length) onEvent(type, JSON.parse(data.join('\n')));
        }
      }
    } catch (e) {
      if (signal.aborted) return;
      if (e instanceof ApiError && (e.status === 401 || e.status === 403 || e.status === 404)) {
        onState('stopped', e.message);
        return;
      }
    }
    if (signal.aborted) return;
    onState('reconnecting');
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}
