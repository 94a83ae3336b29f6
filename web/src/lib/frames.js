// The interactive-exec protocol (upstream-api.md §4): every WebSocket message is a text frame with
// one JSON object. Pure functions (the codec, the URL, what a close means), unit-tested in
// test/frames.test.js. Sessions (docs/sessions.md) add the `session` frame and a `cursor` on
// output; a client that asks for no session never sees them.

export const input = (data) => JSON.stringify({ type: 'input', data });
export const resize = (cols, rows) => JSON.stringify({ type: 'resize', cols, rows });

// What the API accepts back as ?session= (SessionId.java): an id that fails this is never sent.
const SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const offset = (n) => (Number.isSafeInteger(n) && n >= 0 ? n : undefined);

/**
 * A server frame → { kind: 'output', data[, cursor] } | { kind: 'exit', code }
 * | { kind: 'error', message, code } | { kind: 'session', id, pid, cursor, dropped } | { kind: 'ignore' }.
 * `exitCode` is omitted when 0 (so a clean exit is 0, not undefined — upstream's UI printed "exit code
 * undefined"); an `error` frame (never sent by our server, handled by every upstream client) means
 * exit code 1. Output has a `cursor` only when the server sent a valid one (session terminals): the
 * byte offset right after it, what a reattach asks for. A `session` frame without a usable id is
 * ignored; its zero fields may be left out by the server, so a missing cursor or dropped is 0.
 */
export function decode(text) {
  let m;
  try { m = JSON.parse(text); } catch { return { kind: 'ignore' }; }
  if (!m || typeof m !== 'object') return { kind: 'ignore' };
  switch (m.type) {
    case 'output': {
      const out = { kind: 'output', data: typeof m.data === 'string' ? m.data : '' };
      if (offset(m.cursor) !== undefined) out.cursor = m.cursor;
      return out;
    }
    case 'exit': return { kind: 'exit', code: Number.isInteger(m.exitCode) ? m.exitCode : 0 };
    case 'error': return { kind: 'error', message: String(m.message || 'error'), code: 1 };
    case 'session':
      if (typeof m.session !== 'string' || !SESSION_ID.test(m.session)) return { kind: 'ignore' };
      return {
        kind: 'session',
        id: m.session,
        pid: Number.isInteger(m.pid) ? m.pid : undefined,
        cursor: m.cursor === undefined ? 0 : offset(m.cursor),
        dropped: offset(m.dropped) ?? 0,
      };
    default: return { kind: 'ignore' };
  }
}

/**
 * ws(s)://<this host>/<base>api/v1/sandboxes/<id>/exec/interactive?command=…&tty=true&cols=&rows=
 * With `session` ('new' or a session's id) also `&session=…`, and `&cursor=N` when a cursor is given.
 */
export function terminalUrl(location, id, { command = ['sh'], cols = 80, rows = 24, session, cursor } = {}) {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const dir = location.pathname.replace(/[^/]*$/, '');
  const q = new URLSearchParams();
  for (const c of command) q.append('command', c);
  q.set('tty', 'true');
  q.set('cols', String(cols));
  q.set('rows', String(rows));
  if (session) {
    q.set('session', session);
    if (offset(cursor) !== undefined) q.set('cursor', String(cursor));
  }
  return `${proto}//${location.host}${dir}api/v1/sandboxes/${encodeURIComponent(id)}/exec/interactive?${q}`;
}

export const TAKEN_OVER = 4001;      // another client attached to the session (docs/sessions.md)
export const SERVICE_RESTART = 1012; // the API pod is draining: another replica will answer

/**
 * What a terminal does when its socket closes without an `exit` frame (and without a final
 * error): 'retry' (reattach the session, or ask again), 'attached elsewhere' or 'closed'.
 * A session still runs in the sandbox, so any close but a takeover is retried; a takeover is
 * not, or two tabs would steal it from each other forever. Without a session (the plain
 * terminal, or none named yet) the close is the end, except a draining pod's refusal of a new
 * session terminal, which started nothing.
 */
export function afterClose(code, { session, plain }) {
  if (session) return code === TAKEN_OVER ? 'attached elsewhere' : 'retry';
  return !plain && code === SERVICE_RESTART ? 'retry' : 'closed';
}

/** Retry delays: 0.5 s, doubling, at most 5 s. */
export const retryDelay = (retries) => Math.min(500 * 2 ** retries, 5000);
