// The template editor: one YAML document {name, displayName?, description?, tags?, spec}. New
// templates start from an example (POST /templates); an existing one (`name`) loads GET
// /templates/{name} and saves a new version (PUT). The YAML is read here first, so a syntax
// error shows with its line before anything is sent; what the API refuses (400 INVALID_REQUEST,
// 409 TEMPLATE_EXISTS…) shows inline in the same place with the server's own message.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, post, put } from '../lib/api.js';
import { notifyOk } from '../lib/notify.jsx';
import { navigate } from '../lib/route.js';
import { ErrorBox, Loading } from '../lib/ui.jsx';
import { EXAMPLE_TEMPLATE, SPEC_KEYS, createRequest, readTemplateDoc, templateToDoc, toYaml, updateRequest } from '../lib/template-model.js';
import { TemplateImport } from './template-import.jsx';
import './admin.css';

/** Selects line `line` (1-based) of the textarea and scrolls it into view. */
function goToLine(el, text, line) {
  if (!el || !line) return;
  const lines = text.split('\n');
  const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  const end = start + (lines[line - 1] || '').length;
  el.focus();
  el.setSelectionRange(start, end);
  const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 18;
  el.scrollTop = Math.max(0, (line - 3) * lineHeight);
}

function EditorError({ error, onGoTo }) {
  if (!error) return null;
  return (
    <div class="error-box" role="alert" data-testid="template-error">
      {error.line ? `YAML line ${error.line}${error.col ? `, column ${error.col}` : ''}: ` : ''}{error.message}
      {error.line && <> <button type="button" class="link" onClick={onGoTo}>Go to line {error.line}</button></>}
    </div>
  );
}

export function TemplateEditor({ name }) {
  const editing = !!name;
  const [text, setText] = useState(editing ? null : toYaml(EXAMPLE_TEMPLATE));
  const [loadError, setLoadError] = useState(null);
  const [changelog, setChangelog] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const area = useRef(null);

  useEffect(() => {
    if (!editing) return;
    let live = true;
    get(`/templates/${encodeURIComponent(name)}`)
      .then((t) => live && setText(toYaml(templateToDoc(t))))
      .catch((e) => live && setLoadError(e));
    return () => { live = false; };
  }, [name]);

  const save = async (e) => {
    if (e) e.preventDefault();
    const read = readTemplateDoc(text, editing ? { name } : {});
    if (read.error) { setError(read.error); return; }
    setBusy(true);
    setError(null);
    try {
      const doc = read.doc;
      const saved = editing
        ? await put(`/templates/${encodeURIComponent(name)}`, updateRequest(doc, changelog))
        : await post('/templates', createRequest(doc));
      notifyOk(editing ? `Saved ${saved.name} as version ${saved.latestVersion}` : `Created ${saved.name}`);
      navigate(`/templates/${encodeURIComponent(saved.name)}`);
    } catch (err) {
      setError({ message: err.message || String(err) });
    } finally {
      setBusy(false);
    }
  };

  if (loadError) return <section><h1>Edit {name}</h1><ErrorBox error={loadError} /></section>;
  if (text === null) return <Loading />;

  const back = editing ? `#/templates/${encodeURIComponent(name)}` : '#/templates';
  return (
    <section>
      <div class="toolbar">
        <h1>{editing ? <>Edit <span class="mono">{name}</span></> : 'New template'}</h1>
        <span class="spacer" />
        <a href={back}>Cancel</a>
      </div>
      <form class="card" onSubmit={save}>
        <label class="field">
          <span class="field-label">Template (YAML)</span>
          <textarea ref={area} data-testid="template-yaml" class="adm-yaml" rows={24} spellcheck={false}
            autoCapitalize="off" autoComplete="off" value={text} aria-invalid={!!error}
            aria-describedby="template-yaml-hint"
            onInput={(e) => setText(e.currentTarget.value)}
            onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) save(e); }} />
          <span class="field-hint" id="template-yaml-hint">
            Top level: name, displayName, description, tags, spec. spec keys: {SPEC_KEYS.join(', ')}.
            {editing ? ' Saving adds a new version; the name cannot change.' : ''} Ctrl+Enter saves.
          </span>
        </label>
        {editing && (
          <label class="field">
            <span class="field-label">Change note (optional)</span>
            <input data-testid="template-changelog" value={changelog} maxLength={500}
              onInput={(e) => setChangelog(e.currentTarget.value)} />
          </label>
        )}
        <EditorError error={error} onGoTo={() => goToLine(area.current, text, error && error.line)} />
        <div class="adm-row">
          <button type="submit" class="primary" data-testid="template-save" disabled={busy}>
            {busy ? 'Saving…' : editing ? 'Save new version' : 'Create template'}
          </button>
        </div>
      </form>
      {!editing && <TemplateImport onImported={() => {}} />}
    </section>
  );
}
