// Account: API keys (POST/GET/DELETE /auth/api-keys; the key itself is in the create answer only,
// so it is shown once), the password (POST /auth/change-password; a wrong old password is a 401
// that lib/api.js does not treat as a lost session) and where sandbox usage figures come from
// (GET /metrics-source, POST /metrics-source/detect). Key management and the password are
// session-only: an API-key caller gets 403 and the server's message is shown as is.
import { useEffect, useRef, useState } from 'preact/hooks';
import { del, get, post } from '../lib/api.js';
import { formatTime } from '../lib/format.js';
import { notifyError, notifyOk } from '../lib/notify.jsx';
import { ConfirmButton, Empty, ErrorBox, Field, Loading, run, useLoad } from '../lib/ui.jsx';
import './admin.css';

const MIN_PASSWORD = 8;
const DETECT_POLL_MS = 2000;

/** Copies `text`; without the Clipboard API (plain http) it selects `el` and uses execCommand. */
async function copyText(text, el) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch { /* fall back below */ }
  if (!el) return false;
  const range = document.createRange();
  range.selectNodeContents(el);
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
  try { return document.execCommand('copy'); } catch { return false; }
}

function NewKey({ created, onDone }) {
  const code = useRef(null);
  const copy = async () => {
    if (await copyText(created.key, code.current)) notifyOk('API key copied');
    else notifyError('Copy failed: the key is selected, copy it with Ctrl+C');
  };
  return (
    <div class="adm-secret" role="status">
      <p><strong>{created.name}</strong>: copy this key now, it is not shown again.</p>
      <div class="adm-row">
        <code ref={code} class="adm-key" data-testid="apikey-secret">{created.key}</code>
        <button type="button" data-testid="apikey-copy" onClick={copy}>Copy</button>
        <button type="button" class="link" data-testid="apikey-secret-done" onClick={onDone}>Done</button>
      </div>
      <p class="adm-muted">Use it as <code>Authorization: Bearer {created.key.slice(0, 9)}…</code></p>
    </div>
  );
}

function ApiKeys() {
  const { data, error, loading, setData } = useLoad(() => get('/auth/api-keys'), []);
  const [name, setName] = useState('');
  const [days, setDays] = useState('');
  const [formError, setFormError] = useState(null);
  const [created, setCreated] = useState(null);
  const [busy, setBusy] = useState(false);

  const create = async (e) => {
    e.preventDefault();
    const n = name.trim();
    if (!n) { setFormError({ message: 'Give the key a name (what will use it)' }); return; }
    const d = days.trim();
    if (d && !/^\d+$/.test(d)) { setFormError({ message: 'Expiry must be a whole number of days (empty: never)' }); return; }
    setBusy(true);
    setFormError(null);
    try {
      const body = { name: n };
      if (d && Number(d) > 0) body.expires_in_days = Number(d);
      const k = await post('/auth/api-keys', body);
      setCreated(k);
      setName('');
      setDays('');
      const { key: _shownOnce, ...listed } = k; // the list never carries the key itself
      setData((list) => [{ ...listed, last_used_at: null }, ...(list || [])]);
    } catch (err) {
      setFormError(err);
    } finally {
      setBusy(false);
    }
  };

  const revoke = (k) => run(async () => {
    await del(`/auth/api-keys/${encodeURIComponent(k.id)}`);
    setData((list) => (list || []).filter((x) => x.id !== k.id));
    if (created && created.id === k.id) setCreated(null);
    notifyOk(`Revoked ${k.name}`);
  });

  const keys = Array.isArray(data) ? data : [];
  // 403: an API-key caller; the form would only fail the same way.
  const forbidden = error && error.status === 403;
  return (
    <div class="card">
      <h2>API keys</h2>
      <p class="adm-muted">For the SDKs and the CLI: sent as <code>Authorization: Bearer lbxk_…</code>.</p>
      {!forbidden && (
        <form class="adm-row" onSubmit={create} noValidate>
          <label class="field adm-grow">
            <span class="field-label">Name</span>
            <input data-testid="apikey-name" value={name} maxLength={128} required placeholder="ci-runner"
              onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span class="field-label">Expires after (days)</span>
            <input data-testid="apikey-expires" type="number" inputMode="numeric" min="1" step="1" value={days} placeholder="never"
              onInput={(e) => setDays(e.currentTarget.value)} />
          </label>
          <button type="submit" class="primary adm-inline-submit" data-testid="apikey-create" disabled={busy}>
            {busy ? 'Creating…' : 'Create key'}</button>
        </form>
      )}
      <ErrorBox error={formError} testid="apikey-error" />
      {created && <NewKey created={created} onDone={() => setCreated(null)} />}
      <ErrorBox error={error} testid="apikey-list-error" />
      {data === undefined && loading && <Loading />}
      {Array.isArray(data) && !keys.length && <Empty>No API keys.</Empty>}
      {keys.length > 0 && (
        <div class="table-wrap adm-gap">
          <table>
            <thead><tr><th>Name</th><th>Key</th><th>Created</th><th>Expires</th><th>Last used</th><th><span class="adm-sr">Actions</span></th></tr></thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id} data-testid={`apikey-row-${k.id}`}>
                  <td class="adm-wrap">{k.name}</td>
                  <td class="mono">lbxk_{k.prefix}…</td>
                  <td>{formatTime(k.created_at)}</td>
                  <td>{k.expires_at ? formatTime(k.expires_at) : 'never'}</td>
                  <td>{k.last_used_at ? formatTime(k.last_used_at) : 'never'}</td>
                  <td><ConfirmButton label="Revoke" confirmLabel={`Revoke ${k.name}`} testid={`apikey-revoke-${k.id}`} onConfirm={() => revoke(k)} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function Password() {
  const [oldPw, setOldPw] = useState('');
  const [newPw, setNewPw] = useState('');
  const [revokeKeys, setRevokeKeys] = useState(false);
  const [tooShort, setTooShort] = useState(null);
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e) => {
    e.preventDefault();
    setDone(null);
    setError(null);
    if (!oldPw) { setError({ message: 'Enter your current password' }); return; }
    if (newPw.length < MIN_PASSWORD) { setTooShort(`At least ${MIN_PASSWORD} characters`); return; }
    setTooShort(null);
    setBusy(true);
    try {
      const body = { old_password: oldPw, new_password: newPw };
      if (revokeKeys) body.revoke_api_keys = true;
      const r = await post('/auth/change-password', body);
      setDone((r && r.message) || 'password updated successfully');
      setOldPw('');
      setNewPw('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    // noValidate: the checks below show inline, in words, instead of the browser's bubbles.
    <form class="card" onSubmit={submit} noValidate>
      <h2>Password</h2>
      <p class="adm-muted">Changing it logs out your other sessions; this one stays.</p>
      <div class="adm-row adm-row-top">
        <Field label="Current password">
          <input data-testid="password-old" type="password" autoComplete="current-password" required value={oldPw}
            onInput={(e) => setOldPw(e.currentTarget.value)} />
        </Field>
        <Field label="New password" hint={`At least ${MIN_PASSWORD} characters`} error={tooShort}>
          <input data-testid="password-new" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD}
            value={newPw} aria-invalid={!!tooShort} onInput={(e) => { setNewPw(e.currentTarget.value); setTooShort(null); }} />
        </Field>
      </div>
      <label class="adm-check adm-block">
        <input type="checkbox" data-testid="password-revoke-keys" checked={revokeKeys} onChange={(e) => setRevokeKeys(e.currentTarget.checked)} />
        Also revoke every API key
      </label>
      <ErrorBox error={error} testid="password-error" />
      {done && <p class="adm-ok" role="status" data-testid="password-done">{done}</p>}
      <button type="submit" class="primary" data-testid="password-submit" disabled={busy}>{busy ? 'Changing…' : 'Change password'}</button>
    </form>
  );
}

const KIND_TEXT = {
  'metrics-server': 'metrics-server (the Kubernetes metrics API)',
  prometheus: 'Prometheus',
  none: 'none found: usage figures are unavailable',
  detecting: 'detecting…',
};

function MetricsSource() {
  const [source, setSource] = useState(undefined);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const live = useRef(true);
  useEffect(() => () => { live.current = false; }, []);

  const load = () => get('/metrics-source')
    .then((s) => { if (live.current) { setSource(s); setError(null); } })
    .catch((e) => { if (live.current) { setError(e); setSource((s) => (s && s.kind === 'detecting' ? null : s ?? null)); } });
  useEffect(() => { load(); }, []);

  // While a detection runs, ask again every 2 s until it has an answer.
  const detecting = !!source && source.kind === 'detecting';
  useEffect(() => {
    if (!detecting) return undefined;
    const timer = setTimeout(load, DETECT_POLL_MS);
    return () => clearTimeout(timer);
  }, [detecting, source]);

  const detect = async () => {
    setBusy(true);
    setError(null);
    try {
      const s = await post('/metrics-source/detect');
      if (live.current) setSource(s);
    } catch (e) {
      if (live.current) setError(e);
    } finally {
      if (live.current) setBusy(false);
    }
  };

  return (
    <div class="card" aria-busy={detecting}>
      <h2>Usage metrics source</h2>
      <p class="adm-muted">Where the sandbox usage figures (CPU, memory) are read from.</p>
      {source === undefined && !error && <Loading />}
      {source && (
        <dl class="props" data-testid="metrics-source" data-kind={source.kind}>
          <dt>Source</dt><dd data-testid="metrics-kind">{KIND_TEXT[source.kind] || source.kind}</dd>
          <dt>URL</dt><dd class="mono" data-testid="metrics-url">{source.url || '–'}</dd>
          <dt>Chosen</dt><dd>{source.manual ? 'set in the configuration' : 'detected'}</dd>
          <dt>Detected</dt><dd>{formatTime(source.detectedAt)}</dd>
          {source.message && <><dt>Note</dt><dd class="adm-wrap" data-testid="metrics-message">{source.message}</dd></>}
        </dl>
      )}
      <ErrorBox error={error} testid="metrics-error" />
      <button type="button" data-testid="metrics-detect" disabled={busy || detecting} onClick={detect}>
        {detecting ? 'Detecting…' : 'Detect again'}</button>
    </div>
  );
}

export function Account() {
  return (
    <section class="adm-account">
      <h1>Account</h1>
      <ApiKeys />
      <Password />
      <MetricsSource />
    </section>
  );
}
