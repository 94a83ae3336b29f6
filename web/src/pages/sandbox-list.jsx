// The sandbox list: GET /sandboxes once, then kept current by the live `sandbox` events (a row
// is updated, inserted or removed in place) and reloaded whenever the event stream (re)opens, so
// nothing missed during a disconnect stays stale. No polling.
import { useRef, useState } from 'preact/hooks';
import { get } from '../lib/api.js';
import { useEvents } from '../lib/events.js';
import { formatAge, formatTime } from '../lib/format.js';
import { applySandboxEvent, isPersistent, ttlText } from '../lib/sandbox-model.js';
import { Empty, ErrorBox, Loading, StatusBadge, useLoad, useTick } from '../lib/ui.jsx';
import { SandboxCreate } from './sandbox-create.jsx';
import './sandboxes.css';

function Row({ s, now }) {
  const id = s.id;
  return (
    <tr data-testid={`sandbox-row-${id}`}>
      <td class="mono"><a href={`#/sandboxes/${encodeURIComponent(id)}`} data-testid={`sandbox-link-${id}`}>{id}</a></td>
      <td>
        {s.template ? <a href={`#/templates/${encodeURIComponent(s.template)}`}>{s.template}</a> : <span class="sbx-muted">{s.image}</span>}
        {s.templateVersion ? <span class="sbx-muted"> v{s.templateVersion}</span> : null}
        {isPersistent(s) && <span class="sbx-tag" title="Keeps its files across stop and start">persistent</span>}
      </td>
      <td><StatusBadge status={s.status} testid={`sandbox-status-${id}`} /></td>
      <td title={formatTime(s.created_at)}>{formatAge(s.created_at, now)}</td>
      <td title={formatTime(s.expires_at)}>{ttlText(s.expires_at, now)}{s.status === 'stopped' && ttlText(s.expires_at, now) !== 'never' ? ' (paused)' : ''}</td>
    </tr>
  );
}

export function SandboxList({ query = {} }) {
  const { data, error, loading, reload, setData } = useLoad(() => get('/sandboxes'), []);
  const [creating, setCreating] = useState(!!query.template);
  useTick(1000);
  const busy = useRef(true);
  busy.current = loading;
  useEvents({
    sandbox: (ev) => setData((d) => (d ? { ...d, items: applySandboxEvent(d.items || [], ev) } : d)),
    // A reopened stream may have missed events: read the list again (unless a read is under way).
    onOpen: () => { if (!busy.current) reload(); },
  });

  const items = (data && data.items) || [];
  const now = Date.now();
  return (
    <section class="sbx">
      <div class="toolbar">
        <h1>Sandboxes</h1>
        <span class="spacer" />
        <button type="button" class="primary" data-testid="sandbox-create" aria-expanded={creating}
          onClick={() => setCreating(!creating)}>New sandbox</button>
      </div>
      {creating && <SandboxCreate initialTemplate={query.template} onCancel={() => setCreating(false)} />}
      <ErrorBox error={error} />
      {data === undefined && loading && <Loading />}
      {data !== undefined && !items.length && (
        <Empty>No sandboxes. Start one with “New sandbox”; it appears here as soon as the API creates it.</Empty>
      )}
      {items.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead><tr><th>ID</th><th>Template</th><th>Status</th><th>Age</th><th>TTL left</th></tr></thead>
            <tbody>{items.map((s) => <Row key={s.id} s={s} now={now} />)}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}
