// Reconcile: compare the database with the cluster now (POST /sandboxes/reconcile runs the whole
// pass before answering 202 {run, items}), and the past runs (GET …/runs, newest first), each
// opening at #/reconcile/<id> with the drift it found (GET …/runs/{id}). Shapes: ReconcileViews
// (snake_case; finished_at and error only when set).
import { useState } from 'preact/hooks';
import { get, post } from '../lib/api.js';
import { formatTime } from '../lib/format.js';
import { Empty, ErrorBox, Loading, StatusBadge, useLoad } from '../lib/ui.jsx';
import { rowLink } from './admin.jsx';

function RunSummary({ run }) {
  return (
    <dl class="props">
      <dt>Run</dt><dd class="mono">{run.id}</dd>
      <dt>Status</dt><dd><StatusBadge status={run.status} testid="reconcile-status" /></dd>
      <dt>Trigger</dt><dd>{run.trigger_type}</dd>
      <dt>Started</dt><dd>{formatTime(run.started_at)}</dd>
      <dt>Finished</dt><dd>{formatTime(run.finished_at)}</dd>
      <dt>Sandboxes</dt><dd>{run.total_db} in the database, {run.total_k8s} in the cluster</dd>
      <dt>Drift</dt><dd data-testid="reconcile-drift">{run.drift_count} found, {run.fixed_count} fixed</dd>
      {run.error && <><dt>Error</dt><dd class="adm-bad">{run.error}</dd></>}
    </dl>
  );
}

function Items({ items }) {
  if (!items || !items.length) return <Empty>No drift: the database and the cluster agree.</Empty>;
  return (
    <div class="table-wrap adm-gap">
      <table>
        <thead><tr><th>Sandbox</th><th>Drift</th><th>Action</th><th>Detail</th><th>At</th></tr></thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.id} data-testid={`reconcile-item-${i.id}`}>
              <td class="mono"><a href={`#/sandboxes/${encodeURIComponent(i.sandbox_id)}/history`}>{i.sandbox_id}</a></td>
              <td>{i.drift_type}</td>
              <td>{i.action}</td>
              <td class="adm-wrap">{i.detail}</td>
              <td>{formatTime(i.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RunDetail({ runId }) {
  const { data, error, loading } = useLoad(() => get(`/sandboxes/reconcile/runs/${encodeURIComponent(runId)}`), [runId]);
  return (
    <section>
      <p class="adm-crumbs"><a href="#/reconcile">← Reconcile</a></p>
      <h1>Reconcile run <span class="mono">{runId}</span></h1>
      <ErrorBox error={error} />
      {data === undefined && loading && <Loading />}
      {data && (
        <div data-testid="reconcile-run-detail">
          <div class="card"><RunSummary run={data.run} /></div>
          <h2>Drift</h2>
          <Items items={data.items} />
        </div>
      )}
    </section>
  );
}

function Runs() {
  const { data, error, loading, reload } = useLoad(() => get('/sandboxes/reconcile/runs', { limit: 50 }), []);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState(null);
  const [runError, setRunError] = useState(null);

  const start = async () => {
    setBusy(true);
    setRunError(null);
    setResult(null);
    try {
      setResult(await post('/sandboxes/reconcile'));
      reload();
    } catch (e) {
      setRunError(e);
    } finally {
      setBusy(false);
    }
  };

  const runs = (data && data.items) || [];
  return (
    <section>
      <div class="toolbar">
        <h1>Reconcile</h1>
        <span class="spacer" />
        <button type="button" class="primary" data-testid="reconcile-run" disabled={busy} onClick={start}>
          {busy ? 'Reconciling…' : 'Reconcile now'}</button>
      </div>
      <p class="adm-muted">Compares every sandbox row with the cluster and fixes the drift (a run also happens every minute).</p>
      <ErrorBox error={runError} testid="reconcile-error" />
      {result && (
        <div class="card" data-testid="reconcile-result" role="status">
          <h2>This run</h2>
          <RunSummary run={result.run} />
          <Items items={result.items} />
        </div>
      )}
      <h2>Past runs</h2>
      <ErrorBox error={error} />
      {data === undefined && loading && <Loading />}
      {data !== undefined && !runs.length && <Empty>No runs yet.</Empty>}
      {runs.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead><tr><th>Run</th><th>Status</th><th>Trigger</th><th>Started</th><th>Database / cluster</th><th>Drift / fixed</th></tr></thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id} data-testid={`reconcile-run-row-${r.id}`} class="adm-rowlink" onClick={rowLink(`#/reconcile/${encodeURIComponent(r.id)}`)}>
                  <td class="mono"><a href={`#/reconcile/${encodeURIComponent(r.id)}`} data-testid={`reconcile-run-link-${r.id}`}>{r.id}</a></td>
                  <td><StatusBadge status={r.status} />{r.error && <div class="adm-muted adm-wrap">{r.error}</div>}</td>
                  <td>{r.trigger_type}</td>
                  <td>{formatTime(r.started_at)}</td>
                  <td>{r.total_db} / {r.total_k8s}</td>
                  <td>{r.drift_count} / {r.fixed_count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function Reconcile({ runId }) {
  return runId ? <RunDetail runId={runId} /> : <Runs />;
}
