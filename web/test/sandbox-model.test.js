// Unit tests of lib/sandbox-model.js (node --test test/).
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  applySandboxEvent, basename, createBody, execArgv, formatCores, isPersistent, mergeHistory, mergeSandboxEvent,
  oldestId, parsePort, portUrl, progressOf, sortSandboxes, splitArgs, ttlText, uploadTarget,
} from '../src/lib/sandbox-model.js';

test('splitArgs splits on whitespace and honours quotes and escapes', () => {
  assert.deepEqual(splitArgs('echo hello world'), ['echo', 'hello', 'world']);
  assert.deepEqual(splitArgs('  ls   -la\t/tmp  '), ['ls', '-la', '/tmp']);
  assert.deepEqual(splitArgs(`sh -c 'echo $HOME; exit 3'`), ['sh', '-c', 'echo $HOME; exit 3']);
  assert.deepEqual(splitArgs('echo "a \\"b\\" c" d'), ['echo', 'a "b" c', 'd']);
  assert.deepEqual(splitArgs('echo "keep \\n as is"'), ['echo', 'keep \\n as is']);
  assert.deepEqual(splitArgs('a\\ b c'), ['a b', 'c']);
  assert.deepEqual(splitArgs(`x'y'"z"`), ['xyz']);
  assert.deepEqual(splitArgs(`echo '' ""`), ['echo', '', '']);
  assert.deepEqual(splitArgs(''), []);
  assert.deepEqual(splitArgs('   '), []);
});

test('splitArgs refuses unterminated quotes and a trailing backslash', () => {
  assert.throws(() => splitArgs(`echo 'oops`), /single quote/);
  assert.throws(() => splitArgs('echo "oops'), /double quote/);
  assert.throws(() => splitArgs('echo \\'), /backslash/);
});

test('execArgv hands the whole line to sh -c when asked', () => {
  assert.deepEqual(execArgv('echo a | wc -c', true), ['sh', '-c', 'echo a | wc -c']);
  assert.deepEqual(execArgv('echo a | wc -c', false), ['echo', 'a', '|', 'wc', '-c']);
});

const sb = (id, created_at, extra = {}) => ({ id, created_at, status: 'running', ...extra });

test('applySandboxEvent inserts, replaces and removes, newest first', () => {
  const list = [sb('b', '2026-01-02T00:00:00Z'), sb('a', '2026-01-01T00:00:00Z')];
  const inserted = applySandboxEvent(list, sb('c', '2026-01-03T00:00:00Z', { status: 'pending' }));
  assert.deepEqual(inserted.map((s) => s.id), ['c', 'b', 'a']);
  const middle = applySandboxEvent(list, sb('m', '2026-01-01T12:00:00Z'));
  assert.deepEqual(middle.map((s) => s.id), ['b', 'm', 'a']);
  const replaced = applySandboxEvent(inserted, { id: 'b', created_at: '2026-01-02T00:00:00Z', status: 'stopped' });
  assert.equal(replaced.find((s) => s.id === 'b').status, 'stopped');
  assert.equal(replaced.length, 3);
  const removed = applySandboxEvent(replaced, { id: 'b', status: 'deleted' });
  assert.deepEqual(removed.map((s) => s.id), ['c', 'a']);
  assert.equal(applySandboxEvent(list, { id: 'zz', status: 'deleted' }), list, 'unknown deletion: same list');
  assert.equal(list.length, 2, 'input untouched');
  assert.deepEqual(applySandboxEvent(undefined, sb('x', '2026-01-01T00:00:00Z')).map((s) => s.id), ['x']);
});

test('sortSandboxes orders by created_at desc with fractional seconds', () => {
  const out = sortSandboxes([sb('a', '2026-01-01T00:00:00.5Z'), sb('b', '2026-01-01T00:00:00.75Z'), sb('c', '2026-01-01T00:00:00Z')]);
  assert.deepEqual(out.map((s) => s.id), ['b', 'a', 'c']);
});

test('mergeSandboxEvent keeps the token and marks deletion', () => {
  const cur = { id: 'a', status: 'running', accessToken: 't', pod_ip: '10.0.0.1' };
  assert.deepEqual(mergeSandboxEvent(cur, { id: 'a', status: 'stopped' }), { id: 'a', status: 'stopped', accessToken: 't' });
  assert.equal(mergeSandboxEvent(cur, { id: 'b', status: 'stopped' }), cur);
  assert.equal(mergeSandboxEvent(cur, { id: 'a', status: 'deleted' }).status, 'deleted');
  assert.equal(mergeSandboxEvent(cur, { id: 'a', status: 'deleted' }).accessToken, 't');
});

test('isPersistent', () => {
  assert.equal(isPersistent({ persistence: { enabled: true } }), true);
  assert.equal(isPersistent({ runtimeKind: 'deployment' }), true);
  assert.equal(isPersistent({ persistence: { enabled: false } }), false);
  assert.equal(isPersistent({ runtimeKind: 'pod' }), false);
  assert.equal(isPersistent(null), false);
});

test('parsePort', () => {
  assert.equal(parsePort('8080'), 8080);
  assert.equal(parsePort(' 1 '), 1);
  assert.equal(parsePort('65535'), 65535);
  for (const bad of ['0', '65536', '-1', '80a', '', '8.5', null]) assert.equal(parsePort(bad), null, String(bad));
});

test('portUrl: host mode template, path mode, token encoding', () => {
  const path = { accessUrl: 'https://h.example/api/v1/sandbox/ab12cd34' };
  assert.equal(portUrl(path, 8080, 'tok'), 'https://h.example/api/v1/sandbox/ab12cd34/port/8080/?access_token=tok');
  assert.equal(portUrl({ accessUrl: 'http://x/api/v1/sandbox/id/' }, 80), 'http://x/api/v1/sandbox/id/port/80/');
  const host = { ...path, accessUrlTemplate: 'http://{port}-ab12cd34.sbx.test:30080' };
  assert.equal(portUrl(host, 3000, 'a b'), 'http://3000-ab12cd34.sbx.test:30080/?access_token=a%20b');
  assert.equal(portUrl({}, 80, 't'), null);
});

test('ttlText', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(ttlText('9999-12-31T23:59:59Z', now), 'never');
  assert.equal(ttlText('2026-01-01T00:01:05Z', now), '1m 05s');
  assert.equal(ttlText('2025-12-31T23:59:00Z', now), 'expired');
  assert.equal(ttlText(undefined, now), '–');
  assert.equal(ttlText('garbage', now), '–');
});

test('createBody leaves empty overrides out and keeps ttl 0', () => {
  assert.deepEqual(createBody({ template: 'py', ttl: '', cpu: '', memory: '' }), { template: 'py' });
  assert.deepEqual(createBody({ template: 'py', ttl: '0' }), { template: 'py', overrides: { ttl: 0 } });
  assert.deepEqual(createBody({ template: 'py', ttl: ' 600 ', cpu: ' 500m ', memory: '256Mi' }),
    { template: 'py', overrides: { ttl: 600, cpu: '500m', memory: '256Mi' } });
  assert.throws(() => createBody({ template: 'py', ttl: '-5' }), /TTL/);
  assert.throws(() => createBody({ template: 'py', ttl: '1.5' }), /TTL/);
});

test('history paging helpers', () => {
  const first = [{ id: 9 }, { id: 8 }];
  const merged = mergeHistory(first, [{ id: 10 }, { id: 9, reason: 'new copy' }]);
  assert.deepEqual(merged.map((x) => x.id), [10, 9, 8]);
  assert.equal(merged[1].reason, 'new copy');
  assert.equal(oldestId(merged), 8);
  assert.equal(oldestId([]), null);
});

test('basename, uploadTarget, progressOf, formatCores', () => {
  assert.equal(basename('/tmp/a/b.txt'), 'b.txt');
  assert.equal(basename('b.txt'), 'b.txt');
  assert.equal(basename('/tmp/'), 'download');
  assert.equal(uploadTarget('/tmp/', 'x.bin'), '/tmp/x.bin');
  assert.equal(uploadTarget(' /tmp/y.bin ', 'x.bin'), '/tmp/y.bin');
  assert.deepEqual(progressOf(50, 200, true), { loaded: 50, total: 200, fraction: 0.25 });
  assert.deepEqual(progressOf(50, 0, false), { loaded: 50, total: null, fraction: null });
  assert.equal(formatCores(0.01234), '0.012 cores');
  assert.equal(formatCores(12.345), '12.3 cores');
  assert.equal(formatCores(null), '–');
});
