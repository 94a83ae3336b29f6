// Sandbox metadata: GET /sandboxes/metadata, every sandbox row the database holds (deleted ones
// included), filtered and paged by the API ({items, total, page, page_size}). Filters live in the
// address (#/metadata?id=ab&lifecycle=running&page=2); typed ones apply after a short pause,
// Enter applies at once. Each row links to the sandbox's status history.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get } from '../lib/api.js';
import { formatTime } from '../lib/format.js';
import { navigate } from '../lib/route.js';
import { Empty, ErrorBox, Loading, StatusBadge, useLoad } from '../lib/ui.jsx';
import { Pager, pageOf, rowLink, useDebounced } from './admin.jsx';

const PAGE_SIZE = 20;
/** LifecycleStatus (services/api …/sandbox/LifecycleStatus.java), lower case as stored. */
const LIFECYCLES = ['creating', 'pending', 'running', 'succeeded', 'failed', 'stopped', 'terminating', 'lost', 'deleted', 'unknown'];
const DESIRED = ['active', 'deleted'];

function Row({ s }) {
  const id = s.id;
  return (
    <tr data-testid={`metadata-row-${id}`} class="adm-rowlink" onClick={rowLink(`#/sandboxes/${encodeURIComponent(id)}/history`)}>
      <td class="mono"><a href={`#/sandboxes/${encodeURIComponent(id)}/history`} data-testid={`metadata-link-${id}`}>{id}</a></td>
      <td>{s.template || '–'}{s.templateVersion ? <span class="adm-muted"> v{s.templateVersion}</span> : null}</td>
      <td><StatusBadge status={s.lifecycle_status || s.status} /></td>
      <td>{s.desired_state || '–'}</td>
      <td class="adm-wrap">{s.status_reason || ''}</td>
      <td>{formatTime(s.created_at)}</td>
      <td>{formatTime(s.deleted_at)}</td>
    </tr>
  );
}

export function Metadata({ query = {} }) {
  const filters = { id: query.id || '', template: query.template || '', lifecycle: query.lifecycle || '', desired: query.desired || '' };
  const page = pageOf(query.page);
  const [typed, setTyped] = useState({ id: filters.id, template: filters.template });
  const form = useRef(null);
  const { data, error, loading } = useLoad(() => get('/sandboxes/metadata', {
    id: filters.id, template: filters.template, lifecycle_status: filters.lifecycle, desired_state: filters.desired,
    page, page_size: PAGE_SIZE,
  }), [filters.id, filters.template, filters.lifecycle, filters.desired, page]);

  // Back/forward: show the address's filters unless the user is typing in one of them.
  useEffect(() => {
    if (!form.current || !form.current.contains(document.activeElement)) setTyped({ id: filters.id, template: filters.template });
  }, [filters.id, filters.template]);

  const apply = (change, p = 1) => {
    const next = { ...filters, ...change };
    navigate('/metadata', {
      id: next.id.trim() || undefined, template: next.template.trim() || undefined,
      lifecycle: next.lifecycle || undefined, desired: next.desired || undefined, page: p > 1 ? p : undefined,
    });
  };
  const applySoon = useDebounced((change) => apply(change));
  const type = (key) => (e) => {
    const next = { ...typed, [key]: e.currentTarget.value };
    setTyped(next);
    applySoon(next);
  };

  const items = (data && data.items) || [];
  const any = Object.values(filters).some(Boolean);
  return (
    <section>
      <h1>Sandbox metadata</h1>
      <form ref={form} class="adm-filters" role="search" aria-label="Filter sandboxes"
        onSubmit={(e) => { e.preventDefault(); applySoon.cancel(); apply(typed); }}>
        <label class="field">
          <span class="field-label">ID starts with</span>
          <input data-testid="metadata-filter-id" value={typed.id} autoCapitalize="off" spellcheck={false} onInput={type('id')} />
        </label>
        <label class="field">
          <span class="field-label">Template</span>
          <input data-testid="metadata-filter-template" value={typed.template} autoCapitalize="off" spellcheck={false} onInput={type('template')} />
        </label>
        <label class="field">
          <span class="field-label">Lifecycle</span>
          <select data-testid="metadata-filter-lifecycle" value={filters.lifecycle} onChange={(e) => apply({ ...typed, lifecycle: e.currentTarget.value })}>
            <option value="">any</option>
            {LIFECYCLES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label class="field">
          <span class="field-label">Desired state</span>
          <select data-testid="metadata-filter-desired" value={filters.desired} onChange={(e) => apply({ ...typed, desired: e.currentTarget.value })}>
            <option value="">any</option>
            {DESIRED.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <button type="submit">Filter</button>
        {any && <button type="button" class="link" data-testid="metadata-filter-clear" onClick={() => { applySoon.cancel(); setTyped({ id: '', template: '' }); navigate('/metadata'); }}>Clear</button>}
      </form>
      <ErrorBox error={error} />
      {data === undefined && loading && <Loading />}
      {data !== undefined && !items.length && <Empty>{any ? 'No sandbox matches these filters.' : 'No sandboxes have been created yet.'}</Empty>}
      {items.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead><tr><th>ID</th><th>Template</th><th>Lifecycle</th><th>Desired</th><th>Reason</th><th>Created</th><th>Deleted</th></tr></thead>
            <tbody>{items.map((s) => <Row key={s.id} s={s} />)}</tbody>
          </table>
        </div>
      )}
      {data && <Pager total={data.total} page={data.page || page} size={data.page_size || PAGE_SIZE} onPage={(p) => apply({}, p)} />}
    </section>
  );
}
