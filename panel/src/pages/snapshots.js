// Snapshots of one container: take, restore (stops and restarts it), delete.
import { useState } from 'preact/hooks';
import { api, containerPath, enc } from '../api.js';
import { ErrorLine, confirmAction } from '../components.js';
import { waitJob } from '../events.js';
import { when } from '../format.js';
import { html } from '../html.js';
import { aboutContainer, useApi } from '../hooks.js';

export function Snapshots({ name }) {
  const path = `${containerPath(name)}/snapshots`;
  const { data: snapshots, reload } = useApi(path, aboutContainer(name));
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [newName, setNewName] = useState('');

  const run = async (what, start) => {
    setError(null);
    setBusy(true);
    try {
      await waitJob(await start());
    } catch (e) {
      setError(new Error(`${what}: ${e.message}`));
    } finally {
      setBusy(false);
      reload();
    }
  };
  const create = (event) => {
    event.preventDefault();
    run('take snapshot', () => api('POST', path, newName.trim() ? { name: newName.trim() } : {})).then(() => setNewName(''));
  };
  const restore = async (s) => {
    if (!await confirmAction(`Restore ${name} to snapshot ${s}? ${name} is stopped and every change since the snapshot is lost.`, 'Restore')) return;
    run(`restore ${s}`, () => api('POST', `${path}/${enc(s)}/restore`, { stop: true }));
  };
  const remove = async (s) => {
    if (!await confirmAction(`Delete snapshot ${s} of ${name}?`, 'Delete')) return;
    run(`delete ${s}`, () => api('DELETE', `${path}/${enc(s)}`));
  };

  return html`
    <h2>Snapshots</h2>
    <form id="snapshot-form" class="inline" onSubmit=${create}>
      <label for="snapshot-name">Name (optional)</label>
      <input id="snapshot-name" value=${newName} onInput=${(e) => setNewName(e.currentTarget.value)} pattern="[a-z0-9][a-z0-9.\-]{0,62}" />
      <button type="submit" data-action="snapshot-create" disabled=${busy}>Take snapshot</button>
    </form>
    <${ErrorLine} error=${error} id="snapshot-error" />
    <ul id="snapshots" class="list">
      ${(snapshots || []).map((s) => html`
        <li key=${s.name} data-snapshot=${s.name}>
          <span>${s.name} <small>${when(s.createdAt)}${s.expiresAt ? `, expires ${when(s.expiresAt)}` : ''}</small></span>
          <button type="button" data-action="snapshot-restore" disabled=${busy} onClick=${() => restore(s.name)}>restore</button>
          <button type="button" data-action="snapshot-delete" class="danger" disabled=${busy} onClick=${() => remove(s.name)}>delete</button>
        </li>`)}
    </ul>
    ${snapshots && snapshots.length === 0 && html`<p>No snapshots yet.</p>`}`;
}
