// The versions tab: GET /templates/{name}/versions (newest first, each with its spec). "Diff"
// shows a version's spec YAML against the latest one line by line; "Roll back" copies an older
// spec into a new latest version (POST /rollback {"targetVersion": n}, the API's field name).
import { useEffect, useRef, useState } from 'preact/hooks';
import { diffLines } from 'diff';
import { get, post } from '../lib/api.js';
import { formatTime } from '../lib/format.js';
import { notifyOk } from '../lib/notify.jsx';
import { ConfirmButton, Empty, ErrorBox, Loading, run, useLoad } from '../lib/ui.jsx';
import { diffRows, diffStats, specToYaml } from '../lib/template-model.js';
import './admin.css';

const SIGN = { add: '+', del: '−', same: ' ' };

function DiffView({ from, to, onClose }) {
  const box = useRef(null);
  const rows = diffRows(diffLines(specToYaml(from.spec), specToYaml(to.spec)));
  const { added, removed } = diffStats(rows);
  // Focus the diff when it opens, so keyboard users land on it and can scroll it.
  useEffect(() => { if (box.current) box.current.focus(); }, [from.version, to.version]);
  const title = from.version === to.version
    ? `Version ${from.version} is the latest`
    : `Version ${from.version} → latest (version ${to.version})`;
  return (
    <div class="card adm-diff-card">
      <div class="toolbar">
        <h2 id="version-diff-title">{title}</h2>
        <span class="adm-muted">{added} added, {removed} removed</span>
        <span class="spacer" />
        <button type="button" data-testid="version-diff-close" onClick={onClose}>Close diff</button>
      </div>
      <div ref={box} class="adm-diff" data-testid="version-diff" role="region" aria-labelledby="version-diff-title" tabIndex={0}>
        {added + removed === 0 && <p class="adm-muted adm-diff-same">No differences in the spec.</p>}
        {rows.map((r, i) => (
          <div key={i} class={`adm-diff-line adm-diff-${r.kind}`} data-kind={r.kind}>
            <span class="adm-diff-no" aria-hidden="true">{r.oldNo ?? ''}</span>
            <span class="adm-diff-no" aria-hidden="true">{r.newNo ?? ''}</span>
            <span class="adm-diff-sign">{r.kind === 'same' ? ' ' : <><span class="adm-sr">{r.kind === 'add' ? 'added' : 'removed'}</span><span aria-hidden="true">{SIGN[r.kind]}</span></>}</span>
            <span class="adm-diff-text">{r.text || ' '}</span>
          </div>
        ))}
      </div>
    </div>
  );
}

export function TemplateVersions({ name, latest, onChanged }) {
  const path = `/templates/${encodeURIComponent(name)}`;
  const { data, error, loading, reload } = useLoad(() => get(`${path}/versions`), [name, latest]);
  const [diffOf, setDiffOf] = useState(null);

  const items = (data && data.items) || [];
  const newest = items.reduce((m, v) => (m && m.version >= v.version ? m : v), null);
  const shown = diffOf !== null && newest ? items.find((v) => v.version === diffOf) : null;

  const rollback = async (n) => {
    const r = await run(() => post(`${path}/rollback`, { targetVersion: n }));
    if (r) {
      notifyOk(`Rolled back to version ${n}: now version ${r.latestVersion}`);
      setDiffOf(null);
      // The parent reloads the template; its new latest version reloads this list (deps).
      if (onChanged) onChanged(); else reload();
    }
  };

  if (data === undefined) return loading && !error ? <Loading /> : <ErrorBox error={error} />;
  return (
    <div>
      <ErrorBox error={error} />
      {!items.length && <Empty>No versions.</Empty>}
      {items.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead><tr><th>Version</th><th>Change</th><th>Image</th><th>Created</th><th><span class="adm-sr">Actions</span></th></tr></thead>
            <tbody>
              {items.map((v) => {
                const isLatest = newest && v.version === newest.version;
                return (
                  <tr key={v.version} data-testid={`version-row-${v.version}`} class={diffOf === v.version ? 'adm-selected' : ''}>
                    <td>v{v.version}{isLatest && <span class="badge badge-ok adm-latest" data-testid="versions-latest">latest</span>}</td>
                    <td class="adm-wrap">{v.changelog || '–'}</td>
                    <td class="mono adm-wrap">{v.spec && v.spec.image}</td>
                    <td>{formatTime(v.createdAt)}</td>
                    <td class="adm-cell-actions">
                      <button type="button" data-testid={`version-diff-${v.version}`} aria-pressed={diffOf === v.version}
                        onClick={() => setDiffOf(diffOf === v.version ? null : v.version)}>Diff</button>
                      {!isLatest && (
                        <ConfirmButton label="Roll back" confirmLabel={`Make v${v.version} current`} class=""
                          testid={`rollback-${v.version}`} onConfirm={() => rollback(v.version)} />
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {shown && <DiffView from={shown} to={newest} onClose={() => setDiffOf(null)} />}
    </div>
  );
}
