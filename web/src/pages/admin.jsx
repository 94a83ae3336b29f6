// Pieces the template and administration pages share (templates, pre-pulls, metadata, volumes,
// reconcile, account): a pager, a debounced callback for filters that apply while typing, and a
// file download that keeps the API's error message instead of saving it as the file.
import { useEffect, useRef } from 'preact/hooks';
import { api } from '../lib/api.js';
import { saveBlob } from '../lib/xhr.js';
import './admin.css';

/** Page n of a {total, page, size} list; Prev/Next call onPage. Hidden when one page holds all. */
export function Pager({ total, page, size, onPage }) {
  const pages = Math.max(1, Math.ceil((total || 0) / (size || 20)));
  if (pages <= 1 && page <= 1) return null;
  return (
    <nav class="adm-pager" aria-label="Pages">
      <button type="button" data-testid="page-prev" disabled={page <= 1} onClick={() => onPage(page - 1)}>‹ Previous</button>
      <span data-testid="page-info">Page {page} of {pages} ({total} in all)</span>
      <button type="button" data-testid="page-next" disabled={page >= pages} onClick={() => onPage(page + 1)}>Next ›</button>
    </nav>
  );
}

/** A function that runs `fn` once `ms` have passed without another call (filters while typing). */
export function useDebounced(fn, ms = 350) {
  const timer = useRef(null);
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => () => clearTimeout(timer.current), []);
  const call = (...args) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => latest.current(...args), ms);
  };
  call.cancel = () => clearTimeout(timer.current);
  return call;
}

/** GETs `path` and saves the body as `filename`; an API error is thrown as ApiError. */
export async function download(path, filename, query) {
  // api()'s Accept: application/json is what the export routes are tested with (they answer YAML).
  const res = await api('GET', path, { raw: true, query });
  saveBlob(await res.blob(), filename);
}

/** Page number from a route query value: 1 unless a whole number ≥ 1. */
export function pageOf(value) {
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) && n > 0 ? n : 1;
}

/**
 * onClick for a table row that stands for a link: a click anywhere on the row follows it, like
 * a click on the link inside it (the link stays the keyboard and screen-reader path).
 */
export function rowLink(href) {
  return (e) => {
    if (e.defaultPrevented || e.target.closest('a, button, input, select, textarea, label')) return;
    if (window.getSelection && String(window.getSelection())) return; // selecting text, not clicking
    window.location.hash = href.replace(/^#/, '');
  };
}
