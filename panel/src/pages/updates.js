// Unattended updates of my (for admins, every) container: the schedule, the last run, what is pending, its log, run now.
import { useState } from 'preact/hooks';
import { api, containerPath } from '../api.js';
import { ErrorLine } from '../components.js';
import { waitJob } from '../events.js';
import { when } from '../format.js';
import { html } from '../html.js';
import { anyJobEnd, useApi } from '../hooks.js';

export function UpdatesPage() {
  const { data: updates, error, reload } = useApi('/api/v1/updates', anyJobEnd);
  const [detail, setDetail] = useState(null);
  const [running, setRunning] = useState({});

  const show = async (name, kind) => {
    setDetail({ name, kind, loading: true });
    try {
      const data = kind === 'log'
        ? await api('GET', `${containerPath(name)}/updates/log`)
        : await api('GET', `${containerPath(name)}/updates?pending=true`);
      setDetail({ name, kind, data });
    } catch (e) {
      setDetail({ name, kind, error: e });
    }
  };

  const run = async (name) => {
    setRunning((r) => ({ ...r, [name]: 'starting…' }));
    let outcome;
    try {
      const job = await waitJob(await api('POST', `${containerPath(name)}/updates`, {}), (message) => setRunning((r) => ({ ...r, [name]: message })));
      outcome = { name, ok: true, text: `${name}: updated (${job.id})` };
    } catch (e) {
      outcome = { name, ok: false, text: `update ${name}: ${e.message}` };
    }
    setRunning((r) => { const { [name]: _, ...rest } = r; return rest; });
    setDetail({ name, kind: 'run', outcome });
    reload();
  };

  return html`
    <section>
      <h1>Updates</h1>
      <p>Containers with apt are upgraded on their schedule, with a snapshot taken first and restored when the upgrade or the health check fails.</p>
      <${ErrorLine} error=${error} id="updates-error" />
      ${updates === undefined ? html`<p aria-live="polite">${error ? '' : 'Loading…'}</p>` : updates.length === 0 ? html`<p id="no-updates">No containers yet.</p>` : html`
        <div class="table-wrap" tabindex="0">
          <table id="updates">
            <caption class="visually-hidden">Unattended updates</caption>
            <thead><tr><th scope="col">Container</th><th scope="col">Automatic</th><th scope="col">Every</th><th scope="col">Window (UTC)</th><th scope="col">Last run</th><th scope="col">Next due</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              ${updates.map((u) => html`
                <tr key=${u.container} data-name=${u.container}>
                  <th scope="row"><a href=${`#/containers/${encodeURIComponent(u.container)}`}>${u.container}</a></th>
                  <td class="auto">${u.supported ? (u.auto ? 'on' : 'off') : ''}</td>
                  <td>${u.supported ? u.every : ''}</td>
                  <td>${u.supported ? (u.window || 'any time') : ''}</td>
                  <td class="last-run">${u.supported ? LastRun(u.lastRun) : html`<span class="unsupported">${u.reason}</span>`}</td>
                  <td class="next-due">${u.nextDueAt ? when(u.nextDueAt) : ''}</td>
                  <td class="actions">
                    ${u.supported && html`
                      <button type="button" data-action="pending" onClick=${() => show(u.container, 'pending')}>pending</button>
                      ${u.lastRun && html`<button type="button" data-action="log" onClick=${() => show(u.container, 'log')}>log</button>`}
                      <button type="button" data-action="run" disabled=${!!running[u.container]} onClick=${() => run(u.container)}>${running[u.container] ? 'updating…' : 'run now'}</button>`}
                  </td>
                </tr>`)}
            </tbody>
          </table>
        </div>`}
      <p id="update-progress" aria-live="polite">${Object.entries(running).map(([name, message]) => `${name}: ${message}`).join('; ')}</p>
      ${detail && html`<${Detail} detail=${detail} />`}
    </section>`;
}

function LastRun(run) {
  if (!run) return 'never';
  const text = `${when(run.startedAt)}: ${run.result}`;
  return html`<span class=${`result result-${run.result}`}>${text}</span>${(run.error || run.summary) && html`<br /><small>${run.error || run.summary}</small>`}`;
}

function Detail({ detail }) {
  const { name, kind } = detail;
  if (kind === 'run') {
    return html`<p id="update-outcome" class=${detail.outcome.ok ? 'ok' : 'error'} role="status">${detail.outcome.text}</p>`;
  }
  const heading = kind === 'log' ? `The log of ${name}'s last update` : `What apt would upgrade in ${name}`;
  let body;
  if (detail.loading) body = html`<p aria-live="polite">${kind === 'pending' ? 'Asking apt (apt-get update)…' : 'Loading…'}</p>`;
  else if (detail.error) body = html`<${ErrorLine} error=${detail.error} id="update-detail-error" />`;
  else if (kind === 'log') body = html`<pre id="update-log" class="log" tabindex="0">${detail.data.text}</pre>`;
  else if (detail.data.pending.length === 0) body = html`<p id="no-pending">Nothing to upgrade.</p>`;
  else body = html`
    <table id="pending">
      <thead><tr><th scope="col">Package</th><th scope="col">Installed</th><th scope="col">Candidate</th></tr></thead>
      <tbody>${detail.data.pending.map((p) => html`<tr key=${p.package} data-package=${p.package}><th scope="row">${p.package}</th><td>${p.installed}</td><td>${p.candidate}</td></tr>`)}</tbody>
    </table>`;
  return html`<section id="update-detail" data-name=${name} data-kind=${kind} aria-labelledby="update-detail-heading"><h2 id="update-detail-heading">${heading}</h2>${body}</section>`;
}
