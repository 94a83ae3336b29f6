// Pure logic behind the sandbox pages, kept out of the JSX so node:test can cover it
// (test/sandbox-model.test.js). Field names follow the Sandbox JSON of upstream-api.md §10.1:
// the casing is mixed on purpose (`created_at`, `expires_at`, but `accessUrl`, `templateVersion`).
import { formatDuration, secondsLeft } from './format.js';

/**
 * Splits a command line into argv the way a POSIX shell splits words, without running a shell:
 * whitespace separates, '…' is literal, "…" honours \" \\ \$ \` and a backslash escapes the next
 * character outside quotes. No globbing, variables or operators. Throws on an unterminated quote
 * or a trailing backslash, so a typo never runs a different command than the one shown.
 */
export function splitArgs(text) {
  const args = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  const s = String(text ?? '');
  while (i < s.length) {
    const c = s[i];
    if (c === "'") {
      const end = s.indexOf("'", i + 1);
      if (end < 0) throw new Error('unterminated single quote');
      cur += s.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      let closed = false;
      while (i < s.length) {
        const d = s[i];
        if (d === '"') { closed = true; i++; break; }
        if (d === '\\' && i + 1 < s.length && '"\\$`'.includes(s[i + 1])) { cur += s[i + 1]; i += 2; continue; }
        cur += d;
        i++;
      }
      if (!closed) throw new Error('unterminated double quote');
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 >= s.length) throw new Error('trailing backslash');
      if (s[i + 1] !== '\n') { cur += s[i + 1]; inWord = true; } // backslash-newline joins lines
      i += 2;
    } else if (/\s/.test(c)) {
      if (inWord) args.push(cur);
      cur = '';
      inWord = false;
      i++;
    } else {
      cur += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) args.push(cur);
  return args;
}

/** The argv the exec tab sends: split as above, or the whole line to `sh -c` when asked. */
export function execArgv(text, viaShell) {
  return viaShell ? ['sh', '-c', String(text ?? '')] : splitArgs(text);
}

const createdMs = (s) => {
  const t = new Date(s && s.created_at).getTime();
  return Number.isNaN(t) ? 0 : t;
};

/** Newest first, as GET /sandboxes orders them (created_at DESC); ties by id for a stable order. */
export function sortSandboxes(list) {
  return [...list].sort((a, b) => createdMs(b) - createdMs(a) || String(a.id).localeCompare(String(b.id)));
}

/**
 * A live `sandbox` event applied to the list: {"id","status":"deleted"} removes the row, anything
 * else replaces it (the event is the whole Sandbox, so omitted fields really are empty now) or
 * inserts it in created_at order. Returns a new array; the input is not changed.
 */
export function applySandboxEvent(list, event) {
  if (!event || !event.id) return list;
  const rest = (list || []).filter((s) => s.id !== event.id);
  if (event.status === 'deleted') return rest.length === (list || []).length ? list : rest;
  return sortSandboxes([...rest, event]);
}

/**
 * The detail page's copy after an event: the event carries no accessToken (only GET by id does),
 * so the token read earlier is kept; a deletion only flips the status, the page stays readable.
 */
export function mergeSandboxEvent(current, event) {
  if (!event || !current || event.id !== current.id) return current;
  if (event.status === 'deleted') return { ...current, status: 'deleted' };
  return current.accessToken && !event.accessToken ? { ...event, accessToken: current.accessToken } : event;
}

/** Persistent sandboxes (stop/start/restart apply): persistence.enabled, or a Deployment runtime. */
export function isPersistent(s) {
  return !!(s && ((s.persistence && s.persistence.enabled) || s.runtimeKind === 'deployment'));
}

/** '8080' → 8080; anything that is not a TCP port (1–65535) → null. */
export function parsePort(text) {
  const t = String(text ?? '').trim();
  if (!/^\d{1,5}$/.test(t)) return null;
  const n = Number(t);
  return n >= 1 && n <= 65535 ? n : null;
}

/**
 * The address of one sandbox port in a browser (docs/routing.md): host mode when the API gave an
 * accessUrlTemplate (`{port}` replaced, site root), else path mode `<accessUrl>/port/<N>/`. The
 * token goes as ?access_token=, which the gateway swaps for its cookie on the first navigation.
 * null when the sandbox has no URL at all.
 */
export function portUrl(s, port, token) {
  if (!s) return null;
  let base;
  if (s.accessUrlTemplate) base = `${s.accessUrlTemplate.replace(/\{port\}/g, String(port)).replace(/\/+$/, '')}/`;
  else if (s.accessUrl) base = `${s.accessUrl.replace(/\/+$/, '')}/port/${port}/`;
  else return null;
  return token ? `${base}?access_token=${encodeURIComponent(token)}` : base;
}

/** The TTL column: time left, 'never' for ttl 0 (expiry 9999-12-31), 'expired', or '–' when unknown. */
export function ttlText(expiresAt, now = Date.now()) {
  if (!expiresAt || Number.isNaN(new Date(expiresAt).getTime())) return '–';
  const left = secondsLeft(expiresAt, now);
  return left === null ? 'never' : formatDuration(left);
}

/**
 * POST /sandboxes body from the create form's strings. Empty fields are left out so the template's
 * values apply; ttl 0 is kept (it means "never expires", spec §3.1). Throws on a bad TTL.
 */
export function createBody({ template, ttl, cpu, memory }) {
  const body = { template };
  const overrides = {};
  const t = String(ttl ?? '').trim();
  if (t !== '') {
    if (!/^\d+$/.test(t)) throw new Error('TTL must be a whole number of seconds (0 = never expires)');
    overrides.ttl = Number(t);
  }
  if (cpu && cpu.trim()) overrides.cpu = cpu.trim();
  if (memory && memory.trim()) overrides.memory = memory.trim();
  if (Object.keys(overrides).length) body.overrides = overrides;
  return body;
}

/** Status-history pages merged by id, newest (highest id) first; a refreshed first page may overlap. */
export function mergeHistory(a, b) {
  const byId = new Map();
  for (const item of [...(a || []), ...(b || [])]) byId.set(item.id, item);
  return [...byId.values()].sort((x, y) => y.id - x.id);
}

/** The before_id cursor for the next older page: the smallest id loaded, or null when none. */
export function oldestId(items) {
  if (!items || !items.length) return null;
  return items.reduce((m, x) => (x.id < m ? x.id : m), items[0].id);
}

/** '/a/b/c.txt' → 'c.txt' (the download's file name); a path ending in '/' or empty → 'download'. */
export function basename(path) {
  const p = String(path ?? '');
  const b = p.slice(p.lastIndexOf('/') + 1);
  return b || 'download';
}

/** Upload destination: a path ending in '/' is a directory, the chosen file's name is appended. */
export function uploadTarget(path, fileName) {
  const p = String(path ?? '').trim();
  return p.endsWith('/') ? p + fileName : p;
}

/** A transfer's progress from an XHR ProgressEvent's numbers; fraction null when the size is unknown. */
export function progressOf(loaded, total, lengthComputable = total > 0) {
  const known = !!lengthComputable && total > 0;
  return { loaded, total: known ? total : null, fraction: known ? Math.min(1, loaded / total) : null };
}

/** 0.01234 → '0.012 cores'; null/undefined → '–'. */
export function formatCores(cores) {
  if (cores === null || cores === undefined || Number.isNaN(Number(cores))) return '–';
  const n = Number(cores);
  return `${n.toFixed(n >= 10 ? 1 : 3)} cores`;
}
