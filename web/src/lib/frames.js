// The interactive-exec protocol (upstream-api.md §4): every WebSocket message is a text frame with
// one JSON object. Pure codec, unit-tested in test/frames.test.js.

export const input = (data) => JSON.stringify({ type: 'input', data });
export const resize = (cols, rows) => JSON.stringify({ type: 'resize', cols, rows });

/**
 * A server frame → { kind: 'output', data } | { kind: 'exit', code } | { kind: 'error', message, code }
 * | { kind: 'ignore' }. `exitCode` is omitted when 0 (so a clean exit is 0, not undefined — upstream's
 * UI printed "exit code undefined"); an `error` frame (never sent by our server, handled by every
 * upstream client) means exit code 1.
 */
export function decode(text) {
  let m;
  try { m = JSON.parse(text); } catch { return { kind: 'ignore' }; }
  if (!m || typeof m !== 'object') return { kind: 'ignore' };
  switch (m.type) {
    case 'output': return { kind: 'output', data: typeof m.data === 'string' ? m.data : '' };
    case 'exit': return { kind: 'exit', code: Number.isInteger(m.exitCode) ? m.exitCode : 0 };
    case 'error': return { kind: 'error', message: m.message || 'error', code: 1 };
    default: return { kind: 'ignore' };
  }
}

/** ws(s)://<this host>/<base>api/v1/sandboxes/<id>/exec/interactive?command=…&tty=true&cols=&rows= */
export function terminalUrl(location, id, { command = ['sh'], cols = 80, rows = 24 } = {}) {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const dir = location.pathname.replace(/[^/]*$/, '');
  const q = new URLSearchParams();
  for (const c of command) q.append('command', c);
  q.set('tty', 'true');
  q.set('cols', String(cols));
  q.set('rows', String(rows));
  return `${proto}//${location.host}${dir}api/v1/sandboxes/${encodeURIComponent(id)}/exec/interactive?${q}`;
}
