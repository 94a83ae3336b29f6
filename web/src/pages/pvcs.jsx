// Volumes: GET /sandboxes/pvcs, the persistent sandboxes' volume claims joined with the rows that
// own them ({items, total, page, page_size}). `state` says how the two sides agree: bound (both),
// orphan_pvc (a claim no sandbox row names), dangling_metadata (a row whose claim is gone),
// deleting (its sandbox is being deleted; the API accepts it as a filter too).
import { get } from '../lib/api.js';
import { navigate } from '../lib/route.js';
import { Empty, ErrorBox, Loading, StatusBadge, useLoad } from '../lib/ui.jsx';
import { Pager, pageOf } from './admin.jsx';

const PAGE_SIZE = 20;
const STATES = [
  ['bound', 'bound (claim and sandbox)'],
  ['orphan_pvc', 'orphan claim (no sandbox)'],
  ['dangling_metadata', 'dangling metadata (no claim)'],
  ['deleting', 'deleting'],
];

function Row({ v }) {
  return (
    <tr data-testid={`pvc-row-${v.pvcName}`}>
      <td class="mono">{v.pvcName}</td>
      <td><StatusBadge status={v.state} testid={`pvc-state-${v.pvcName}`} /></td>
      <td class="mono">{v.sandboxId ? <a href={`#/sandboxes/${encodeURIComponent(v.sandboxId)}`}>{v.sandboxId}</a> : '–'}
        {v.sandboxLifecycleStatus && <span class="adm-muted"> {v.sandboxLifecycleStatus}</span>}</td>
      <td>{v.requestedSize || '–'}</td>
      <td>{v.storageClassName || '–'}</td>
      <td>{v.phase || '–'}</td>
      <td class="mono">{v.pvName || '–'}</td>
      <td>{v.reclaimPolicy || '–'}</td>
      <td>{v.source}</td>
    </tr>
  );
}

export function Pvcs({ query = {} }) {
  const state = query.state || '';
  const page = pageOf(query.page);
  const { data, error, loading } = useLoad(
    () => get('/sandboxes/pvcs', { state, page, page_size: PAGE_SIZE }), [state, page]);
  const go = (s, p) => navigate('/pvcs', { state: s || undefined, page: p > 1 ? p : undefined });

  const items = (data && data.items) || [];
  return (
    <section>
      <h1>Volumes</h1>
      <form class="adm-filters" role="search" aria-label="Filter volumes" onSubmit={(e) => e.preventDefault()}>
        <label class="field">
          <span class="field-label">State</span>
          <select data-testid="pvc-filter-state" value={state} onChange={(e) => go(e.currentTarget.value, 1)}>
            <option value="">any</option>
            {STATES.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
          </select>
        </label>
      </form>
      <ErrorBox error={error} />
      {data === undefined && loading && <Loading />}
      {data !== undefined && !items.length && (
        <Empty>{state ? `No volume is in state ${state}.` : 'No volumes: only persistent sandboxes have one.'}</Empty>
      )}
      {items.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead><tr><th>Claim</th><th>State</th><th>Sandbox</th><th>Size</th><th>Storage class</th><th>Phase</th><th>Volume</th><th>Reclaim</th><th>Source</th></tr></thead>
            <tbody>{items.map((v) => <Row key={v.pvcName} v={v} />)}</tbody>
          </table>
        </div>
      )}
      {data && <Pager total={data.total} page={data.page || page} size={data.page_size || PAGE_SIZE} onPage={(p) => go(state, p)} />}
    </section>
  );
}
