// The template's overview tab: its metadata and the latest version's spec as read-only YAML
// (the same form the editor and the versions diff use). Sandboxes start from here.
import { formatTime } from '../lib/format.js';
import { specToYaml } from '../lib/template-model.js';
import './admin.css';

export function TemplateOverview({ t }) {
  const spec = t.spec || {};
  return (
    <div>
      <div class="card">
        <dl class="props">
          <dt>Display name</dt><dd>{t.displayName || '–'}</dd>
          <dt>Description</dt><dd>{t.description || '–'}</dd>
          <dt>Tags</dt><dd>{(t.tags || []).length ? t.tags.map((tag) => <span key={tag} class="adm-tag">{tag}</span>) : '–'}</dd>
          <dt>Image</dt><dd class="mono">{spec.image || '–'}</dd>
          <dt>Latest version</dt><dd>{t.latestVersion}</dd>
          <dt>ID</dt><dd class="mono">{t.id}</dd>
          <dt>Created</dt><dd>{formatTime(t.createdAt)}</dd>
          <dt>Updated</dt><dd>{formatTime(t.updatedAt)}</dd>
        </dl>
        <p><a href={`#/sandboxes?template=${encodeURIComponent(t.name)}`} data-testid="template-new-sandbox">Start a sandbox from this template</a></p>
      </div>
      <h2 id="template-spec-title">Spec (version {t.latestVersion})</h2>
      <pre data-testid="template-spec" tabIndex={0} aria-labelledby="template-spec-title">{specToYaml(spec)}</pre>
    </div>
  );
}
