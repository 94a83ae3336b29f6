// Unit tests of lib/format.js.
import test from 'node:test';
import assert from 'node:assert/strict';
import { formatAge, formatBytes, formatDuration, formatTime, secondsLeft } from '../src/lib/format.js';

test('formatDuration', () => {
  assert.equal(formatDuration(42), '42s');
  assert.equal(formatDuration(42.9), '42s');
  assert.equal(formatDuration(185), '3m 05s');
  assert.equal(formatDuration(3720), '1h 02m');
  assert.equal(formatDuration(90000), '1d 01h');
  assert.equal(formatDuration(0), '0s');
  assert.equal(formatDuration(-1), 'expired');
  assert.equal(formatDuration(null), '–');
  assert.equal(formatDuration(undefined), '–');
  assert.equal(formatDuration(NaN), '–');
});

test('secondsLeft: 9999 expiry (ttl 0) → null; otherwise seconds, negative once past', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(secondsLeft('9999-12-31T23:59:59Z', now), null);
  assert.equal(secondsLeft('2026-01-01T00:10:00Z', now), 600);
  assert.equal(secondsLeft('2025-12-31T23:59:50Z', now), -10);
  assert.equal(secondsLeft('2026-01-01T00:00:01.5Z', now), 1.5);
  assert.equal(secondsLeft(null, now), null);
  assert.equal(secondsLeft('nonsense', now), null);
});

test('formatAge', () => {
  const now = Date.parse('2026-01-01T01:00:00Z');
  assert.equal(formatAge('2026-01-01T00:58:00Z', now), '2m 00s');
  assert.equal(formatAge('2026-01-01T01:00:05Z', now), '0s', 'clock skew never shows negative');
  assert.equal(formatAge(null, now), '–');
});

test('formatBytes', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(64 * 1024 * 1024), '64 MiB');
  assert.equal(formatBytes(null), '–');
});

test('formatTime', () => {
  assert.equal(formatTime(null), '–');
  assert.equal(formatTime('not a time'), 'not a time');
  assert.match(formatTime('2026-01-01T00:00:00Z'), /2026|25/);
});
