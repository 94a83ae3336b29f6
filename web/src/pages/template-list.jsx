// Templates: GET /templates?search=&page=&pageSize= (newest first, each with its latest spec).
// The search and page live in the address (#/templates?search=py&page=2) so a filtered list can
// be bookmarked; typing applies the search after a short pause, Enter applies it at once.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get } from '../lib/api.js';
import { formatTime } from '../lib/format.js';
import { navigate } from '../lib/route.js';
import { Empty, ErrorBox, Loading, run, useLoad } from '../lib/ui.jsx';
import { Pager, download, pageOf, rowLink, useDebounced } from './admin.jsx';
import { TemplateImport } from './template-import.jsx';

const PAGE_SIZE = 20;

function Row({ t }) {
  const name = t.name;
  const href = `#/templates/${encodeURIComponent(name)}`;
  return (
    <tr data-testid={`template-row-${name}`} class="adm-rowlink" onClick={rowLink(href)}>
      <td><a href={href} data-testid={`template-link-${name}`}>{name}</a>
        {t.displayName && <div class="adm-muted">{t.displayName}</div>}</td>
      <td class="mono adm-wrap">{t.spec && t.spec.image}</td>
      <td>v{t.latestVersion}</td>
      <td>{(t.tags || []).map((tag) => <span key={tag} class="adm-tag">{tag}</span>)}</td>
      <td class="adm-wrap">{t.description}</td>
      <td>{formatTime(t.updatedAt)}</td>
    </tr>
  );
}

export function TemplateList({ query = {} }) {
  const search = query.search || '';
  const page = pageOf(query.page);
  const [text, setText] = useState(search);
  const [exporting, setExporting] = useState(false);
  const box = useRef(null);
  const { data, error, loading, reload } = useLoad(
    () => get('/templates', { search: search || undefined, page, pageSize: PAGE_SIZE }), [search, page]);

  // Back/forward changes the search: show it, unless the user is typing in the box right now.
  useEffect(() => {
    if (document.activeElement !== box.current) setText(search);
  }, [search]);

  const apply = (value, p) => navigate('/templates', { search: value.trim() || undefined, page: p > 1 ? p : undefined });
  const applySoon = useDebounced((value) => { if (value.trim() !== search) apply(value, 1); });

  const exportAll = async () => {
    setExporting(true);
    await run(() => download('/templates/export', 'templates.yaml'));
    setExporting(false);
  };

  const items = (data && data.items) || [];
  return (
    <section>
      <div class="toolbar">
        <h1>Templates</h1>
        <span class="spacer" />
        <button type="button" data-testid="template-export-all" disabled={exporting} onClick={exportAll}>
          {exporting ? 'Exporting…' : 'Export all'}</button>
        <a class="btn primary" href="#/templates/new" data-testid="template-create">New template</a>
      </div>
      <form class="adm-filters" role="search" onSubmit={(e) => { e.preventDefault(); applySoon.cancel(); apply(text, 1); }}>
        <label class="field">
          <span class="field-label">Search name, display name or description</span>
          <input ref={box} type="search" data-testid="template-search" value={text}
            onInput={(e) => { setText(e.currentTarget.value); applySoon(e.currentTarget.value); }} />
        </label>
        <button type="submit">Search</button>
      </form>
      <ErrorBox error={error} />
      {data === undefined && loading && <Loading />}
      {data !== undefined && !items.length && (
        <Empty>{search ? `No template matches “${search}”.` : 'No templates yet. Create one with “New template” or import a YAML file.'}</Empty>
      )}
      {items.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead><tr><th>Name</th><th>Image</th><th>Version</th><th>Tags</th><th>Description</th><th>Updated</th></tr></thead>
            <tbody>{items.map((t) => <Row key={t.name} t={t} />)}</tbody>
          </table>
        </div>
      )}
      {data && <Pager total={data.total} page={data.page || page} size={data.pageSize || PAGE_SIZE} onPage={(p) => apply(search, p)} />}
      {/* Always shown (not behind a toggle): picking a file is the whole action. */}
      <TemplateImport onImported={reload} />
    </section>
  );
}
