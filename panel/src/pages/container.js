// One container: its state and actions, usage against limits, snapshots, backups, forwards and SSH, routes, jobs, console.
import { useEffect, useState } from 'preact/hooks';
import { api, containerPath } from '../api.js';
import { BackupMark, ErrorLine, HealthMark, StatusBadge, confirmAction } from '../components.js';
import { waitJob } from '../events.js';
import { actionsFor } from '../format.js';
import { html } from '../html.js';
import { aboutContainer, anyJobEvent, useApi } from '../hooks.js';
import { JobTable } from './jobtable.js';
import { Overview } from './overview.js';
import { Access } from './access.js';
import { Snapshots } from './snapshots.js';
import { Backups } from './backups.js';

const TABS = [['overview', 'Overview'], ['snapshots', 'Snapshots'], ['backups', 'Backups'], ['network', 'Forwards and SSH'], ['routes', 'Routes'], ['jobs', 'Jobs'], ['console', 'Console']];

export function ContainerPage({ name, tab, me }) {
  const { data: container, error, reload } = useApi(containerPath(name), aboutContainer(name));
  const [busy, setBusy] = useState(null);
  const [actionError, setActionError] = useState(null);

  if (error && error.status === 404) {
    return html`<section id="not-found"><h1>Not found</h1><p>There is no container ${name} you may see.</p><a href="#/">Your containers</a></section>`;
  }
  if (!container) return html`<section><h1>${name}</h1><${ErrorLine} error=${error} /><p aria-live="polite">${error ? '' : 'Loading…'}</p></section>`;

  const run = async (what, start) => {
    setActionError(null);
    setBusy(what);
    try {
      await waitJob(await start());
    } catch (e) {
      setActionError(new Error(`${what} ${name}: ${e.message}`));
    } finally {
      setBusy(null);
      reload();
    }
  };
  const change = (action) => run(action, () => api('PUT', `${containerPath(name)}/state`, { action }));
  const remove = async () => {
    if (!await confirmAction(`Delete container ${name}? Its files and snapshots are removed for good.`, 'Delete', name)) return;
    await run('delete', () => api('DELETE', `${containerPath(name)}?force=true`));
    location.hash = '#/';
  };
  const rename = async () => {
    const newName = window.prompt(`New name for ${name}:`, name);
    if (!newName || newName.trim() === name) return;
    await run('rename', () => api('POST', `${containerPath(name)}/rename`, { name: newName.trim() }));
    location.hash = `#/containers/${encodeURIComponent(newName.trim())}`;
  };

  const current = TABS.some(([id]) => id === tab) ? tab : 'overview';
  return html`
    <section class="container-page" data-name=${name}>
      <div class="heading">
        <h1><a href="#/" class="crumb">Containers</a> / ${name}</h1>
        <${StatusBadge} status=${container.status} />
        <${HealthMark} health=${container.health} />
        <${BackupMark} mark=${container.lastBackup} />
      </div>
      <div class="actions" role="group" aria-label="Container actions">
        ${container.managed && actionsFor(container.status).map((action) => html`
          <button type="button" data-action=${action} disabled=${!!busy} onClick=${() => change(action)}>${busy === action ? `${action}…` : action}</button>`)}
        ${container.managed && container.status === 'stopped' && html`<button type="button" data-action="rename" disabled=${!!busy} onClick=${rename}>rename</button>`}
        ${container.managed && html`<button type="button" class="danger" data-action="delete" disabled=${!!busy} onClick=${remove}>delete</button>`}
      </div>
      <${ErrorLine} error=${actionError} id="error" />
      <nav class="tabs" aria-label="Container sections">
        ${TABS.filter(([id]) => id !== 'routes' || me.role === 'admin').map(([id, label]) => html`
          <a href=${`#/containers/${encodeURIComponent(name)}/${id}`} aria-current=${current === id ? 'page' : undefined} data-tab=${id}>${label}</a>`)}
      </nav>
      <div class="tab-panel">
        ${current === 'overview' && html`<${Overview} container=${container} me=${me} />`}
        ${current === 'snapshots' && html`<${Snapshots} name=${name} />`}
        ${current === 'backups' && html`<${Backups} container=${container} me=${me} />`}
        ${current === 'network' && html`<${Access} container=${container} />`}
        ${current === 'routes' && html`<${Routes} name=${name} />`}
        ${current === 'jobs' && html`<${ContainerJobs} name=${name} />`}
        ${current === 'console' && html`<${LazyConsole} name=${name} running=${container.status === 'running'} />`}
      </div>
    </section>`;
}

/** The terminal (xterm.js, most of the panel's code) is loaded when a console is first opened, not with every page. */
function LazyConsole(props) {
  const [Console, setConsole] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    import('./console.js').then((m) => setConsole(() => m.Console), setError);
  }, []);
  if (Console) return html`<${Console} ...${props} />`;
  return html`<h2>Console</h2><${ErrorLine} error=${error} /><p aria-live="polite">${error ? '' : 'Loading the terminal…'}</p>`;
}

function ContainerJobs({ name }) {
  const { data: jobs } = useApi('/api/v1/jobs?limit=200', anyJobEvent);
  return html`<h2>Recent jobs</h2><${JobTable} jobs=${(jobs || []).filter((j) => j.target === name).slice(0, 30)} id="container-jobs" />`;
}

/** Routes are an admin's to change (docs/proxy.md); shown here read-only with their certificate state. */
function Routes({ name }) {
  const { data: routes, error } = useApi(`/api/v1/routes?container=${encodeURIComponent(name)}`, (e) => e.target === 'proxy');
  return html`
    <h2>Routes</h2>
    <${ErrorLine} error=${error} />
    ${routes && routes.length === 0 && html`<p>No domain points at ${name}. Add one under Admin, Proxy.</p>`}
    ${routes && routes.length > 0 && html`
      <table id="routes">
        <thead><tr><th scope="col">Domain and path</th><th scope="col">Port</th><th scope="col">TLS</th><th scope="col">Certificate</th></tr></thead>
        <tbody>${routes.map((r) => html`<tr key=${r.domain + r.path}><td>${r.domainUnicode}${r.path}</td><td>${r.port}</td><td>${r.tls || 'any'}</td><td>${r.certificate || 'HTTP only'}</td></tr>`)}</tbody>
      </table>`}`;
}
