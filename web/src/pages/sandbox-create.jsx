// The "New sandbox" form of the sandbox list: a template (GET /templates), optional TTL, CPU and
// memory overrides → POST /sandboxes (spec §3.1), then straight to the new sandbox's page.
import { useEffect, useState } from 'preact/hooks';
import { get, post } from '../lib/api.js';
import { navigate } from '../lib/route.js';
import { createBody } from '../lib/sandbox-model.js';
import { ErrorBox, Field, Loading } from '../lib/ui.jsx';

export function SandboxCreate({ initialTemplate, onCancel }) {
  const [templates, setTemplates] = useState(undefined);
  const [loadError, setLoadError] = useState(null);
  const [form, setForm] = useState({ template: initialTemplate || '', ttl: '', cpu: '', memory: '' });
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    get('/templates', { pageSize: 100 })
      .then((page) => {
        if (!live) return;
        const items = (page && page.items) || [];
        setTemplates(items);
        // A select shows its first option; keep the state in step so submit sends what is shown.
        setForm((f) => (f.template && items.some((t) => t.name === f.template) ? f : { ...f, template: items[0] ? items[0].name : '' }));
      })
      .catch((e) => live && setLoadError(e));
    return () => { live = false; };
  }, []);

  const set = (k) => (e) => setForm({ ...form, [k]: e.currentTarget.value });
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    let body;
    try { body = createBody(form); } catch (err) { setError(err); return; }
    setBusy(true);
    try {
      const s = await post('/sandboxes', body);
      navigate(`/sandboxes/${encodeURIComponent(s.id)}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  if (loadError) return <div class="card"><ErrorBox error={loadError} /></div>;
  if (templates === undefined) return <div class="card"><Loading /></div>;
  return (
    <form class="card" onSubmit={submit} aria-label="New sandbox">
      <h2>New sandbox</h2>
      {!templates.length && <p class="sbx-muted">No templates yet: <a href="#/templates/new">create one</a> first.</p>}
      <div class="sbx-form-row">
        <Field label="Template">
          <select data-testid="sandbox-create-template" value={form.template} required onChange={set('template')}>
            {templates.map((t) => <option key={t.name} value={t.name}>{t.name}</option>)}
          </select>
        </Field>
        <Field label="TTL (seconds)" hint="Empty: the template's. 0: never expires.">
          <input data-testid="sandbox-create-ttl" type="number" min="0" step="1" inputMode="numeric" value={form.ttl} onInput={set('ttl')} />
        </Field>
        <Field label="CPU" hint="Empty: the template's, e.g. 500m">
          <input data-testid="sandbox-create-cpu" value={form.cpu} onInput={set('cpu')} autoComplete="off" />
        </Field>
        <Field label="Memory" hint="Empty: the template's, e.g. 512Mi">
          <input data-testid="sandbox-create-memory" value={form.memory} onInput={set('memory')} autoComplete="off" />
        </Field>
      </div>
      <ErrorBox error={error} />
      <div class="toolbar">
        <button type="submit" class="primary" data-testid="sandbox-create-submit" disabled={busy || !templates.length}>
          {busy ? 'Creating…' : 'Create'}
        </button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
