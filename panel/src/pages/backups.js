// Backups of one container: back up now, its backups in the targets, restore in place (stopped) or as a new container.
import { useState } from 'preact/hooks';
import { api, containerPath, enc } from '../api.js';
import { ErrorLine, confirmAction } from '../components.js';
import { waitJob } from '../events.js';
import { size, when } from '../format.js';
import { html } from '../html.js';
import { anyJobEnd, useApi } from '../hooks.js';

export function Backups({ container, me }) {
  const name = container.name;
  const { data: backups, error: listError, reload } = useApi(`${containerPath(name)}/backups`, anyJobEnd);
  // Targets are an admin's to see; a member's backup goes to the container's backups.target, or the only target.
  const { data: targets } = useApi(me.role === 'admin' ? '/api/v1/backup-targets' : null);
  const [target, setTarget] = useState('');
  const [asName, setAsName] = useState('');
  const [error, setError] = useState(null);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(null);
  const stopped = container.status === 'stopped';

  const run = async (what, start, result) => {
    setError(null);
    setDone('');
    setBusy(what);
    try {
      await waitJob(await start(), (message) => setBusy(`${what}: ${message}`));
      setDone(result);
    } catch (e) {
      setError(new Error(`${what}: ${e.message}`));
    } finally {
      setBusy(null);
      reload();
    }
  };
  const backUp = (event) => {
    event.preventDefault();
    run('back up', () => api('POST', `${containerPath(name)}/backups`, target ? { target } : {}), `${name} backed up`);
  };
  const restore = async (b) => {
    if (!await confirmAction(`Restore ${name} from backup ${b.id} of ${when(b.time)}? Every change since the backup is lost.`, 'Restore')) return;
    run(`restore ${b.id}`, () => api('POST', `/api/v1/backups/${enc(b.id)}/restore`, { container: name }), `${name} restored from ${b.id}`);
  };
  const restoreAs = (b) => {
    if (!asName.trim()) {
      setError(new Error('Give the new container a name first.'));
      return;
    }
    const target = asName.trim();
    run(`restore ${b.id} as ${target}`, () => api('POST', `/api/v1/backups/${enc(b.id)}/restore`, { container: name, as: target }), `${target} restored from ${b.id}`);
  };

  return html`
    <h2>Backups</h2>
    <form id="backup-form" class="inline" onSubmit=${backUp}>
      ${targets && targets.length > 0 && html`
        <label for="backup-target">Target</label>
        <select id="backup-target" value=${target} onChange=${(e) => setTarget(e.currentTarget.value)}>
          <option value="">the container's default</option>
          ${targets.map((t) => html`<option value=${t.name}>${t.name}</option>`)}
        </select>`}
      <button type="submit" data-action="backup-run" disabled=${!!busy}>Back up now</button>
    </form>
    <p id="backup-progress" aria-live="polite">${busy || ''}</p>
    <${ErrorLine} error=${error || listError} id="backup-error" />
    ${done && html`<p id="backup-done" class="ok" role="status">${done}</p>`}
    ${!stopped && html`<p class="hint" id="restore-hint">Restoring in place needs ${name} stopped; a restore as a new container does not.</p>`}
    <div class="field">
      <label for="restore-as">New container's name (for "restore as")</label>
      <input id="restore-as" value=${asName} onInput=${(e) => setAsName(e.currentTarget.value)} pattern="[a-z0-9][a-z0-9\-]{0,62}" />
    </div>
    <ul id="backups" class="list">
      ${(backups || []).map((b) => html`
        <li key=${b.id} data-backup=${b.id}>
          <span>${when(b.time)} <small>${b.id} in ${b.target}${b.sizeBytes != null ? `, ${size(b.sizeBytes)}` : ''}${b.files != null ? `, ${b.files} files` : ''}</small></span>
          <button type="button" data-action="backup-restore" disabled=${!!busy || !stopped} onClick=${() => restore(b)}>restore</button>
          <button type="button" data-action="backup-restore-as" disabled=${!!busy} onClick=${() => restoreAs(b)}>restore as</button>
        </li>`)}
    </ul>
    ${backups && backups.length === 0 && html`<p id="no-backups">No backups yet.</p>`}`;
}
