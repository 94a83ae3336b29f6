// Unit tests of lib/frames.js, the interactive-exec frame codec (upstream-api.md §4).
import test from 'node:test';
import assert from 'node:assert/strict';
import { decode, input, resize, terminalUrl } from '../src/lib/frames.js';

test('client frames', () => {
  assert.deepEqual(JSON.parse(input('ls\r')), { type: 'input', data: 'ls\r' });
  assert.deepEqual(JSON.parse(resize(120, 40)), { type: 'resize', cols: 120, rows: 40 });
});

test('output frames', () => {
  assert.deepEqual(decode('{"type":"output","data":"hi\\r\\n"}'), { kind: 'output', data: 'hi\r\n' });
  assert.deepEqual(decode('{"type":"output"}'), { kind: 'output', data: '' });
});

test('exit without exitCode is 0; with it, the code', () => {
  assert.deepEqual(decode('{"type":"exit"}'), { kind: 'exit', code: 0 });
  assert.deepEqual(decode('{"type":"exit","exitCode":3}'), { kind: 'exit', code: 3 });
});

test('an error frame means exit code 1', () => {
  assert.deepEqual(decode('{"type":"error","message":"boom"}'), { kind: 'error', message: 'boom', code: 1 });
  assert.equal(decode('{"type":"error"}').code, 1);
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
