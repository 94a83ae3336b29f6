// Terminal tab: xterm.js on the interactive-exec WebSocket (spec §4; codec in lib/frames.js).
// The browser sends the session cookie with the upgrade. Keystrokes go as `input` frames, size
// changes (window resize, the box resizing) as `resize`; `output` is written to the screen and
// `exit` ends the terminal.
//
// The shell runs as a session inside the sandbox (docs/sessions.md), so it outlives its socket: a
// connection that ends without `exit` (dropped network, a draining API pod's 1012) is reattached
// with the session's id and the cursor after the last output written, and the replay continues the
// same screen with nothing missed and nothing twice. A sandbox created before sessions existed gets
// the plain terminal, tied to its socket as upstream's. Everything is torn down on unmount or when
// the tab changes, without killing the session: it ends when its shell exits or after the server's
// idle timeout with nobody attached.
import { useEffect, useRef, useState } from 'preact/hooks';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import * as frames from '../lib/frames.js';

// No pod to attach to in these states: connecting would only earn a refused upgrade (which the
// browser logs as an error). The session starts by itself once the sandbox is started again.
const NO_POD = ['stopped', 'terminating', 'deleted'];
// Reattach with growing delays (frames.retryDelay) for about two minutes; then `closed` and the button.
const RETRY_FOR = 120000;
const LIVE = ['connecting', 'connected', 'reconnecting'];

export function SandboxTerminal({ id, s }) {
  const host = useRef(null);
  const resume = useRef(null); // reattaches the session on screen; null when there is none to reattach
  const blocked = !!(s && NO_POD.includes(s.status));
  const [state, setState] = useState('connecting');
  const [session, setSession] = useState(null);
  const [attempt, setAttempt] = useState(0);
  const ended = !LIVE.includes(state);

  useEffect(() => {
    const term = new Terminal({ cursorBlink: true, fontSize: 13, scrollback: 5000, fontFamily: 'ui-monospace, Menlo, Consolas, monospace' });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(host.current);
    const refit = () => { try { fit.fit(); } catch { /* hidden or detached box: keep the old size */ } };
    refit();
    setSession(null);

    if (blocked) {
      setState('closed');
      term.write(`[the sandbox is ${s.status}]\r\n`);
      return () => term.dispose();
    }
    let ws = null;
    let sid = null;       // the session's id once the server named it; null again once it is over
    let cursor;           // where a reattach continues: after the last output written
    let plain = false;    // the sandbox has no sessions: the upstream terminal
    let over = false;     // exit or a final error: no close changes the state any more
    let retry = null;     // while reattaching: { tries, until }
    let timer = null;
    const send = (frame) => { if (ws && ws.readyState === WebSocket.OPEN) ws.send(frame); };
    const end = (text) => { over = true; sid = null; setState(text); };
    // Closing a socket still connecting makes the browser log an error; close it once it opens.
    const drop = (sock) => {
      sock.onopen = sock.onmessage = sock.onerror = sock.onclose = null;
      if (sock.readyState === WebSocket.CONNECTING) sock.onopen = () => sock.close();
      else sock.close();
    };
    const later = () => {
      const now = Date.now();
      retry = retry || { tries: 0, until: now + RETRY_FOR };
      if (now >= retry.until) { retry = null; setState('closed'); return; } // the button still reattaches
      setState('reconnecting');
      timer = setTimeout(connect, frames.retryDelay(retry.tries++));
    };

    const connect = () => {
      const where = plain ? {} : { session: sid || 'new', cursor };
      const sock = ws = new WebSocket(frames.terminalUrl(window.location, id, { cols: term.cols, rows: term.rows, ...where }));
      let attached = false; // this socket got its `session` frame
      sock.onopen = () => { setState('connected'); send(frames.resize(term.cols, term.rows)); term.focus(); };
      sock.onmessage = (e) => {
        const f = frames.decode(typeof e.data === 'string' ? e.data : '');
        if (f.kind === 'session') {
          attached = true;
          sid = f.id;
          retry = null;
          if (f.cursor !== undefined) cursor = f.cursor; // the replay starts there
          setSession(f.id);
          if (f.dropped > 0) term.write(`\r\n[${f.dropped} bytes of output were lost]\r\n`);
        } else if (f.kind === 'output') {
          term.write(f.data);
          if (f.cursor !== undefined) cursor = f.cursor;
        } else if (f.kind === 'exit') {
          end(`exited ${f.code}`);
          term.write(`\r\n[process exited with code ${f.code}]\r\n`);
        } else if (f.kind === 'error') {
          if (!sid && !plain && f.message.includes('no session support')) {
            plain = true; // the pod has no session helper: the terminal works as before sessions
            drop(sock);
            setState('connecting');
            connect();
          } else if (attached && f.message.startsWith('session stream ended')) {
            // The bridge to the sandbox broke after attaching; the shell still runs: the close
            // that follows reattaches. (Before the `session` frame it is a refused attach: final.)
          } else {
            end(`error: ${f.message} (exit ${f.code})`);
            term.write(`\r\n[error: ${f.message}]\r\n`);
          }
        }
      };
      // For a session, the close that follows decides (it reattaches); before one, as upstream.
      sock.onerror = () => { if (!sid && !over) end('error: the connection failed'); };
      sock.onclose = (e) => {
        if (over) return;
        const next = frames.afterClose(e.code, { session: sid, plain });
        if (next === 'retry') later();
        else if (next === 'closed') end('closed');
        else setState(next); // attached elsewhere: the button takes it back
      };
    };
    setState('connecting');
    connect();
    resume.current = () => {
      if (!sid) return false;
      retry = null;
      clearTimeout(timer);
      setState('reconnecting');
      connect();
      return true;
    };

    const data = term.onData((d) => send(frames.input(d)));
    const size = term.onResize(({ cols, rows }) => send(frames.resize(cols, rows)));
    window.addEventListener('resize', refit);
    const observer = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(refit) : null;
    if (observer) observer.observe(host.current);

    return () => {
      resume.current = null;
      clearTimeout(timer);
      window.removeEventListener('resize', refit);
      if (observer) observer.disconnect();
      data.dispose();
      size.dispose();
      drop(ws); // detaches only: the session stays until its idle timeout
      term.dispose();
    };
  }, [id, attempt, blocked]); // eslint-disable-line react-hooks/exhaustive-deps

  // Reattach the session on screen (after a takeover or a give-up) on the same screen; after an
  // exit, an error or without a session, a new terminal (a new shell).
  const reconnect = () => { if (!(resume.current && resume.current())) setAttempt(attempt + 1); };

  return (
    <div class="card">
      <div class="toolbar">
        <span>Shell <code>sh</code>: <strong data-testid="terminal-state" data-session={session || undefined} aria-live="polite">{state}</strong></span>
        {blocked && <span class="sbx-muted">The sandbox is {s.status}: no pod to attach to.</span>}
        <span class="spacer" />
        {ended && !blocked && <button type="button" data-testid="terminal-reconnect" onClick={reconnect}>Reconnect</button>}
      </div>
      <div class="sbx-terminal" ref={host} data-testid="terminal" />
    </div>
  );
}
