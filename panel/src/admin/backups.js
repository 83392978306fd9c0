// Backup targets with their last check, and the containers whose last backup, prune or restore test failed.
import { ErrorLine } from '../components.js';
import { when } from '../format.js';
import { html } from '../html.js';
import { anyContainerEvent, anyJobEnd, useApi } from '../hooks.js';

export function BackupsAdmin() {
  const { data: targets, error } = useApi('/api/v1/backup-targets', anyJobEnd);
  const { data: containers } = useApi('/api/v1/containers', anyContainerEvent);
  const failing = (containers || []).filter((c) => c.lastBackup && !c.lastBackup.ok);
  return html`
    <h2>Backup targets</h2>
    <${ErrorLine} error=${error} id="backup-targets-error" />
    ${targets && targets.length === 0 && html`<p id="no-backup-targets">No backup target yet (docs/backups.md).</p>`}
    ${targets && targets.length > 0 && html`
      <div class="table-wrap" tabindex="0">
        <table id="backup-targets">
          <thead><tr><th scope="col">Target</th><th scope="col">Kind</th><th scope="col">Where</th><th scope="col">Last check</th><th scope="col">Added</th></tr></thead>
          <tbody>${targets.map((t) => html`
            <tr key=${t.name} data-target=${t.name}>
              <th scope="row">${t.name}</th><td>${t.kind}</td><td class="url">${t.url}</td>
              <td class="last-check">${t.lastCheck ? Mark(t.lastCheck) : 'none yet'}</td>
              <td>${when(t.createdAt)}</td>
            </tr>`)}</tbody>
        </table>
      </div>`}
    <h2>Failing backups</h2>
    ${containers && failing.length === 0 && html`<p id="no-backup-failures">No container's last backup failed.</p>`}
    ${failing.length > 0 && html`
      <div class="table-wrap" tabindex="0">
        <table id="backup-failures">
          <thead><tr><th scope="col">Container</th><th scope="col">Owner</th><th scope="col">What failed</th><th scope="col">Last success</th></tr></thead>
          <tbody>${failing.map((c) => html`
            <tr key=${c.name} data-name=${c.name}>
              <th scope="row"><a href=${`#/containers/${encodeURIComponent(c.name)}/backups`}>${c.name}</a></th>
              <td>${c.owner || 'root'}</td>
              <td class="failure">${Mark(c.lastBackup)}</td>
              <td>${c.lastBackup.lastSuccess ? when(c.lastBackup.lastSuccess) : 'never'}</td>
            </tr>`)}</tbody>
        </table>
      </div>`}`;
}

function Mark(mark) {
  return mark.ok
    ? html`<span class="result-succeeded">${mark.action} passed ${when(mark.time)}</span>`
    : html`<span class="result-failed">${mark.action} to ${mark.target} failed ${when(mark.time)}</span><br /><small>${mark.error || 'no reason given'}</small>`;
}
