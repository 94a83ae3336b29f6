// The console shell: who is logged in, the navigation, and which page the hash names.
// Pages live in pages/ (one file per page, package by feature); this file only routes.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, post, setUnauthorizedHandler } from './lib/api.js';
import { closeEvents } from './lib/events.js';
import { navigate, useRoute } from './lib/route.js';
import { Toasts } from './lib/notify.jsx';
import { ErrorBox, Field, Loading } from './lib/ui.jsx';
import { SandboxList } from './pages/sandbox-list.jsx';
import { SandboxDetail } from './pages/sandbox-detail.jsx';
import { TemplateList } from './pages/template-list.jsx';
import { TemplateEditor } from './pages/template-editor.jsx';
import { TemplateDetail } from './pages/template-detail.jsx';
import { Prepulls } from './pages/prepulls.jsx';
import { Metadata } from './pages/metadata.jsx';
import { Pvcs } from './pages/pvcs.jsx';
import { Reconcile } from './pages/reconcile.jsx';
import { Account } from './pages/account.jsx';

const NAV = [
  ['sandboxes', 'Sandboxes'],
  ['templates', 'Templates'],
  ['prepulls', 'Pre-pulls'],
  ['metadata', 'Metadata'],
  ['pvcs', 'Volumes'],
  ['reconcile', 'Reconcile'],
  ['account', 'Account'],
];

function page(route) {
  const [section, a, b] = route.parts;
  switch (section) {
    case undefined:
    case 'sandboxes': return a ? <SandboxDetail id={a} tab={b || 'overview'} query={route.query} /> : <SandboxList query={route.query} />;
    case 'templates':
      if (a === 'new') return <TemplateEditor />;
      return a ? <TemplateDetail name={a} tab={b || 'overview'} query={route.query} /> : <TemplateList query={route.query} />;
    case 'prepulls': return <Prepulls />;
    case 'metadata': return <Metadata query={route.query} />;
    case 'pvcs': return <Pvcs query={route.query} />;
    case 'reconcile': return <Reconcile runId={a} />;
    case 'account': return <Account />;
    default: return <div class="empty" data-testid="not-found">No page at {route.path}. <a href="#/sandboxes">Sandboxes</a></div>;
  }
}

function Login({ onLogin }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await post('/auth/login', { username, password });
      onLogin(await get('/auth/me'));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login">
      <form class="card login-card" onSubmit={submit} data-testid="login-form">
        <h1><img src="favicon.svg" alt="" width="28" height="28" /> LiteBoxd</h1>
        <Field label="Username">
          <input data-testid="login-username" autoComplete="username" value={username} required autoFocus
            onInput={(e) => setUsername(e.currentTarget.value)} />
        </Field>
        <Field label="Password">
          <input data-testid="login-password" type="password" autoComplete="current-password" value={password} required
            onInput={(e) => setPassword(e.currentTarget.value)} />
        </Field>
        <ErrorBox error={error} testid="login-error" />
        <button type="submit" class="primary" data-testid="login-submit" disabled={busy}>Log in</button>
      </form>
    </main>
  );
}

export function App() {
  const route = useRoute();
  const [me, setMe] = useState(undefined); // undefined: asking; null: logged out
  const [error, setError] = useState(null);
  const [menu, setMenu] = useState(false);

  useEffect(() => {
    setUnauthorizedHandler(() => { closeEvents(); setMe(null); });
    get('/auth/me').then(setMe).catch((e) => (e instanceof ApiError && e.status === 401 ? setMe(null) : setError(e)));
  }, []);
  useEffect(() => setMenu(false), [route.path]);

  if (error) return <main class="login"><ErrorBox error={error} /></main>;
  if (me === undefined) return <Loading />;
  if (me === null) return <><Login onLogin={(m) => { setMe(m); if (!route.parts.length) navigate('/sandboxes'); }} /><Toasts /></>;

  const logout = async () => {
    try { await post('/auth/logout'); } catch { /* the session may be gone already */ }
    closeEvents();
    setMe(null);
  };
  const section = route.parts[0] || 'sandboxes';
  return (
    <div class="shell">
      <header class="topbar">
        <button type="button" class="menu-toggle" aria-label="Menu" aria-expanded={menu} onClick={() => setMenu(!menu)}>☰</button>
        <a class="brand" href="#/sandboxes"><img src="favicon.svg" alt="" width="22" height="22" /> LiteBoxd</a>
        <span class="who" data-testid="whoami">{me.username || 'API key'}</span>
        {me.auth_method === 'session' && <button type="button" class="link" data-testid="logout" onClick={logout}>Log out</button>}
      </header>
      <nav class={`sidenav ${menu ? 'open' : ''}`} aria-label="Main">
        {NAV.map(([key, label]) => (
          <a key={key} href={`#/${key}`} data-testid={`nav-${key}`} aria-current={section === key ? 'page' : undefined}>{label}</a>
        ))}
      </nav>
      <main class="content">{page(route)}</main>
      <Toasts />
    </div>
  );
}
