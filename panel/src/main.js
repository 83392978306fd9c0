// The Berth web panel: a client of the REST API (the same one the CLI uses), rendered with Preact and htm.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, onUnauthenticated, setCsrf } from './api.js';
import { connectEvents, disconnectEvents } from './events.js';
import { html } from './html.js';
import { useRoute } from './hooks.js';
import { Login } from './pages/login.js';
import { ContainerList } from './pages/containers.js';
import { ContainerPage } from './pages/container.js';
import { LaunchWizard } from './pages/launch.js';
import { JobsPage } from './pages/jobs.js';
import { UpdatesPage } from './pages/updates.js';
import { AdminPage } from './admin/admin.js';

function App() {
  const [me, setMe] = useState(undefined);

  const start = async (session, whoami) => {
    setCsrf(session.csrfToken);
    const caller = await (whoami || api('GET', '/api/v1/auth/whoami'));
    connectEvents();
    setMe(caller);
  };

  useEffect(() => {
    onUnauthenticated(() => { disconnectEvents(); setCsrf(null); setMe(null); });
    // Both at once: who the session is needs only its cookie, not its CSRF token.
    const whoami = api('GET', '/api/v1/auth/whoami');
    whoami.catch(() => null);
    api('GET', '/api/v1/auth/session').then((session) => start(session, whoami)).catch(() => setMe(null));
  }, []);

  if (me === undefined) return html`<p class="loading" aria-live="polite">Loading…</p>`;
  if (me === null) return html`<${Login} onLoggedIn=${start} />`;

  const logout = async () => {
    await api('POST', '/api/v1/auth/logout').catch(() => null);
    disconnectEvents();
    setCsrf(null);
    setMe(null);
    location.hash = '#/';
  };
  return html`<${Shell} me=${me} onLogout=${logout} />`;
}

function Shell({ me, onLogout }) {
  const route = useRoute();
  const admin = me.role === 'admin';
  const section = route[0] || 'containers';
  const link = (href, text, current) => html`<a href=${href} aria-current=${current ? 'page' : undefined}>${text}</a>`;
  let page;
  if (section === 'containers' && route[1]) page = html`<${ContainerPage} key=${route[1]} name=${route[1]} tab=${route[2] || 'overview'} me=${me} />`;
  else if (section === 'containers') page = html`<${ContainerList} me=${me} />`;
  else if (section === 'launch') page = html`<${LaunchWizard} me=${me} />`;
  else if (section === 'jobs') page = html`<${JobsPage} />`;
  else if (section === 'updates') page = html`<${UpdatesPage} />`;
  else if (section === 'admin' && admin) page = html`<${AdminPage} tab=${route[1] || 'members'} rest=${route.slice(2)} me=${me} />`;
  else page = html`<section><h1>Not found</h1><p>There is no page ${location.hash}.</p><a href="#/">Your containers</a></section>`;

  return html`
    <a class="skip" href="#main">Skip to content</a>
    <header class="top">
      <a class="brand" href="#/">Berth</a>
      <nav aria-label="Main">
        ${link('#/', 'Containers', section === 'containers')}
        ${link('#/launch', 'Launch', section === 'launch')}
        ${link('#/jobs', 'Jobs', section === 'jobs')}
        ${link('#/updates', 'Updates', section === 'updates')}
        ${admin && link('#/admin/members', 'Admin', section === 'admin')}
      </nav>
      <span class="me" id="me">${me.name} (${me.role})</span>
      <button type="button" id="logout" onClick=${onLogout}>Log out</button>
    </header>
    <main id="main" tabindex="-1">${page}</main>`;
}

render(html`<${App} />`, document.getElementById('root'));
