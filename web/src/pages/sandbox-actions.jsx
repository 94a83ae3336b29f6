// Lifecycle buttons of the detail header: delete for every sandbox; stop, start and restart only
// for persistent ones (spec §3.5), enabled for the states the API accepts them in so a click does
// not just earn a 409. Errors show the server's message as a toast.
import { del, post } from '../lib/api.js';
import { notifyOk } from '../lib/notify.jsx';
import { navigate } from '../lib/route.js';
import { isPersistent } from '../lib/sandbox-model.js';
import { ConfirmButton, run } from '../lib/ui.jsx';

export function SandboxActions({ s, onChanged }) {
  const path = `/sandboxes/${encodeURIComponent(s.id)}`;
  const status = s.status;
  const ended = status === 'terminating' || status === 'deleted';
  const act = (verb) => async () => {
    const res = await run(() => post(`${path}/${verb}`));
    if (res !== undefined) {
      notifyOk((res && res.message) || `${verb} requested`);
      onChanged(); // the answer is only a message: read the new state (events may lag or be off)
    }
  };
  const remove = async () => {
    let ok = false;
    await run(async () => { await del(path); ok = true; });
    if (ok) {
      notifyOk(`Sandbox ${s.id} is being deleted`);
      navigate('/sandboxes');
    }
  };
  return (
    <div class="sbx-actions">
      {isPersistent(s) && (
        <>
          <button type="button" data-testid="sandbox-stop" disabled={ended || status === 'stopped'} onClick={act('stop')}>Stop</button>
          <button type="button" data-testid="sandbox-start" disabled={status !== 'stopped'} onClick={act('start')}>Start</button>
          <button type="button" data-testid="sandbox-restart" disabled={ended || status === 'stopped'} onClick={act('restart')}>Restart</button>
        </>
      )}
      <ConfirmButton label="Delete" confirmLabel={`Delete ${s.id}`} testid="sandbox-delete" disabled={status === 'deleted'} onConfirm={remove} />
    </div>
  );
}
