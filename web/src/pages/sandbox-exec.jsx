// Exec tab: one command, run without a TTY (POST /sandboxes/{id}/exec, spec §3.6). The line is
// split into argv here (splitArgs: quotes honoured, no shell needed, so images without sh work);
// "through sh -c" hands it to the sandbox's shell instead, for pipes, redirects and variables.
import { useState } from 'preact/hooks';
import { post } from '../lib/api.js';
import { execArgv } from '../lib/sandbox-model.js';
import { ErrorBox, Field } from '../lib/ui.jsx';

export function SandboxExec({ id }) {
  const [command, setCommand] = useState('');
  const [timeout, setTimeout_] = useState('30');
  const [viaShell, setViaShell] = useState(false);
  const [parseError, setParseError] = useState(null);
  const [error, setError] = useState(null);
  const [result, setResult] = useState(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    let argv;
    try { argv = execArgv(command, viaShell); } catch (err) { setParseError(err.message); return; }
    if (!argv.length || (viaShell && !command.trim())) { setParseError('Type a command to run.'); return; }
    setParseError(null);
    const t = Number.parseInt(timeout, 10);
    setBusy(true);
    try {
      setResult(await post(`/sandboxes/${encodeURIComponent(id)}/exec`, { command: argv, timeout: t > 0 ? t : 30 }));
    } catch (err) {
      setResult(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <form class="card" onSubmit={submit} aria-label="Run a command">
        <div class="sbx-form-row sbx-exec">
          <Field label="Command" error={parseError} hint={viaShell ? 'Runs as sh -c "<line>"' : 'Split like a shell line (quotes work); no pipes or variables'}>
            <input data-testid="exec-command" class="mono" value={command} autoComplete="off" spellcheck={false}
              placeholder="ls -la /" onInput={(e) => setCommand(e.currentTarget.value)} />
          </Field>
          <Field label="Timeout (s)">
            <input data-testid="exec-timeout" type="number" min="1" max="60" value={timeout} onInput={(e) => setTimeout_(e.currentTarget.value)} />
          </Field>
          <button type="submit" class="primary" data-testid="exec-run" disabled={busy}>{busy ? 'Running…' : 'Run'}</button>
        </div>
        <label class="sbx-check">
          <input type="checkbox" data-testid="exec-shell" checked={viaShell} onChange={(e) => setViaShell(e.currentTarget.checked)} />
          Run through <code>sh -c</code>
        </label>
      </form>
      <ErrorBox error={error} />
      {result && (
        <div class="card sbx-out" aria-live="polite">
          <p style="margin-top: 0">Exit code <strong data-testid="exec-exit-code">{result.exit_code}</strong></p>
          <h2>stdout</h2>
          <pre data-testid="exec-stdout">{result.stdout}</pre>
          <h2>stderr</h2>
          <pre data-testid="exec-stderr">{result.stderr}</pre>
        </div>
      )}
    </>
  );
}
