// Hash routing (#/sandboxes/ab12cd34/terminal): the API serves one index.html at /, so every
// console address must work as a bookmark without server-side routes.
import { useEffect, useState } from 'preact/hooks';

/** '#/a/b?x=1' → { path: '/a/b', parts: ['a','b'], query: {x:'1'} } */
export function parseHash(hash) {
  const raw = (hash || '').replace(/^#/, '') || '/';
  const [p, q = ''] = raw.split('?');
  const path = p.startsWith('/') ? p : `/${p}`;
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const query = Object.fromEntries(new URLSearchParams(q));
  return { path, parts, query };
}

export function href(path, query) {
  const q = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== '')).toString() : '';
  return `#${path}${q ? `?${q}` : ''}`;
}

export function navigate(path, query) { window.location.hash = href(path, query).slice(1); }

export function useRoute() {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
