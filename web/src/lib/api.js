// One way to call the API from the console. The session cookie travels by itself (same origin);
// errors come back in either of upstream's two shapes ({"error":"msg"} for sandboxes, auth and
// metadata, {"error":{"code","message"}} for templates, pre-pull and import) and surface as ApiError
// with the server's own message, so every page can show it as is.

export class ApiError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code || '';
  }
}

let onUnauthorized = () => {};
/** The app shell sets this: a 401 on an authenticated call means the session ended. */
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }
export function notifyUnauthorized() { onUnauthorized(); }

// 401 here is an answer about the request, not about the session (wrong password, wrong old password).
const OWN_401 = ['/auth/login', '/auth/change-password'];

export const BASE = 'api/v1';

/** Reads an error body of either upstream shape; falls back to the status text. */
export function errorMessage(status, text) {
  try {
    const body = JSON.parse(text);
    const e = body && body.error;
    if (typeof e === 'string' && e) return { message: e, code: '' };
    if (e && typeof e === 'object') return { message: e.message || e.code || `HTTP ${status}`, code: e.code || '' };
    if (body && typeof body.message === 'string') return { message: body.message, code: '' };
  } catch { /* not JSON */ }
  const t = (text || '').trim();
  return { message: t && t.length < 300 ? t : `HTTP ${status}`, code: '' };
}

export function url(path, query) {
  let u = `${BASE}${path}`;
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') q.append(k, String(v));
    }
    const s = q.toString();
    if (s) u += `?${s}`;
  }
  return u;
}

/**
 * api('GET', '/sandboxes') → parsed JSON (or null for 204 / empty bodies).
 * opts: { json, body, query, headers, raw } — raw returns the Response (downloads).
 */
export async function api(method, path, opts = {}) {
  const headers = { Accept: 'application/json', ...(opts.headers || {}) };
  let body = opts.body;
  if (opts.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.json);
  }
  let res;
  try {
    res = await fetch(url(path, opts.query), { method, headers, body, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, `The API cannot be reached (${e.message || e})`);
  }
  if (!res.ok) {
    const text = await res.text().catch(() => '');
    const { message, code } = errorMessage(res.status, text);
    if (res.status === 401 && !OWN_401.includes(path)) onUnauthorized();
    throw new ApiError(res.status, message, code);
  }
  if (opts.raw) return res;
  const text = await res.text();
  if (!text) return null;
  const type = res.headers.get('Content-Type') || '';
  return type.includes('json') ? JSON.parse(text) : text;
}

export const get = (path, query) => api('GET', path, { query });
export const post = (path, json, query) => api('POST', path, { json, query });
export const put = (path, json) => api('PUT', path, { json });
export const del = (path, query) => api('DELETE', path, { query });
