// One template (#/templates/<name>/<tab>): the header with its actions (edit, export, pre-pull,
// delete) and four tabs, one file each: overview, versions, pool, verify. `#/templates/<name>/edit`
// is the editor (app.jsx routes every `#/templates/<name>/<x>` here, so no extra route is needed).
import { useState } from 'preact/hooks';
import { del, get, post } from '../lib/api.js';
import { notifyOk } from '../lib/notify.jsx';
import { navigate } from '../lib/route.js';
import { ConfirmButton, ErrorBox, Loading, run, useLoad } from '../lib/ui.jsx';
import { download } from './admin.jsx';
import { TemplateEditor } from './template-editor.jsx';
import { TemplateOverview } from './template-overview.jsx';
import { TemplatePool } from './template-pool.jsx';
import { TemplateVerify } from './template-verify.jsx';
import { TemplateVersions } from './template-versions.jsx';

const TABS = [['overview', 'Overview'], ['versions', 'Versions'], ['pool', 'Warm pool'], ['verify', 'Verify isolation']];

export function TemplateDetail({ name, tab = 'overview' }) {
  // A separate component, so switching between editor and tabs never mixes their hooks.
  if (tab === 'edit') return <TemplateEditor name={name} />;
  return <TemplateView name={name} tab={TABS.some(([k]) => k === tab) ? tab : 'overview'} />;
}

function TemplateView({ name, tab }) {
  const path = `/templates/${encodeURIComponent(name)}`;
  const { data: t, error, loading, reload } = useLoad(() => get(path), [name]);
  const [prepull, setPrepull] = useState(null);
  const [prepullError, setPrepullError] = useState(null);
  const [busy, setBusy] = useState('');

  const exportYaml = async () => {
    setBusy('export');
    await run(() => download(`${path}/export`, `${name}.yaml`));
    setBusy('');
  };
  const startPrepull = async () => {
    setBusy('prepull');
    setPrepull(null);
    setPrepullError(null);
    try {
      setPrepull(await post(`${path}/prepull`));
    } catch (e) {
      setPrepullError(e);
    }
    setBusy('');
  };
  const remove = async () => {
    const ok = await run(async () => { await del(path); return true; });
    if (ok) {
      notifyOk(`Deleted template ${name}`);
      navigate('/templates');
    }
  };

  if (t === undefined) {
    return (
      <section>
        <p><a href="#/templates">← Templates</a></p>
        {loading && !error ? <Loading /> : <ErrorBox error={error} />}
      </section>
    );
  }

  const base = `#/templates/${encodeURIComponent(name)}`;
  return (
    <section>
      <p class="adm-crumbs"><a href="#/templates">← Templates</a></p>
      <div class="adm-header">
        <h1 data-testid="template-name" class="mono">{t.name}</h1>
        <span class="adm-muted">Version <strong data-testid="template-version">{t.latestVersion}</strong></span>
        {t.displayName && <span>{t.displayName}</span>}
        <div class="adm-actions">
          <a class="btn" href={`${base}/edit`} data-testid="template-edit">Edit</a>
          <button type="button" data-testid="template-export" disabled={busy === 'export'} onClick={exportYaml}>Export YAML</button>
          <button type="button" data-testid="template-prepull" disabled={busy === 'prepull'} onClick={startPrepull}>
            {busy === 'prepull' ? 'Starting…' : 'Pre-pull image'}</button>
          <ConfirmButton label="Delete" confirmLabel={`Delete ${t.name}`} testid="template-delete" onConfirm={remove} />
        </div>
      </div>
      <ErrorBox error={error} />
      {prepull && (
        <p class="adm-note" role="status" data-testid="template-prepull-started">
          Pre-pull <span class="mono">{prepull.id}</span> of <span class="mono">{prepull.image}</span> is {prepull.status}.{' '}
          <a href="#/prepulls" data-testid="template-prepull-link">Follow it on Pre-pulls</a>
        </p>
      )}
      <ErrorBox error={prepullError} testid="template-prepull-error" />
      <nav class="tabs" aria-label="Template sections">
        {TABS.map(([key, label]) => (
          <a key={key} href={`${base}/${key}`} data-testid={`tab-${key}`} aria-current={tab === key ? 'page' : undefined}>{label}</a>
        ))}
      </nav>
      {tab === 'overview' && <TemplateOverview t={t} />}
      {tab === 'versions' && <TemplateVersions name={name} latest={t.latestVersion} onChanged={reload} />}
      {tab === 'pool' && <TemplatePool name={name} t={t} />}
      {tab === 'verify' && <TemplateVerify name={name} t={t} />}
    </section>
  );
}
