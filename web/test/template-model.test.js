import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffLines } from 'diff';
import {
  EXAMPLE_TEMPLATE, createRequest, diffRows, diffStats, parseYaml, readTemplateDoc, specToYaml,
  templateToDoc, toYaml, updateRequest, validatePool,
} from '../src/lib/template-model.js';

test('a template from the API becomes a document without empty fields and back', () => {
  const t = { id: 'tpl-1', name: 'py', displayName: '', description: 'd', tags: [], latestVersion: 3,
    spec: { image: 'python:3.12-slim', resources: { cpu: '500m', memory: '512Mi' }, ttl: 0 } };
  const doc = templateToDoc(t);
  assert.deepEqual(doc, { name: 'py', description: 'd', spec: t.spec });
  const back = readTemplateDoc(toYaml(doc), { name: 'py' });
  assert.deepEqual(back.doc, doc);
});

test('the example is a valid document', () => {
  const r = readTemplateDoc(toYaml(EXAMPLE_TEMPLATE));
  assert.ok(r.doc, JSON.stringify(r.error));
  assert.equal(r.doc.spec.image, 'python:3.12-slim');
});

test('syntax errors carry the line and column', () => {
  const r = parseYaml('name: x\nspec:\n  image: [a,\n  ttl: 3\n');
  assert.ok(r.error);
  assert.equal(typeof r.error.line, 'number');
  assert.ok(r.error.line >= 3, `line ${r.error.line}`);
  assert.ok(!r.error.message.includes('\n'));
  const dup = parseYaml('name: a\nname: b\n');
  assert.equal(dup.error.line, 2);
  assert.match(dup.error.message, /unique/);
});

test('document checks before anything is sent', () => {
  assert.match(readTemplateDoc('').error.message, /empty/);
  assert.match(readTemplateDoc('- a\n- b\n').error.message, /mapping/);
  assert.match(readTemplateDoc('name: a\n').error.message, /spec is required/);
  assert.match(readTemplateDoc('name: a\nimage: x\nspec: {image: x}\n').error.message, /top-level key.*image/);
  assert.match(readTemplateDoc('name: a\nspec: {image: x, readinessprobe: {}}\n').error.message, /Unknown spec key.*readinessprobe/);
  assert.match(readTemplateDoc('name: a\ntags: x\nspec: {image: x}\n').error.message, /tags must be a list/);
  assert.match(readTemplateDoc('name: b\nspec: {image: x}\n', { name: 'a' }).error.message, /cannot be changed/);
  assert.equal(readTemplateDoc('spec: {image: x}\n', { name: 'a' }).doc.name, 'a');
});

test('the export format is accepted as is', () => {
  const text = 'apiVersion: liteboxd/v1\nkind: SandboxTemplate\nmetadata:\n    name: py\n    displayName: ""\n    description: hi\n    tags: []\nspec:\n    image: python:3.12-slim\n    pool: {min: 1, max: 2}\n';
  assert.deepEqual(readTemplateDoc(text).doc, { name: 'py', description: 'hi', spec: { image: 'python:3.12-slim', pool: { min: 1, max: 2 } } });
});

test('request bodies: env values become strings; an update clears what the document leaves out', () => {
  const doc = { name: 'py', tags: ['a', 1], spec: { image: 'x', env: { PORT: 8080, EMPTY: null } } };
  assert.deepEqual(createRequest(doc), { name: 'py', tags: ['a', '1'], spec: { image: 'x', env: { PORT: '8080', EMPTY: '' } } });
  assert.deepEqual(updateRequest({ name: 'py', spec: { image: 'x' } }, '  new image '),
    { displayName: '', description: '', tags: [], spec: { image: 'x' }, changelog: 'new image' });
  assert.equal(updateRequest({ spec: { image: 'x' } }, '   ').changelog, undefined);
});

test('diff rows number each side and mark added and removed lines', () => {
  const rows = diffRows(diffLines(specToYaml({ image: 'a', ttl: 1 }), specToYaml({ image: 'b', ttl: 1, env: { A: '1' } })));
  assert.deepEqual(rows.map((r) => [r.kind, r.text, r.oldNo, r.newNo]), [
    ['del', 'image: a', 1, null],
    ['add', 'image: b', null, 1],
    ['same', 'ttl: 1', 2, 2],
    ['add', 'env:', null, 3],
    ['add', '  A: "1"', null, 4],
  ]);
  assert.deepEqual(diffStats(rows), { added: 3, removed: 1 });
  assert.deepEqual(diffRows(diffLines('a\n', 'a\n')).map((r) => r.kind), ['same']);
  assert.deepEqual(diffRows([]), []);
  // No trailing newline on either side still gives one row per line.
  assert.equal(diffRows(diffLines('a\nb', 'a\nc')).length, 3);
});

test('pool form follows the API rules', () => {
  assert.deepEqual(validatePool('2', '10'), { value: { min: 2, max: 10 } });
  assert.deepEqual(validatePool(' 0 ', ''), { value: { min: 0 } });
  assert.deepEqual(validatePool('', '').errors, { min: 'Required' });
  assert.ok(validatePool('-1', '').errors.min);
  assert.ok(validatePool('1.5', '').errors.min);
  assert.ok(validatePool('101', '').errors.min);
  assert.equal(validatePool('3', '1').errors.max, 'At least min');
  assert.ok(validatePool('1', '101').errors.max);
  assert.ok(validatePool('1', 'x').errors.max);
});
