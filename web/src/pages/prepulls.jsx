// Image pre-pulls: GET /images/prepull ({"items":[…]}, newest first), kept current by the live
// `prepull` events (upsert by id) and reloaded when the event stream (re)opens. What a pre-pull
// carries is services/api …/prepull/PrepullViews.Response: {id, image, status: pending|pulling|
// completed|failed, progress: {ready, total} (nodes), template?, error?, startedAt, completedAt?}.
// Nothing else: there are no per-node or byte counts to show.
import { useEffect, useState } from 'preact/hooks';
import { del, get, post } from '../lib/api.js';
import { useEvents } from '../lib/events.js';
import { formatTime } from '../lib/format.js';
import { notifyOk } from '../lib/notify.jsx';
import { Empty, ErrorBox, Loading, StatusBadge, run, useLoad } from '../lib/ui.jsx';
import './admin.css';

const ACTIVE = ['pending', 'pulling'];
/** Only a safety net for a stream that is down: events normally bring every change at once. */
const FALLBACK_POLL_MS = 15000;

/** Puts `p` in place of the pre-pull with its id, or first (newest) when new; drops deleted ones. */
export function upsertPrepull(items, p) {
  if (!p || !p.id) return items;
  if (p.status === 'deleted') return items.filter((x) => x.id !== p.id);
  const i = items.findIndex((x) => x.id === p.id);
  if (i < 0) return [p, ...items];
  const next = items.slice();
  next[i] = { ...items[i], ...p };
  return next;
}

function Progress({ p }) {
  const ready = (p.progress && p.progress.ready) || 0;
  const total = (p.progress && p.progress.total) || 0;
  return (
    <span class="adm-progress">
      <progress max={total || 1} value={total ? ready : 0} aria-label={`${p.image}: ${ready} of ${total} nodes`} />
      <span data-testid={`prepull-progress-${p.id}`}>{ready}/{total} nodes</span>
    </span>
  );
}

function Row({ p, onDelete }) {
  const [busy, setBusy] = useState(false);
  return (
    <tr data-testid={`prepull-row-${p.id}`}>
      <td class="mono">{p.id}</td>
      <td class="mono adm-wrap">{p.image}</td>
      <td>{p.template ? <a href={`#/templates/${encodeURIComponent(p.template)}`}>{p.template}</a> : '–'}</td>
      <td><StatusBadge status={p.status} testid={`prepull-status-${p.id}`} />
        {p.error && <div class="adm-muted adm-wrap" data-testid={`prepull-error-${p.id}`}>{p.error}</div>}</td>
      <td><Progress p={p} /></td>
      <td>{formatTime(p.startedAt)}</td>
      <td>{formatTime(p.completedAt)}</td>
      <td>
        <button type="button" class="danger" data-testid={`prepull-delete-${p.id}`} disabled={busy}
          aria-label={`Delete pre-pull ${p.id}`}
          onClick={async () => { setBusy(true); await onDelete(p); setBusy(false); }}>Delete</button>
      </td>
    </tr>
  );
}

export function Prepulls() {
  const { data, error, loading, reload, setData } = useLoad(() => get('/images/prepull'), []);
  const [image, setImage] = useState('');
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState(null);
  const upsert = (p) => setData((d) => (d ? { ...d, items: upsertPrepull(d.items || [], p) } : d));
  useEvents({ prepull: upsert, onOpen: reload });

  const items = (data && data.items) || [];
  const active = items.some((p) => ACTIVE.includes(p.status));
  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(reload, FALLBACK_POLL_MS);
    return () => clearInterval(timer);
  }, [active, reload]);

  const submit = async (e) => {
    e.preventDefault();
    if (!image.trim()) { setFormError({ message: 'Enter an image, e.g. python:3.12-slim' }); return; }
    setBusy(true);
    setFormError(null);
    try {
      const p = await post('/images/prepull', { image: image.trim() });
      upsert(p);
      setImage('');
      notifyOk(`Pre-pull ${p.id} of ${p.image}: ${p.status}`);
    } catch (err) {
      setFormError(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = (p) => run(async () => {
    await del(`/images/prepull/${encodeURIComponent(p.id)}`);
    setData((d) => (d ? { ...d, items: (d.items || []).filter((x) => x.id !== p.id) } : d));
    notifyOk(`Deleted pre-pull ${p.id}`);
  });

  return (
    <section>
      <h1>Image pre-pulls</h1>
      <form class="card adm-row" onSubmit={submit}>
        <label class="field adm-grow">
          <span class="field-label">Image to pull on every node</span>
          <input data-testid="prepull-image" value={image} placeholder="python:3.12-slim" autoCapitalize="off" spellcheck={false}
            onInput={(e) => setImage(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary adm-inline-submit" data-testid="prepull-submit" disabled={busy}>
          {busy ? 'Starting…' : 'Pre-pull'}</button>
      </form>
      <ErrorBox error={formError} testid="prepull-error" />
      <ErrorBox error={error} />
      {data === undefined && loading && <Loading />}
      {data !== undefined && !items.length && <Empty>No pre-pulls. Pull an image above, or from a template's page.</Empty>}
      {items.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead><tr><th>ID</th><th>Image</th><th>Template</th><th>Status</th><th>Progress</th><th>Started</th><th>Completed</th><th><span class="adm-sr">Actions</span></th></tr></thead>
            <tbody>{items.map((p) => <Row key={p.id} p={p} onDelete={remove} />)}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}
