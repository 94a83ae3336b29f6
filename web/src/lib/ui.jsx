// Small shared pieces every page uses: loading a resource, running an action, and the
// empty/error/status widgets. Pages stay thin; the API's own error message is always what shows.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { notifyError } from './notify.jsx';

/** const { data, error, loading, reload, setData } = useLoad(() => get('/x'), [deps]) */
export function useLoad(fn, deps = []) {
  const [state, setState] = useState({ data: undefined, error: null, loading: true });
  const seq = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await fn();
      if (mine === seq.current) setState({ data, error: null, loading: false });
    } catch (error) {
      if (mine === seq.current) setState((s) => ({ data: s.data, error, loading: false }));
    }
  }, deps); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => { reload(); }, [reload]);
  const setData = (f) => setState((s) => ({ ...s, data: typeof f === 'function' ? f(s.data) : f }));
  return { ...state, reload, setData };
}

/** Runs an action; an error becomes a toast (and is returned as undefined). */
export async function run(fn, { onError } = {}) {
  try {
    return await fn();
  } catch (e) {
    if (onError) onError(e); else notifyError(e.message || String(e));
    return undefined;
  }
}

export function ErrorBox({ error, testid = 'error' }) {
  if (!error) return null;
  return <div class="error-box" role="alert" data-testid={testid}>{error.message || String(error)}</div>;
}

export function Empty({ children, testid = 'empty' }) {
  return <div class="empty" data-testid={testid}>{children}</div>;
}

export function Loading() { return <div class="loading" aria-busy="true">Loading…</div>; }

const STATUS_CLASS = {
  running: 'ok', ready: 'ok', completed: 'ok', succeeded: 'ok', bound: 'ok',
  pending: 'wait', creating: 'wait', starting: 'wait', terminating: 'wait', restarting: 'wait', waking: 'wait',
  stopped: 'idle', suspended: 'idle', deleted: 'idle',
  failed: 'bad', lost: 'bad', error: 'bad', unknown: 'bad', orphan_pvc: 'bad', dangling_metadata: 'bad',
};

export function StatusBadge({ status, testid }) {
  const s = status || 'unknown';
  return <span class={`badge badge-${STATUS_CLASS[s] || 'wait'}`} data-testid={testid}>{s}</span>;
}

/** A destructive button that asks once, inline (keyboard friendly, no window.confirm). */
export function ConfirmButton({ label, confirmLabel = 'Confirm', onConfirm, testid, class: cls = 'danger', disabled }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking) {
    return <button type="button" class={cls} data-testid={testid} disabled={disabled} onClick={() => setAsking(true)}>{label}</button>;
  }
  return (
    <span class="confirm">
      <button type="button" class="danger" data-testid="confirm-ok" disabled={busy} autoFocus
        onClick={async () => { setBusy(true); try { await onConfirm(); } finally { setBusy(false); setAsking(false); } }}>
        {confirmLabel}
      </button>
      <button type="button" data-testid="confirm-cancel" onClick={() => setAsking(false)}>Cancel</button>
    </span>
  );
}

export function Field({ label, children, hint, error }) {
  return (
    <label class="field">
      <span class="field-label">{label}</span>
      {children}
      {hint && <span class="field-hint">{hint}</span>}
      {error && <span class="field-error" role="alert">{error}</span>}
    </label>
  );
}

/** Re-renders every `ms` (countdowns). */
export function useTick(ms = 1000) {
  const [, set] = useState(0);
  useEffect(() => {
    const t = setInterval(() => set((n) => n + 1), ms);
    return () => clearInterval(t);
  }, [ms]);
}
