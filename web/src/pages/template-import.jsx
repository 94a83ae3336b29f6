// Import templates from a YAML file (POST /templates/import, multipart): picking the file sends
// it, and the answer's per-template results (created / updated / skipped / failed, with the
// version made or the reason) are shown as a table. Used on the list and the new-template page.
import { useRef, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { ErrorBox } from '../lib/ui.jsx';
import './admin.css';

const ACTION_CLASS = { created: 'ok', updated: 'ok', skipped: 'idle', failed: 'bad' };

export function TemplateImport({ onImported }) {
  const [strategy, setStrategy] = useState('create-or-update');
  const [prepull, setPrepull] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [result, setResult] = useState(null);
  const input = useRef(null);

  const send = async (file) => {
    if (!file) return;
    const form = new FormData();
    form.append('file', file, file.name);
    form.append('strategy', strategy);
    if (prepull) form.append('prepull', 'true');
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await api('POST', '/templates/import', { body: form });
      setResult({ ...r, file: file.name });
      if (onImported) onImported(r);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      // The same file can be picked again after a fix.
      if (input.current) input.current.value = '';
    }
  };

  return (
    <div class="card adm-import" aria-busy={busy}>
      <h2>Import from YAML</h2>
      <div class="adm-row">
        <label class="field">
          <span class="field-label">If a template exists</span>
          <select data-testid="template-import-strategy" value={strategy} onChange={(e) => setStrategy(e.currentTarget.value)}>
            <option value="create-or-update">update it (create the others)</option>
            <option value="create-only">skip it (create only)</option>
            <option value="update-only">update it (never create)</option>
          </select>
        </label>
        <label class="adm-check">
          <input type="checkbox" data-testid="template-import-prepull" checked={prepull}
            onChange={(e) => setPrepull(e.currentTarget.checked)} />
          Pre-pull their images
        </label>
        <label class="field">
          <span class="field-label">YAML file (SandboxTemplate or SandboxTemplateList)</span>
          <input ref={input} type="file" accept=".yaml,.yml,application/x-yaml,text/yaml,text/plain"
            data-testid="template-import-file" disabled={busy} onChange={(e) => send(e.currentTarget.files[0])} />
        </label>
      </div>
      {busy && <p class="adm-muted">Importing…</p>}
      <ErrorBox error={error} testid="template-import-error" />
      {result && <ImportResult result={result} />}
    </div>
  );
}

function ImportResult({ result }) {
  const rows = result.results || [];
  return (
    <div data-testid="template-import-result" role="status">
      <p>
        {result.file}: {result.total} template{result.total === 1 ? '' : 's'} — {result.created} created,
        {' '}{result.updated} updated, {result.skipped} skipped, {result.failed} failed.
        {result.prepullStarted && result.prepullStarted.length > 0 && <> Pre-pull started for {result.prepullStarted.join(', ')}.</>}
      </p>
      {rows.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead><tr><th>Template</th><th>Result</th><th>Version</th><th>Reason</th></tr></thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={`${i}-${r.name}`} data-testid={`template-import-row-${r.name || i}`}>
                  <td>{!r.name ? <span class="adm-muted">(no name)</span>
                    : r.action === 'failed' ? r.name : <a href={`#/templates/${encodeURIComponent(r.name)}`}>{r.name}</a>}</td>
                  <td><span class={`badge badge-${ACTION_CLASS[r.action] || 'wait'}`}>{r.action}</span></td>
                  <td>{r.version ?? '–'}</td>
                  <td class="adm-wrap">{r.error || ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
