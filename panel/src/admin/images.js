// Images: list, publish a stopped container, delete unused ones.
import { useState } from 'preact/hooks';
import { api, imagePath } from '../api.js';
import { Field } from '../components.js';
import { size } from '../format.js';
import { html } from '../html.js';
import { anyContainerEvent, anyJobEnd, useApi } from '../hooks.js';
import { removeJob, useJobForm } from './resources.js';

export function Images() {
  const { data: images } = useApi('/api/v1/images', anyJobEnd);
  const { data: containers } = useApi('/api/v1/containers', anyContainerEvent);
  const stopped = (containers || []).filter((c) => c.managed && c.status === 'stopped');
  const [container, setContainer] = useState('');
  const [alias, setAlias] = useState('');
  const { errors, busy, run } = useJobForm(['alias', 'container']);
  const [error, setError] = useState(null);
  const source = container || (stopped[0] && stopped[0].name) || '';
  const submit = (event) => {
    event.preventDefault();
    run(() => api('POST', '/api/v1/images/publish', { container: source, alias: alias.trim() }), () => setAlias(''));
  };
  return html`
    <h2>Images</h2>
    <form id="publish-form" class="inline" onSubmit=${submit}>
      <${Field} id="publish-container" label="Stopped container" error=${errors.container}>
        <select id="publish-container" value=${source} onChange=${(e) => setContainer(e.currentTarget.value)}>
          ${stopped.map((c) => html`<option key=${c.name} value=${c.name}>${c.name}</option>`)}
        </select>
      <//>
      <${Field} id="publish-alias" label="Image name" error=${errors.alias} required value=${alias} onInput=${(e) => setAlias(e.currentTarget.value)} />
      <button type="submit" disabled=${busy || !source}>Publish</button>
    </form>
    <p class="error" id="image-error" role="alert">${errors.form || (error && error.message) || ''}</p>
    <div class="table-wrap" tabindex="0">
      <table id="images">
        <thead><tr><th scope="col">Alias</th><th scope="col">Origin</th><th scope="col">OS</th><th scope="col">Size</th><th scope="col">Containers</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          ${(images || []).map((i) => html`
            <tr key=${i.alias} data-alias=${i.alias}>
              <th scope="row">${i.alias}</th><td class="origin">${i.origin}</td><td>${`${i.os} ${i.release}`.trim()}</td><td>${i.cached ? size(i.sizeBytes) : 'not built'}</td><td>${i.containers}</td>
              <td>${i.cached && i.containers === 0 && html`<button type="button" class="danger" data-action="delete" onClick=${() => removeJob(`Delete image ${i.alias}?`, imagePath(i.alias), setError)}>delete</button>`}</td>
            </tr>`)}
        </tbody>
      </table>
    </div>`;
}
