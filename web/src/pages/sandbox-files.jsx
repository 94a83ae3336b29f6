// Files tab: upload into the sandbox and download from it (spec §3.7) with progress, through
// lib/xhr.js. The target directory of an upload must already exist (the server untars into it).
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatBytes } from '../lib/format.js';
import { basename, uploadTarget } from '../lib/sandbox-model.js';
import { downloadFile, saveBlob, uploadFile } from '../lib/xhr.js';
import { ErrorBox, Field } from '../lib/ui.jsx';

function Progress({ p, testid, label }) {
  if (!p) return null;
  const pct = p.fraction === null ? null : Math.round(p.fraction * 100);
  return (
    <div class="sbx-progress">
      {/* no value = an indeterminate bar, for a download of unknown length */}
      {pct === null
        ? <progress key="unknown" data-testid={testid} aria-label={label} max="100" />
        : <progress key="known" data-testid={testid} aria-label={label} max="100" value={pct} />}
      <span class="sbx-muted">{pct === null ? formatBytes(p.loaded) : `${pct}% of ${formatBytes(p.total)}`}</span>
    </div>
  );
}

/**
 * One transfer's state (progress, result, error) and its runner. A transfer still running when
 * the tab closes is aborted, so no state is set after unmount.
 */
function useTransfer() {
  const [progress, setProgress] = useState(null);
  const [done, setDone] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const ref = useRef(null);
  useEffect(() => () => ref.current && ref.current.abort(), []);
  /** work(signal, setProgress) → the text to show when it succeeds. */
  const start = async (initial, work) => {
    ref.current = new AbortController();
    setError(null); setDone(null); setBusy(true); setProgress(initial);
    try {
      setDone(await work(ref.current.signal, setProgress));
    } catch (err) {
      if (!err.aborted) { setError(err); setProgress(null); }
    } finally {
      setBusy(false);
    }
  };
  return { progress, setProgress, done, error, setError, busy, start };
}

function Upload({ id }) {
  const [path, setPath] = useState('');
  const [file, setFile] = useState(null);
  const { progress, done, error, setError, busy, start } = useTransfer();
  const submit = async (e) => {
    e.preventDefault();
    if (!file) { setError(new Error('Choose a file to upload.')); return; }
    const target = uploadTarget(path.trim() || '/tmp/', file.name);
    if (!target.startsWith('/')) { setError(new Error('The destination must be an absolute path, e.g. /tmp/notes.txt')); return; }
    await start({ loaded: 0, total: file.size || null, fraction: file.size ? 0 : null }, async (signal, onProgress) => {
      await uploadFile(id, target, file, { onProgress, signal });
      onProgress({ loaded: file.size, total: file.size, fraction: 1 });
      return `Uploaded ${file.name} (${formatBytes(file.size)}) to ${target}`;
    });
  };
  return (
    <form class="card" onSubmit={submit} aria-label="Upload a file">
      <h2>Upload</h2>
      <div class="sbx-form-row">
        <Field label="Destination path" hint="Full path; ending in / (or empty: /tmp/) keeps the file's name. The directory must exist.">
          <input data-testid="upload-path" class="mono" value={path} autoComplete="off" spellcheck={false} placeholder="/tmp/notes.txt"
            onInput={(e) => setPath(e.currentTarget.value)} />
        </Field>
        <Field label="File">
          <input data-testid="upload-file" type="file" onChange={(e) => setFile(e.currentTarget.files[0] || null)} />
        </Field>
        <button type="submit" class="primary" data-testid="upload-submit" disabled={busy}>{busy ? 'Uploading…' : 'Upload'}</button>
      </div>
      <Progress p={progress} testid="upload-progress" label="Upload progress" />
      {done && <p class="sbx-ok" role="status" data-testid="upload-done">{done}</p>}
      <ErrorBox error={error} />
    </form>
  );
}

function Download({ id }) {
  const [path, setPath] = useState('');
  const { progress, done, error, busy, start } = useTransfer();
  const submit = async (e) => {
    e.preventDefault();
    const p = path.trim();
    await start({ loaded: 0, total: null, fraction: null }, async (signal, onProgress) => {
      const blob = await downloadFile(id, p, { onProgress, signal });
      onProgress({ loaded: blob.size, total: blob.size, fraction: 1 });
      saveBlob(blob, basename(p));
      return `Downloaded ${basename(p)} (${formatBytes(blob.size)})`;
    });
  };
  return (
    <form class="card" onSubmit={submit} aria-label="Download a file">
      <h2>Download</h2>
      <div class="sbx-form-row">
        <Field label="Path in the sandbox" hint="A file, not a directory">
          <input data-testid="download-path" class="mono" value={path} required autoComplete="off" spellcheck={false}
            placeholder="/etc/os-release" onInput={(e) => setPath(e.currentTarget.value)} />
        </Field>
        <button type="submit" class="primary" data-testid="download-submit" disabled={busy}>{busy ? 'Downloading…' : 'Download'}</button>
      </div>
      <Progress p={progress} testid="download-progress" label="Download progress" />
      {done && <p class="sbx-ok" role="status" data-testid="download-done">{done}</p>}
      <ErrorBox error={error} />
    </form>
  );
}

export function SandboxFiles({ id }) {
  return <><Upload id={id} /><Download id={id} /></>;
}
