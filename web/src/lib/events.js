// Live updates: one EventSource on GET /api/v1/events (text/event-stream, fed by the API's
// informers; docs/console.md). Events: `sandbox` (data: the Sandbox as GET /sandboxes/{id} returns
// it without token, or {"id","status":"deleted"} once it is gone) and `prepull` (data: the pre-pull
// as GET /images/prepull/{id}). EventSource reconnects by itself; onOpen lets a page reload its
// list after a gap so nothing missed while disconnected stays stale.
import { useEffect, useRef } from 'preact/hooks';
import { BASE } from './api.js';

let source = null;
const listeners = new Set();

function ensure() {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource(`${BASE}/events`);
  for (const type of ['sandbox', 'prepull']) {
    source.addEventListener(type, (e) => {
      let data;
      try { data = JSON.parse(e.data); } catch { return; }
      for (const l of listeners) l[type]?.(data);
    });
  }
  source.onopen = () => { for (const l of listeners) l.onOpen?.(); };
}

/** Closes the stream (logout). */
export function closeEvents() {
  if (source) source.close();
  source = null;
}

/** useEvents({ sandbox(s), prepull(p), onOpen() }) — handlers may change between renders. */
export function useEvents(handlers) {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const l = {
      sandbox: (d) => ref.current.sandbox?.(d),
      prepull: (d) => ref.current.prepull?.(d),
      onOpen: () => ref.current.onOpen?.(),
    };
    listeners.add(l);
    ensure();
    return () => listeners.delete(l);
  }, []);
}
