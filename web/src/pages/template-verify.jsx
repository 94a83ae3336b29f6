// The verify tab: POST /templates/{name}/verify starts a probe sandbox from the template, checks
// from inside what it can reach and which limits hold, deletes it and answers 200 with the report
// (docs/security.md, "Isolation self-test"): {template, templateVersion, sandboxId, image,
// runtimeClassName, passed, startedAt, durationMs, checks:[{name, status: pass|fail|skip,
// expected, observed, detail?}]}. It takes up to a minute or more, so the button shows the wait.
import { useEffect, useRef, useState } from 'preact/hooks';
import { post } from '../lib/api.js';
import { formatTime } from '../lib/format.js';
import { ErrorBox, useTick } from '../lib/ui.jsx';
import './admin.css';

const CHECK_CLASS = { pass: 'ok', fail: 'bad', skip: 'idle' };

function Elapsed({ since }) {
  useTick(1000);
  return <span>{Math.floor((Date.now() - since) / 1000)} s</span>;
}

function Report({ r }) {
  const checks = r.checks || [];
  const count = (s) => checks.filter((c) => c.status === s).length;
  return (
    <div class="card" data-testid="verify-result" role="status">
      <h2>
        <span class={`badge badge-${r.passed ? 'ok' : 'bad'}`} data-testid="verify-passed">{r.passed ? 'passed' : 'failed'}</span>
        {' '}{count('pass')} passed, {count('fail')} failed, {count('skip')} skipped
      </h2>
      <dl class="props">
        <dt>Template</dt><dd>{r.template} v{r.templateVersion}</dd>
        <dt>Image</dt><dd class="mono">{r.image}</dd>
        <dt>Runtime class</dt><dd>{r.runtimeClassName || 'cluster default'}</dd>
        <dt>Probe sandbox</dt><dd class="mono">{r.sandboxId || 'not created'}</dd>
        <dt>Started</dt><dd>{formatTime(r.startedAt)} (took {Math.round((r.durationMs || 0) / 100) / 10} s)</dd>
      </dl>
      <div class="table-wrap adm-gap">
        <table>
          <thead><tr><th>Check</th><th>Result</th><th>Expected</th><th>Observed</th></tr></thead>
          <tbody>
            {checks.map((c, i) => (
              <tr key={`${i}-${c.name}`} data-testid={`verify-check-${c.name}`} data-status={c.status}>
                <td>{c.name}</td>
                <td><span class={`badge badge-${CHECK_CLASS[c.status] || 'wait'}`}>{c.status}</span></td>
                <td class="adm-wrap">{c.expected}</td>
                <td class="adm-wrap">{c.observed}{c.detail && <div class="adm-muted">{c.detail}</div>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function TemplateVerify({ name, t }) {
  const [since, setSince] = useState(null);
  const [report, setReport] = useState(null);
  const [error, setError] = useState(null);
  const live = useRef(true);
  useEffect(() => () => { live.current = false; }, []);

  const start = async () => {
    setSince(Date.now());
    setError(null);
    setReport(null);
    try {
      const r = await post(`/templates/${encodeURIComponent(name)}/verify`);
      if (live.current) setReport(r);
    } catch (e) {
      if (live.current) setError(e);
    } finally {
      if (live.current) setSince(null);
    }
  };

  return (
    <div aria-busy={since !== null}>
      <div class="card">
        <p>
          Starts a sandbox from the latest version (v{t.latestVersion}) exactly as users get it, checks from inside
          that it cannot reach the Kubernetes API, the node, the control plane, other sandboxes or cloud metadata,
          that internet access matches the template and that its limits hold, then deletes it.
        </p>
        <button type="button" class="primary" data-testid="verify-run" disabled={since !== null} onClick={start}>
          {since !== null ? 'Verifying…' : 'Run the isolation check'}
        </button>
        {since !== null && <span class="adm-muted adm-busy" role="status"> Running the probe sandbox, this can take a minute… <Elapsed since={since} /></span>}
      </div>
      <ErrorBox error={error} testid="verify-error" />
      {report && <Report r={report} />}
    </div>
  );
}
