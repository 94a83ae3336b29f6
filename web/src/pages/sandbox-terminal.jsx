// Terminal tab: xterm.js on the interactive-exec WebSocket (spec §4; codec in lib/frames.js).
// The browser sends the session cookie with the upgrade. Keystrokes go as `input` frames, size
// changes (window resize, the box resizing) as `resize`; `output` is written to the screen and
// `exit` ends the session. Everything is torn down on unmount or when the tab changes.
import { useEffect, useRef, useState } from 'preact/hooks';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import * as frames from '../lib/frames.js';

// No pod to attach to in these states: connecting would only earn a refused upgrade (which the
// browser logs as an error). The session starts by itself once the sandbox is started again.
const NO_POD = ['stopped', 'terminating', 'deleted'];

export function SandboxTerminal({ id, s }) {
  const host = useRef(null);
  const blocked = !!(s && NO_POD.includes(s.status));
  const [state, setState] = useState('connecting');
  const [attempt, setAttempt] = useState(0);
  const ended = state !== 'connecting' && state !== 'connected';

  useEffect(() => {
    const term = new Terminal({ cursorBlink: true, fontSize: 13, scrollback: 5000, fontFamily: 'ui-monospace, Menlo, Consolas, monospace' });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(host.current);
    const refit = () => { try { fit.fit(); } catch { /* hidden or detached box: keep the old size */ } };
    refit();

    if (blocked) {
      setState('closed');
      term.write(`[the sandbox is ${s.status}]\r\n`);
      return () => term.dispose();
    }
    let done = false; // after exit, a close or error of the socket does not change the state
    const finish = (text) => { if (!done) { done = true; setState(text); } };
    setState('connecting');
    const ws = new WebSocket(frames.terminalUrl(window.location, id, { cols: term.cols, rows: term.rows }));
    const send = (frame) => { if (ws.readyState === WebSocket.OPEN) ws.send(frame); };
    ws.onopen = () => { setState('connected'); send(frames.resize(term.cols, term.rows)); term.focus(); };
    ws.onmessage = (e) => {
      const f = frames.decode(typeof e.data === 'string' ? e.data : '');
      if (f.kind === 'output') term.write(f.data);
      else if (f.kind === 'exit') { finish(`exited ${f.code}`); term.write(`\r\n[process exited with code ${f.code}]\r\n`); }
      else if (f.kind === 'error') { finish(`error: ${f.message} (exit ${f.code})`); term.write(`\r\n[error: ${f.message}]\r\n`); }
    };
    ws.onerror = () => finish('error: the connection failed');
    ws.onclose = () => finish('closed');

    const data = term.onData((d) => send(frames.input(d)));
    const size = term.onResize(({ cols, rows }) => send(frames.resize(cols, rows)));
    window.addEventListener('resize', refit);
    const observer = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(refit) : null;
    if (observer) observer.observe(host.current);

    return () => {
      done = true;
      window.removeEventListener('resize', refit);
      if (observer) observer.disconnect();
      data.dispose();
      size.dispose();
      ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
      // Closing a socket still connecting makes the browser log an error; close it once it opens.
      if (ws.readyState === WebSocket.CONNECTING) ws.onopen = () => ws.close();
      else ws.close();
      term.dispose();
    };
  }, [id, attempt, blocked]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <div class="card">
      <div class="toolbar">
        <span>Shell <code>sh</code>: <strong data-testid="terminal-state" aria-live="polite">{state}</strong></span>
        {blocked && <span class="sbx-muted">The sandbox is {s.status}: no pod to attach to.</span>}
        <span class="spacer" />
        {ended && !blocked && <button type="button" data-testid="terminal-reconnect" onClick={() => setAttempt(attempt + 1)}>Reconnect</button>}
      </div>
      <div class="sbx-terminal" ref={host} data-testid="terminal" />
    </div>
  );
}
