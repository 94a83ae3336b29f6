// The warm-pool tab (docs/pools.md): GET/PUT/DELETE /templates/{name}/pool. A 404 is the normal
// "this template has no pool" (POOL_NOT_FOUND), shown as an empty state with the form to make
// one. While a pool exists its figures are read again every 5 s: Ready pods appear as the
// controller starts them.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, del, get, put } from '../lib/api.js';
import { notifyOk } from '../lib/notify.jsx';
import { Empty, ErrorBox, Field, Loading } from '../lib/ui.jsx';
import { POOL_MAX, validatePool } from '../lib/template-model.js';
import './admin.css';

const POLL_MS = 5000;

async function readPool(path) {
  try {
    return await get(path);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404 && e.code !== 'TEMPLATE_NOT_FOUND') return null;
    throw e;
  }
}

function Figures({ pool }) {
  const ratio = pool.hitRatio === null || pool.hitRatio === undefined ? '–' : `${Math.round(pool.hitRatio * 1000) / 10} %`;
  return (
    <dl class="props adm-pool-figures">
      <dt>Ready pods</dt><dd><strong data-testid="pool-ready">{pool.ready}</strong></dd>
      <dt>Starting</dt><dd data-testid="pool-starting">{pool.starting}</dd>
      <dt>Kept (desired)</dt><dd data-testid="pool-desired">{pool.desired ?? 'not reported yet'}</dd>
      <dt>Bounds</dt><dd>min {pool.min}, max {pool.max}</dd>
      <dt>Hit ratio</dt>
      <dd>{ratio}{pool.hits !== null && pool.hits !== undefined && ` (${pool.hits} served, ${pool.misses} missed over ${pool.windowSeconds ?? '?'} s)`}</dd>
      <dt>Pods of version</dt><dd>{pool.templateVersion}</dd>
    </dl>
  );
}

export function TemplatePool({ name, t }) {
  const path = `/templates/${encodeURIComponent(name)}/pool`;
  const [pool, setPool] = useState(undefined); // undefined: loading; null: no pool
  const [loadError, setLoadError] = useState(null);
  const [min, setMin] = useState('');
  const [max, setMax] = useState('');
  const [errors, setErrors] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const persistent = !!(t.spec && t.spec.persistence && t.spec.persistence.enabled);

  const fill = (p) => {
    const declared = t.spec && t.spec.pool;
    const src = p || declared || { min: 1 };
    setMin(String(src.min ?? ''));
    setMax(src.max === undefined || src.max === null ? '' : String(src.max));
  };

  useEffect(() => {
    let live = true;
    readPool(path)
      .then((p) => { if (live) { setPool(p); fill(p); } })
      .catch((e) => { if (live) { setPool(null); setLoadError(e); } });
    return () => { live = false; };
  }, [name]);

  // Poll only while a pool exists (no repeated 404s for a template without one).
  const exists = !!pool;
  useEffect(() => {
    if (!exists) return undefined;
    const timer = setInterval(() => {
      readPool(path).then((p) => setPool(p)).catch(() => { /* keep the last figures; the next tick retries */ });
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [exists, name]);

  const save = async (e) => {
    e.preventDefault();
    const checked = validatePool(min, max);
    setErrors(checked.errors || {});
    if (checked.errors) return;
    setBusy(true);
    setError(null);
    try {
      const p = await put(path, checked.value);
      setPool(p);
      fill(p);
      setLoadError(null);
      notifyOk(`Pool of ${name}: min ${p.min}, max ${p.max}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await del(path);
      setPool(null);
      notifyOk(`Removed the pool of ${name}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (pool === undefined) return <Loading />;
  return (
    <div>
      <ErrorBox error={loadError} />
      {pool ? <div class="card"><Figures pool={pool} /></div> : !loadError && (
        <Empty>This template has no warm pool: every sandbox starts its own pod.</Empty>
      )}
      {persistent && <p class="adm-note">A persistent template cannot have a pool (its pod belongs to its volume).</p>}
      <form class="card" onSubmit={save} noValidate>
        <h2>{pool ? 'Resize the pool' : 'Keep a warm pool'}</h2>
        <p class="adm-muted">Ready pods wait for creates, which then answer at once. Setting a new pool also pre-pulls the image.</p>
        <div class="adm-row">
          <Field label="Min Ready pods" error={errors.min} hint="Always kept ready">
            <input data-testid="pool-min" type="number" inputMode="numeric" min="0" max={POOL_MAX} step="1" required
              value={min} aria-invalid={!!errors.min} onInput={(e) => setMin(e.currentTarget.value)} />
          </Field>
          <Field label="Max pods" error={errors.max} hint={`Up to ${POOL_MAX}; empty = min`}>
            <input data-testid="pool-max" type="number" inputMode="numeric" min="0" max={POOL_MAX} step="1"
              value={max} aria-invalid={!!errors.max} onInput={(e) => setMax(e.currentTarget.value)} />
          </Field>
        </div>
        <ErrorBox error={error} testid="pool-error" />
        <div class="adm-row">
          <button type="submit" class="primary" data-testid="pool-save" disabled={busy}>{busy ? 'Saving…' : pool ? 'Save' : 'Create pool'}</button>
          {/* No confirmation step (the brief asks for one only on template delete, rollback and key
              revoke): a removed pool is made again with Save. */}
          {pool && <button type="button" class="danger" data-testid="pool-delete" disabled={busy} onClick={remove}>Remove pool</button>}
        </div>
      </form>
    </div>
  );
}
