// History tab: the sandbox's status transitions, newest first (spec §5.3), in pages of 50 with
// an "Older" button (before_id cursor). A live event for this sandbox refreshes the newest page.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { get } from '../lib/api.js';
import { useEvents } from '../lib/events.js';
import { formatTime } from '../lib/format.js';
import { mergeHistory, oldestId } from '../lib/sandbox-model.js';
import { Empty, ErrorBox, Loading } from '../lib/ui.jsx';

const LIMIT = 50;

export function SandboxHistory({ id }) {
  const [items, setItems] = useState(undefined);
  const [more, setMore] = useState(false);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const live = useRef(true);
  useEffect(() => () => { live.current = false; }, []);

  const load = useCallback(async (beforeId) => {
    setBusy(true);
    try {
      const page = await get(`/sandboxes/${encodeURIComponent(id)}/status-history`, { limit: LIMIT, before_id: beforeId ?? undefined });
      if (!live.current) return;
      const got = (page && page.items) || [];
      setItems((cur) => mergeHistory(cur, got));
      // A refresh of the newest page must not hide the Older button of pages already loaded.
      if (beforeId !== undefined || items === undefined) setMore(got.length === LIMIT);
      setError(null);
    } catch (e) {
      if (live.current) setError(e);
    } finally {
      if (live.current) setBusy(false);
    }
  }, [id, items]);

  useEffect(() => { load(); }, [id]); // eslint-disable-line react-hooks/exhaustive-deps
  useEvents({ sandbox: (ev) => { if (ev && ev.id === id && ev.status !== 'deleted') load(); } });

  return (
    <div class="card">
      <div class="toolbar">
        <h2>Status history</h2>
        <span class="spacer" />
        <button type="button" onClick={() => load()} disabled={busy}>Refresh</button>
      </div>
      <ErrorBox error={error} />
      {items === undefined && busy && <Loading />}
      {items && !items.length && <Empty>No status changes recorded.</Empty>}
      {items && items.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead><tr><th>Time</th><th>From → to</th><th>Source</th><th>Reason</th></tr></thead>
            <tbody>
              {items.map((h) => (
                <tr key={h.id} data-testid={`history-row-${h.id}`}>
                  <td>{formatTime(h.created_at)}</td>
                  <td>{h.from_status || '∅'} → <strong>{h.to_status}</strong></td>
                  <td>{h.source}</td>
                  <td style="white-space: normal">{h.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {more && (
        <div class="toolbar" style="margin-top: 12px">
          <button type="button" data-testid="history-older" disabled={busy} onClick={() => load(oldestId(items))}>Older</button>
        </div>
      )}
    </div>
  );
}
