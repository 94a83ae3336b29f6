// Pure helpers behind the template pages (unit-tested in test/template-model.test.js): the YAML
// document the editor shows, reading it back with line-numbered errors before anything is sent,
// the request bodies built from it, diff rows for the versions tab and the pool form's checks.
import { parseDocument, stringify } from 'yaml';

/** TemplateSpec's keys (services/api …/template/TemplateSpec.java); keys are case-sensitive. */
export const SPEC_KEYS = [
  'image', 'command', 'args', 'resources', 'ttl', 'env', 'startupScript', 'startupTimeout', 'files',
  'readinessProbe', 'network', 'persistence', 'runtimeClassName', 'idleTimeout', 'pool',
];

/** The editor's top-level keys; isPublic is passed through (stored only, no access semantics). */
export const DOC_KEYS = ['name', 'displayName', 'description', 'tags', 'isPublic', 'spec'];

/** Most Ready pods one pool may keep (TemplateSpec.Pool.MAX_SIZE). */
export const POOL_MAX = 100;

/** What a new template starts from: a Python sandbox that stays up until its ttl. */
export const EXAMPLE_TEMPLATE = {
  name: 'python',
  displayName: 'Python 3.12',
  description: 'A Python 3.12 sandbox that stays up for an hour',
  tags: ['python'],
  spec: {
    image: 'python:3.12-slim',
    command: ['sleep', 'infinity'],
    resources: { cpu: '500m', memory: '512Mi' },
    ttl: 3600,
    env: { PYTHONUNBUFFERED: '1' },
  },
};

/** lineWidth 0: never fold long strings (a startupScript must stay as written). */
export function toYaml(value) {
  return stringify(value, { lineWidth: 0 });
}

/** A Template as the API returns it → the editor's document (empty optional fields left out). */
export function templateToDoc(t) {
  const doc = { name: t.name };
  if (t.displayName) doc.displayName = t.displayName;
  if (t.description) doc.description = t.description;
  if (Array.isArray(t.tags) && t.tags.length) doc.tags = [...t.tags];
  doc.spec = t.spec || {};
  return doc;
}

export function specToYaml(spec) {
  return spec ? toYaml(spec) : '';
}

/**
 * Parses YAML text: { value } or { error: { message, line, col } } for the first syntax error
 * (line and col 1-based; the yaml package's message without its code excerpt).
 */
export function parseYaml(text) {
  const doc = parseDocument(text ?? '', { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const pos = e.linePos && e.linePos[0];
    const first = String(e.message).split('\n')[0].replace(/:\s*$/, '');
    const message = first.replace(/ at line \d+, column \d+$/, '');
    return { error: { message, line: pos ? pos.line : null, col: pos ? pos.col : null } };
  }
  return { value: doc.toJS() };
}

const isMap = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Reads the editor's text into a template document, or { error: { message, line? } }.
 * Accepts the export format too (apiVersion/kind/metadata/spec), so an exported file can be
 * pasted as is. `name` (editing) pins the name: the API cannot rename a template.
 */
export function readTemplateDoc(text, { name } = {}) {
  const parsed = parseYaml(text);
  if (parsed.error) return parsed;
  let doc = parsed.value;
  if (doc === null || doc === undefined) return { error: { message: 'The document is empty' } };
  if (!isMap(doc)) return { error: { message: 'The document must be a mapping with name and spec', line: 1 } };
  if (doc.kind === 'SandboxTemplate' || isMap(doc.metadata)) {
    const meta = isMap(doc.metadata) ? doc.metadata : {};
    doc = { ...meta, spec: doc.spec };
    for (const k of ['displayName', 'description']) if (doc[k] === '') delete doc[k];
    if (Array.isArray(doc.tags) && !doc.tags.length) delete doc.tags;
  }
  const extra = Object.keys(doc).filter((k) => !DOC_KEYS.includes(k));
  if (extra.length) {
    return { error: { message: `Unknown top-level key(s): ${extra.join(', ')} (allowed: ${DOC_KEYS.join(', ')}; the sandbox settings go under spec)` } };
  }
  if (!isMap(doc.spec)) return { error: { message: 'spec is required and must be a mapping (image, resources, ttl, …)' } };
  // The API would drop an unknown key without a word (a typo such as readinessprobe): say so now.
  const unknown = Object.keys(doc.spec).filter((k) => !SPEC_KEYS.includes(k));
  if (unknown.length) {
    return { error: { message: `Unknown spec key(s): ${unknown.join(', ')} (keys are case-sensitive; known: ${SPEC_KEYS.join(', ')})` } };
  }
  if (doc.tags !== undefined && doc.tags !== null && !Array.isArray(doc.tags)) {
    return { error: { message: 'tags must be a list, e.g. [python, data]' } };
  }
  if (name !== undefined && doc.name !== undefined && String(doc.name) !== name) {
    return { error: { message: `The name cannot be changed here (it is ${name}); create a new template instead` } };
  }
  return { doc: { ...doc, name: doc.name === undefined ? name : String(doc.name) } };
}

/** env values are strings in the API; YAML reads PORT: 8080 as a number, so write it back as text. */
function cleanSpec(spec) {
  if (!isMap(spec.env)) return spec;
  const env = Object.fromEntries(Object.entries(spec.env).map(([k, v]) => [k, v === null ? '' : String(v)]));
  return { ...spec, env };
}

const tagList = (tags) => (Array.isArray(tags) ? tags.map(String) : undefined);

/** POST /templates body. */
export function createRequest(doc) {
  const body = { name: doc.name, spec: cleanSpec(doc.spec) };
  if (doc.displayName !== undefined) body.displayName = String(doc.displayName ?? '');
  if (doc.description !== undefined) body.description = String(doc.description ?? '');
  if (doc.tags !== undefined) body.tags = tagList(doc.tags) || [];
  if (typeof doc.isPublic === 'boolean') body.isPublic = doc.isPublic;
  return body;
}

/**
 * PUT /templates/{name} body. The document is the whole truth: a removed displayName,
 * description or tags line clears it ("" and [] clear; null would leave the old value).
 */
export function updateRequest(doc, changelog) {
  const body = {
    displayName: String(doc.displayName ?? ''),
    description: String(doc.description ?? ''),
    tags: tagList(doc.tags) || [],
    spec: cleanSpec(doc.spec),
  };
  if (typeof doc.isPublic === 'boolean') body.isPublic = doc.isPublic;
  if (changelog && changelog.trim()) body.changelog = changelog.trim();
  return body;
}

/**
 * diffLines output → one row per line: { kind: 'add'|'del'|'same', text, oldNo, newNo }
 * (oldNo/newNo: the line's number on its side, null on the side that lacks it).
 */
export function diffRows(parts) {
  const rows = [];
  let oldNo = 1, newNo = 1;
  for (const part of parts || []) {
    const lines = part.value.split('\n');
    if (lines[lines.length - 1] === '') lines.pop(); // the text after the last newline
    for (const text of lines) {
      if (part.added) rows.push({ kind: 'add', text, oldNo: null, newNo: newNo++ });
      else if (part.removed) rows.push({ kind: 'del', text, oldNo: oldNo++, newNo: null });
      else rows.push({ kind: 'same', text, oldNo: oldNo++, newNo: newNo++ });
    }
  }
  return rows;
}

/** { added, removed } line counts of diffRows output. */
export function diffStats(rows) {
  return {
    added: rows.filter((r) => r.kind === 'add').length,
    removed: rows.filter((r) => r.kind === 'del').length,
  };
}

const WHOLE = /^\d+$/;

/**
 * The pool form (the API's rules, TemplateSpec.Pool.problem): min required, a whole number ≥ 0;
 * max optional (defaults to min), within min and 100. → { value: {min, max?} } or { errors }.
 */
export function validatePool(minText, maxText) {
  const errors = {};
  const minS = String(minText ?? '').trim();
  const maxS = String(maxText ?? '').trim();
  let min, max;
  if (!minS) errors.min = 'Required';
  else if (!WHOLE.test(minS)) errors.min = 'A whole number ≥ 0';
  else min = Number(minS);
  if (maxS) {
    if (!WHOLE.test(maxS)) errors.max = 'A whole number ≥ 0';
    else max = Number(maxS);
  }
  if (min !== undefined && min > POOL_MAX) errors.min = `At most ${POOL_MAX}`;
  if (max !== undefined && !errors.max) {
    if (max > POOL_MAX) errors.max = `At most ${POOL_MAX}`;
    else if (min !== undefined && max < min) errors.max = 'At least min';
  }
  if (Object.keys(errors).length) return { errors };
  return { value: max === undefined ? { min } : { min, max } };
}
