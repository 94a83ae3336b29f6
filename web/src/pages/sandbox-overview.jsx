// Overview tab: the sandbox's properties and a one-click "open port N" through the gateway
// (docs/routing.md): host mode when the API gives accessUrlTemplate, else path mode. The token
// rides as ?access_token=, which the gateway turns into its cookie on that first navigation.
import { useState } from 'preact/hooks';
import { formatTime } from '../lib/format.js';
import { parsePort, portUrl } from '../lib/sandbox-model.js';
import { Field } from '../lib/ui.jsx';

function Prop({ label, children }) {
  if (children === undefined || children === null || children === '') return null;
  return <><dt>{label}</dt><dd>{children}</dd></>;
}

function OpenPort({ s }) {
  const [port, setPort] = useState('');
  const [error, setError] = useState(null);
  const n = parsePort(port);
  const submit = (e) => {
    e.preventDefault();
    if (n === null) { setError('A port is a whole number from 1 to 65535.'); return; }
    const target = portUrl(s, n, s.accessToken);
    if (!target) { setError('The API gave this sandbox no access URL.'); return; }
    setError(null);
    // noopener: the sandbox's page gets no handle on the console; noreferrer: no Referer either.
    window.open(target, '_blank', 'noopener,noreferrer');
  };
  return (
    <form class="card" onSubmit={submit} aria-label="Open a port">
      <h2>Open a port</h2>
      <div class="sbx-form-row sbx-narrow">
        <Field label="Port" error={error} hint={n !== null && portUrl(s, n) ? `Opens ${portUrl(s, n)} in a new tab` : 'An HTTP port the sandbox listens on'}>
          <input data-testid="port-input" type="number" min="1" max="65535" inputMode="numeric" value={port}
            onInput={(e) => setPort(e.currentTarget.value)} />
        </Field>
        <button type="submit" class="primary" data-testid="port-open">Open</button>
      </div>
    </form>
  );
}

function Token({ token }) {
  const [shown, setShown] = useState(false);
  return (
    <span>
      <code>{shown ? token : '••••••••'}</code>{' '}
      <button type="button" class="link" aria-pressed={shown} onClick={() => setShown(!shown)}>{shown ? 'Hide' : 'Show'}</button>
    </span>
  );
}

export function SandboxOverview({ s }) {
  const p = s.persistence;
  const d = s.deletion;
  return (
    <>
      {s.status !== 'deleted' && <OpenPort s={s} />}
      <div class="card">
        <dl class="props">
          <Prop label="ID"><code>{s.id}</code></Prop>
          <Prop label="Template">{s.template ? <><a href={`#/templates/${encodeURIComponent(s.template)}`}>{s.template}</a>{s.templateVersion ? ` (version ${s.templateVersion})` : ''}</> : null}</Prop>
          <Prop label="Image"><code>{s.image}</code></Prop>
          <Prop label="CPU / memory">{`${s.cpu || '–'} / ${s.memory || '–'}`}</Prop>
          <Prop label="TTL">{s.ttl === 0 ? 'never expires' : `${s.ttl} s`}</Prop>
          <Prop label="Status">{s.status}{s.lifecycle_status && s.lifecycle_status !== s.status ? ` (lifecycle ${s.lifecycle_status})` : ''}</Prop>
          <Prop label="Reason">{s.status_reason}</Prop>
          <Prop label="Pod">{[s.runtimeName, s.pod_phase, s.pod_ip].filter(Boolean).join(' · ')}</Prop>
          <Prop label="Created">{formatTime(s.created_at)}</Prop>
          <Prop label="Expires">{s.ttl === 0 ? 'never' : formatTime(s.expires_at)}</Prop>
          <Prop label="Last seen">{s.last_seen_at && formatTime(s.last_seen_at)}</Prop>
          <Prop label="Persistence">{p && p.enabled ? [`${p.size || ''} ${p.mode || ''}`.trim(), p.storageClassName && `class ${p.storageClassName}`, p.reclaimPolicy && `reclaim ${p.reclaimPolicy}`, p.volumeClaimName && `claim ${p.volumeClaimName}`].filter(Boolean).join(' · ') : null}</Prop>
          <Prop label="Deletion">{d && [d.phase, d.attempts ? `${d.attempts} attempts` : '', d.lastError].filter(Boolean).join(' · ')}</Prop>
          <Prop label="Env">{s.env && Object.keys(s.env).length ? <code class="sbx-pre">{Object.entries(s.env).map(([k, v]) => `${k}=${v}`).join('\n')}</code> : null}</Prop>
          <Prop label="Access URL">{s.accessUrl && <code>{s.accessUrl}</code>}</Prop>
          <Prop label="Per-port URL">{s.accessUrlTemplate && <code>{s.accessUrlTemplate}</code>}</Prop>
          <Prop label="Access token">{s.accessToken ? <Token token={s.accessToken} /> : null}</Prop>
        </dl>
      </div>
    </>
  );
}
