// Unit tests of lib/frames.js, the interactive-exec frame codec (upstream-api.md §4).
import test from 'node:test';
import assert from 'node:assert/strict';
import { afterClose, decode, input, resize, retryDelay, terminalUrl } from '../src/lib/frames.js';

test('client frames', () => {
  assert.deepEqual(JSON.parse(input('ls\r')), { type: 'input', data: 'ls\r' });
  assert.deepEqual(JSON.parse(resize(120, 40)), { type: 'resize', cols: 120, rows: 40 });
});

test('output frames', () => {
  assert.deepEqual(decode('{"type":"output","data":"hi\\r\\n"}'), { kind: 'output', data: 'hi\r\n' });
  assert.deepEqual(decode('{"type":"output"}'), { kind: 'output', data: '' });
});

test('output of a session carries its cursor; an invalid cursor is left out, the data kept', () => {
  assert.deepEqual(decode('{"type":"output","data":"ab","cursor":1026}'), { kind: 'output', data: 'ab', cursor: 1026 });
  assert.equal(decode('{"type":"output","data":"","cursor":0}').cursor, 0);
  for (const c of ['-1', '1.5', '"7"', 'null', '1e300', 'true']) {
    assert.deepEqual(decode(`{"type":"output","data":"x","cursor":${c}}`), { kind: 'output', data: 'x' }, c);
  }
});

test('session frames', () => {
  assert.deepEqual(decode('{"type":"session","session":"3f2a9c01d4e5b6a7","pid":42,"cursor":512,"dropped":100}'),
    { kind: 'session', id: '3f2a9c01d4e5b6a7', pid: 42, cursor: 512, dropped: 100 });
  // Zero fields may be left out by the server: a new session starts at 0 with nothing dropped.
  assert.deepEqual(decode('{"type":"session","session":"s_1-x","pid":7}'), { kind: 'session', id: 's_1-x', pid: 7, cursor: 0, dropped: 0 });
  const odd = decode('{"type":"session","session":"abc","pid":"7","cursor":-3,"dropped":"lots"}');
  assert.deepEqual(odd, { kind: 'session', id: 'abc', pid: undefined, cursor: undefined, dropped: 0 });
});

test('a session frame without a usable id is ignored', () => {
  for (const id of [undefined, null, 42, '', '-rf', 'a b', 'a/b', '../x', 'x'.repeat(65), ['a']]) {
    const frame = JSON.stringify({ type: 'session', session: id, pid: 1, cursor: 0, dropped: 0 });
    assert.deepEqual(decode(frame), { kind: 'ignore' }, frame);
  }
  assert.equal(decode(JSON.stringify({ type: 'session', session: 'x'.repeat(64) })).kind, 'session');
});

test('exit without exitCode is 0; with it, the code', () => {
  assert.deepEqual(decode('{"type":"exit"}'), { kind: 'exit', code: 0 });
  assert.deepEqual(decode('{"type":"exit","exitCode":3}'), { kind: 'exit', code: 3 });
});

test('an error frame means exit code 1', () => {
  assert.deepEqual(decode('{"type":"error","message":"boom"}'), { kind: 'error', message: 'boom', code: 1 });
  assert.equal(decode('{"type":"error"}').code, 1);
  assert.equal(decode('{"type":"error","message":42}').message, '42'); // always a string to match on
});

test('invalid JSON and unknown types are ignored', () => {
  for (const t of ['not json', '', 'null', '42', '"x"', '{"type":"ping"}', '{}']) assert.equal(decode(t).kind, 'ignore', t);
});

test('terminalUrl over http, https and a sub-path', () => {
  const http = terminalUrl({ protocol: 'http:', host: 'localhost:8080', pathname: '/' }, 'ab12cd34', { cols: 100, rows: 30 });
  assert.equal(http, 'ws://localhost:8080/api/v1/sandboxes/ab12cd34/exec/interactive?command=sh&tty=true&cols=100&rows=30');
  const https = terminalUrl({ protocol: 'https:', host: 'lbx.example.com', pathname: '/index.html' }, 'ab12cd34');
  assert.equal(https, 'wss://lbx.example.com/api/v1/sandboxes/ab12cd34/exec/interactive?command=sh&tty=true&cols=80&rows=24');
  const sub = terminalUrl({ protocol: 'https:', host: 'h', pathname: '/console/liteboxd/' }, 'x', { command: ['bash', '-l'] });
  assert.equal(sub, 'wss://h/console/liteboxd/api/v1/sandboxes/x/exec/interactive?command=bash&command=-l&tty=true&cols=80&rows=24');
});

test('terminalUrl with a session: new, then reattach with the cursor', () => {
  const loc = { protocol: 'https:', host: 'h', pathname: '/' };
  const base = 'wss://h/api/v1/sandboxes/x/exec/interactive?command=sh&tty=true&cols=100&rows=30';
  assert.equal(terminalUrl(loc, 'x', { cols: 100, rows: 30, session: 'new' }), base + '&session=new');
  assert.equal(terminalUrl(loc, 'x', { cols: 100, rows: 30, session: 'ab12', cursor: 4096 }), base + '&session=ab12&cursor=4096');
  assert.equal(terminalUrl(loc, 'x', { cols: 100, rows: 30, session: 'ab12', cursor: 0 }), base + '&session=ab12&cursor=0');
  // No usable cursor: the server replays from the oldest byte it still has.
  for (const cursor of [undefined, null, -1, 1.5, '12']) {
    assert.equal(terminalUrl(loc, 'x', { cols: 100, rows: 30, session: 'ab12', cursor }), base + '&session=ab12', String(cursor));
  }
});

test('terminalUrl without a session is the upstream URL, whatever cursor is passed', () => {
  const loc = { protocol: 'http:', host: 'localhost:8080', pathname: '/' };
  const upstream = 'ws://localhost:8080/api/v1/sandboxes/ab12cd34/exec/interactive?command=sh&tty=true&cols=80&rows=24';
  assert.equal(terminalUrl(loc, 'ab12cd34', {}), upstream);
  assert.equal(terminalUrl(loc, 'ab12cd34', { session: undefined, cursor: 10 }), upstream);
  assert.equal(terminalUrl(loc, 'ab12cd34', { session: null }), upstream);
});

test('after a close without exit: a session is reattached unless taken over', () => {
  for (const code of [1000, 1001, 1006, 1011, 1012]) assert.equal(afterClose(code, { session: 'ab12', plain: false }), 'retry', code);
  assert.equal(afterClose(4001, { session: 'ab12', plain: false }), 'attached elsewhere');
  // No session named yet: only a draining pod's refusal is asked again; the plain terminal never.
  assert.equal(afterClose(1012, { session: null, plain: false }), 'retry');
  for (const code of [1000, 1001, 1006, 4001]) assert.equal(afterClose(code, { session: null, plain: false }), 'closed', code);
  for (const code of [1000, 1006, 1012, 4001]) assert.equal(afterClose(code, { session: null, plain: true }), 'closed', code);
});

test('retry delays double from 0.5 s up to 5 s', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 30].map(retryDelay), [500, 1000, 2000, 4000, 5000, 5000, 5000]);
});
