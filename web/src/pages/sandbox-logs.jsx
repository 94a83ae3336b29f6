// Logs tab: the last 100 lines of the sandbox's main container and its Kubernetes events
// (spec §3.8; `events` may be JSON null). Read on open and on Refresh only.
import { get } from '../lib/api.js';
import { ErrorBox, Loading, useLoad } from '../lib/ui.jsx';

export function SandboxLogs({ id }) {
  const { data, error, loading, reload } = useLoad(() => get(`/sandboxes/${encodeURIComponent(id)}/logs`), [id]);
  const logs = (data && data.logs) || '';
  const events = (data && Array.isArray(data.events) && data.events) || [];
  return (
    <div class="card">
      <div class="toolbar">
        <h2>Container log</h2>
        <span class="spacer" />
        <button type="button" data-testid="logs-refresh" onClick={reload} disabled={loading}>{loading ? 'Loading…' : 'Refresh'}</button>
      </div>
      <ErrorBox error={error} />
      {data === undefined && loading && <Loading />}
      {data !== undefined && (
        <>
          <pre data-testid="logs-text">{logs}</pre>
          {!logs && <p class="sbx-muted">No log lines (yet), or the pod is gone.</p>}
          <h2>Events</h2>
          <ul class="sbx-events" data-testid="logs-events">
            {/* lines are plain strings and may repeat; their position is their identity */}
            {events.map((line, i) => <li key={i}>{line}</li>)}
          </ul>
          {!events.length && <p class="sbx-muted">No events.</p>}
        </>
      )}
    </div>
  );
}
