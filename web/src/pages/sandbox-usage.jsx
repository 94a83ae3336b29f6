// Usage tab: the sandbox's current CPU and memory (GET /sandboxes/{id}/usage), polled every 10 s
// while the tab is open (the console's one poll: usage has no event). No metrics source is an
// answer, not an error: the API says why in `message`.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../lib/api.js';
import { formatBytes, formatTime } from '../lib/format.js';
import { formatCores } from '../lib/sandbox-model.js';
import { ErrorBox, Loading } from '../lib/ui.jsx';

const EVERY_MS = 10000;

export function SandboxUsage({ id, s }) {
  const [u, setU] = useState(undefined);
  const [error, setError] = useState(null);
  // A deleted sandbox answers 404, which the browser logs as an error: stop asking then.
  const gone = !!(s && s.status === 'deleted');

  useEffect(() => {
    if (gone) return undefined;
    let live = true;
    let timer = null;
    const tick = async () => {
      try {
        const res = await get(`/sandboxes/${encodeURIComponent(id)}/usage`);
        if (live) { setU(res); setError(null); }
      } catch (e) {
        if (live) setError(e);
      }
      // The next read is scheduled after this one ends, so a slow API never stacks requests.
      if (live) timer = setTimeout(tick, EVERY_MS);
    };
    tick();
    return () => { live = false; clearTimeout(timer); };
  }, [id, gone]);

  return (
    <div class="card" aria-live="polite">
      <h2>Resource usage</h2>
      <ErrorBox error={error} />
      {gone && <p class="sbx-muted">The sandbox is deleted; it uses nothing.</p>}
      {u === undefined && !error && !gone && <Loading />}
      {u && !u.source && <p class="sbx-muted" data-testid="usage-unavailable">{u.message || 'No metrics source is available.'}</p>}
      {u && u.source && (
        <dl class="props sbx-usage">
          <dt>CPU</dt><dd data-testid="usage-cpu">{formatCores(u.cpuCores)}</dd>
          <dt>Memory</dt><dd data-testid="usage-memory">{formatBytes(u.memoryBytes)}</dd>
          <dt>Source</dt><dd data-testid="usage-source">{u.source}</dd>
          <dt>Measured</dt><dd>{formatTime(u.at)}</dd>
          {u.message && <><dt>Note</dt><dd>{u.message}</dd></>}
        </dl>
      )}
      <p class="sbx-muted">Refreshed every 10 s while this tab is open.</p>
    </div>
  );
}
