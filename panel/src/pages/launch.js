// The launch wizard: one form (image, name, network, storage, limits, SSH key, domain), the API's complaints next
// to the field they name, then progress until the container runs.
import { useState } from 'preact/hooks';
import { api, containerPath, fieldOf } from '../api.js';
import { ErrorLine, Field } from '../components.js';
import { waitJob } from '../events.js';
import { html } from '../html.js';
import { anyJobEnd, useApi } from '../hooks.js';
import { Quota } from './containers.js';

const FIELDS = ['name', 'image', 'network', 'ip', 'storage', 'owner', 'limits.memory', 'limits.cpu', 'limits.processes', 'limits.disk', 'key', 'domain'];
// Quota resources name the limit a launch must set or stays within.
const RESOURCE_FIELDS = { memory: 'limits.memory', cpu: 'limits.cpu', processes: 'limits.processes', disk: 'limits.disk' };

export function LaunchWizard({ me }) {
  const admin = me.role === 'admin';
  const { data: images } = useApi('/api/v1/images', anyJobEnd);
  const { data: networks } = useApi('/api/v1/networks', anyJobEnd);
  const { data: pools } = useApi('/api/v1/storage-pools', anyJobEnd);
  const { data: users } = useApi(admin ? '/api/v1/users' : null);
  const [form, setForm] = useState({ name: '', image: '', network: '', storage: '', owner: '', 'limits.memory': '', 'limits.cpu': '', 'limits.processes': '', 'limits.disk': '', key: '', domain: '', start: true });
  const [errors, setErrors] = useState({});
  const [formError, setFormError] = useState(null);
  const [progress, setProgress] = useState(null);

  const set = (key) => (e) => setForm({ ...form, [key]: e.currentTarget.type === 'checkbox' ? e.currentTarget.checked : e.currentTarget.value });
  const image = form.image || (images && images.length ? (images.find((i) => i.alias === 'busybox') || images[0]).alias : '');

  const fail = (e, fallbackField) => {
    let field = fieldOf(e, FIELDS.concat(Object.keys(RESOURCE_FIELDS)));
    field = RESOURCE_FIELDS[field] || field || fallbackField;
    if (field) setErrors({ [field]: e.message });
    else setFormError(e);
  };

  const submit = async (event) => {
    event.preventDefault();
    setErrors({});
    setFormError(null);
    const name = form.name.trim();
    const config = {};
    for (const key of ['limits.memory', 'limits.cpu', 'limits.processes', 'limits.disk']) if (form[key].trim()) config[key] = form[key].trim();
    const request = { name, image, start: form.start, config, network: form.network || undefined, storage: form.storage || undefined, owner: form.owner || undefined };
    let job;
    try {
      setProgress('Submitting…');
      job = await api('POST', '/api/v1/containers', request);
    } catch (e) {
      setProgress(null);
      fail(e);
      return;
    }
    try {
      setProgress('Queued');
      await waitJob(job, setProgress);
    } catch (e) {
      setProgress(null);
      fail(e);
      return;
    }
    // The container exists: the rest are its own jobs, and a failure among them leaves it as launched.
    try {
      if (form.key.trim()) {
        setProgress('Adding the SSH key');
        await waitJob(await api('POST', `${containerPath(name)}/ssh-keys`, { key: form.key.trim() }));
        const ssh = await api('POST', `${containerPath(name)}/ssh`);
        if (ssh.job) await waitJob(ssh.job);
      }
      if (admin && form.domain.trim()) {
        setProgress('Routing the domain');
        await waitJob(await api('POST', '/api/v1/routes', { container: name, domain: form.domain.trim(), port: 80 }));
      }
    } catch (e) {
      setProgress(null);
      setFormError(new Error(`${name} runs, but: ${e.message}`));
      return;
    }
    location.hash = `#/containers/${encodeURIComponent(name)}`;
  };

  const busy = progress !== null;
  return html`
    <section class="wizard">
      <h1>Launch a container</h1>
      ${!me.root && html`<${Quota} user=${me.name} />`}
      <form id="launch-form" onSubmit=${submit} novalidate>
        <${Field} id="launch-name" label="Name" hint="lowercase letters, digits and hyphens" error=${errors.name} required autocomplete="off"
          value=${form.name} onInput=${set('name')} pattern="[a-z]([a-z0-9\-]{0,61}[a-z0-9])?" />
        <${Field} id="launch-image" label="Image" error=${errors.image}>
          <select id="launch-image" value=${image} onChange=${set('image')} aria-invalid=${errors.image ? 'true' : undefined} aria-describedby=${errors.image ? 'launch-image-error' : undefined}>
            ${(images || []).map((i) => html`<option key=${i.alias} value=${i.alias}>${i.cached ? i.alias : `${i.alias} (builds first)`}</option>`)}
          </select>
        <//>
        <div class="grid">
          <${Field} id="launch-network" label="Network" error=${errors.network || errors.ip}>
            <select id="launch-network" value=${form.network} onChange=${set('network')}>
              <option value="">the default network</option>
              ${(networks || []).map((n) => html`<option key=${n.name} value=${n.name}>${n.name} (${n.subnet})</option>`)}
              <option value="none">no network</option>
            </select>
          <//>
          <${Field} id="launch-storage" label="Storage pool" error=${errors.storage}>
            <select id="launch-storage" value=${form.storage} onChange=${set('storage')}>
              <option value="">the default pool</option>
              ${(pools || []).map((p) => html`<option key=${p.name} value=${p.name}>${p.name} (${p.driver})</option>`)}
            </select>
          <//>
          ${admin && html`
            <${Field} id="launch-owner" label="Owner" error=${errors.owner}>
              <select id="launch-owner" value=${form.owner} onChange=${set('owner')}>
                <option value="">me</option>
                ${(users || []).map((u) => html`<option key=${u.name} value=${u.name}>${u.name}</option>`)}
              </select>
            <//>`}
        </div>
        <fieldset>
          <legend>Limits</legend>
          <div class="grid">
            <${Field} id="launch-memory" label="Memory" hint="e.g. 256MiB" error=${errors['limits.memory']} value=${form['limits.memory']} onInput=${set('limits.memory')} />
            <${Field} id="launch-cpu" label="CPUs" hint="a CPU list: 0 or 0-1" error=${errors['limits.cpu']} value=${form['limits.cpu']} onInput=${set('limits.cpu')} />
            <${Field} id="launch-processes" label="Processes" error=${errors['limits.processes']} value=${form['limits.processes']} onInput=${set('limits.processes')} inputmode="numeric" />
            <${Field} id="launch-disk" label="Disk" hint="btrfs pools only" error=${errors['limits.disk']} value=${form['limits.disk']} onInput=${set('limits.disk')} />
          </div>
        </fieldset>
        <${Field} id="launch-key" label="SSH public key (optional; opens an SSH port)" error=${errors.key}>
          <textarea id="launch-key" rows="2" value=${form.key} onInput=${set('key')} placeholder="ssh-ed25519 AAAA… you@laptop"></textarea>
        <//>
        ${admin && html`<${Field} id="launch-domain" label="Domain (optional; routed to port 80)" error=${errors.domain} value=${form.domain} onInput=${set('domain')} placeholder="wiki.example.org" />`}
        <label class="check"><input type="checkbox" id="launch-start" checked=${form.start} onChange=${set('start')} /> Start it</label>
        <div><button type="submit" class="button" disabled=${busy}>Launch</button></div>
        <p id="launch-progress" role="status" aria-live="polite">${progress || ''}</p>
        <${ErrorLine} error=${formError} id="launch-error" />
      </form>
    </section>`;
}
