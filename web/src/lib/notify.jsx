// Toasts for results of actions (errors stay until dismissed; successes fade). One list per app.
import { useEffect, useState } from 'preact/hooks';

let push = () => {};
let next = 1;

export function notifyError(message) { push({ kind: 'error', message: String(message) }); }
export function notifyOk(message) { push({ kind: 'ok', message: String(message) }); }

export function Toasts() {
  const [items, setItems] = useState([]);
  useEffect(() => {
    push = (t) => {
      const id = next++;
      setItems((xs) => [...xs, { ...t, id }]);
      if (t.kind === 'ok') setTimeout(() => setItems((xs) => xs.filter((x) => x.id !== id)), 4000);
    };
    return () => { push = () => {}; };
  }, []);
  return (
    <div class="toasts" role="status" aria-live="polite">
      {items.map((t) => (
        <div key={t.id} class={`toast toast-${t.kind}`} data-testid={`toast-${t.kind}`}>
          <span>{t.message}</span>
          <button type="button" class="link" aria-label="Dismiss" onClick={() => setItems((xs) => xs.filter((x) => x.id !== t.id))}>×</button>
        </div>
      ))}
    </div>
  );
}
