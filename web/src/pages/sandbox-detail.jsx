// One sandbox: a header (id, live status, TTL countdown, lifecycle actions) and tabs, each tab in
// its own sandbox-<tab>.jsx. GET /sandboxes/{id} is read once (it is the only answer carrying the
// access token); later states arrive as live `sandbox` events, merged in keeping that token.
import { useRef } from 'preact/hooks';
import { get } from '../lib/api.js';
import { useEvents } from '../lib/events.js';
import { formatTime } from '../lib/format.js';
import { mergeSandboxEvent, ttlText } from '../lib/sandbox-model.js';
import { Empty, ErrorBox, Loading, StatusBadge, useLoad, useTick } from '../lib/ui.jsx';
import { SandboxActions } from './sandbox-actions.jsx';
import { SandboxOverview } from './sandbox-overview.jsx';
import { SandboxExec } from './sandbox-exec.jsx';
import { SandboxTerminal } from './sandbox-terminal.jsx';
import { SandboxFiles } from './sandbox-files.jsx';
import { SandboxLogs } from './sandbox-logs.jsx';
import { SandboxHistory } from './sandbox-history.jsx';
import { SandboxUsage } from './sandbox-usage.jsx';
import './sandboxes.css';

const TABS = [
  ['overview', 'Overview', SandboxOverview],
  ['exec', 'Exec', SandboxExec],
  ['terminal', 'Terminal', SandboxTerminal],
  ['files', 'Files', SandboxFiles],
  ['logs', 'Logs', SandboxLogs],
  ['history', 'History', SandboxHistory],
  ['usage', 'Usage', SandboxUsage],
];

function Ttl({ s }) {
  useTick(1000);
  const text = ttlText(s.expires_at);
  const paused = s.status === 'stopped' && text !== 'never' && text !== '–';
  return (
    <span class="sbx-ttl" title={`Expires ${formatTime(s.expires_at)}`}>
      TTL <span data-testid="sandbox-ttl">{text}</span>{paused ? ' (paused while stopped)' : ''}
    </span>
  );
}

export function SandboxDetail({ id, tab = 'overview' }) {
  const { data: s, error, loading, reload, setData } = useLoad(() => get(`/sandboxes/${encodeURIComponent(id)}`), [id]);
  // Once deleted (or never there), GET answers 404, which the browser logs as an error: no
  // reloads after that.
  const gone = useRef(false);
  gone.current = !!((s && s.status === 'deleted') || (error && error.status === 404));
  const busy = useRef(true);
  busy.current = loading;
  useEvents({
    sandbox: (ev) => { if (ev && ev.id === id) setData((cur) => mergeSandboxEvent(cur, ev)); },
    // The stream's first open usually lands while the first GET is still out: skip that one.
    onOpen: () => { if (!gone.current && !busy.current) reload(); },
  });

  if (s === undefined) {
    if (error) return <section><ErrorBox error={error} /><a href="#/sandboxes">Back to sandboxes</a></section>;
    return loading ? <Loading /> : null;
  }
  const current = TABS.find(([key]) => key === tab);
  const Tab = current && current[2];
  const base = `#/sandboxes/${encodeURIComponent(id)}`;
  return (
    <section class="sbx">
      <div class="sbx-header">
        <h1 data-testid="sandbox-id">{s.id}</h1>
        <StatusBadge status={s.status} testid="sandbox-status" />
        <Ttl s={s} />
        <SandboxActions s={s} onChanged={() => { if (!gone.current) reload(); }} />
      </div>
      {s.status === 'deleted' && <p class="sbx-muted" role="status">This sandbox has been deleted. <a href="#/sandboxes">Back to sandboxes</a></p>}
      <ErrorBox error={error} />
      <nav class="tabs" aria-label="Sandbox">
        {TABS.map(([key, label]) => (
          <a key={key} href={`${base}/${key}`} data-testid={`tab-${key}`} aria-current={key === tab ? 'page' : undefined}>{label}</a>
        ))}
      </nav>
      {Tab ? <Tab key={`${id}-${tab}`} id={id} s={s} /> : <Empty>No tab “{tab}”. <a href={`${base}/overview`}>Overview</a></Empty>}
    </section>
  );
}
