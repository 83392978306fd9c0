// Networks and storage pools: list, create, delete once unused.
import { useState } from 'preact/hooks';
import { api, enc, fieldOf } from '../api.js';
import { ErrorLine, Field, confirmAction } from '../components.js';
import { waitJob } from '../events.js';
import { size } from '../format.js';
import { html } from '../html.js';
import { anyJobEnd, useApi } from '../hooks.js';
import { DiskUse } from './host.js';

/** Runs a job from a form; the error goes to the field it names, else the form's line. */
export function useJobForm(fields) {
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const run = async (start, after) => {
    setErrors({});
    setBusy(true);
    try {
      await waitJob(await start());
      if (after) after();
    } catch (e) {
      setErrors({ [fieldOf(e, fields) || 'form']: e.message });
    } finally {
      setBusy(false);
    }
  };
  return { errors, busy, run, setErrors };
}

export async function removeJob(question, path, setError) {
  if (!await confirmAction(question, 'Delete')) return;
  try {
    await waitJob(await api('DELETE', path));
  } catch (e) {
    setError(e);
  }
}

export function Networks() {
  const { data: networks } = useApi('/api/v1/networks', anyJobEnd);
  const [form, setForm] = useState({ name: '', subnet: '', nat: true, isolated: false });
  const { errors, busy, run } = useJobForm(['name', 'subnet', 'nat', 'isolated']);
  const [error, setError] = useState(null);
  const set = (k) => (e) => setForm({ ...form, [k]: e.currentTarget.type === 'checkbox' ? e.currentTarget.checked : e.currentTarget.value });
  const submit = (event) => {
    event.preventDefault();
    run(() => api('POST', '/api/v1/networks', { name: form.name.trim(), subnet: form.subnet.trim(), nat: form.nat, isolated: form.isolated }), () => setForm({ ...form, name: '', subnet: '' }));
  };
  return html`
    <h2>Networks</h2>
    <form id="network-form" class="inline" onSubmit=${submit}>
      <${Field} id="network-name" label="Name" error=${errors.name} required value=${form.name} onInput=${set('name')} />
      <${Field} id="network-subnet" label="Subnet" error=${errors.subnet} required value=${form.subnet} onInput=${set('subnet')} placeholder="10.20.0.0/24" />
      <label class="check"><input id="network-nat" type="checkbox" checked=${form.nat} onChange=${set('nat')} /> NAT</label>
      <label class="check"><input id="network-isolated" type="checkbox" checked=${form.isolated} onChange=${set('isolated')} /> isolated</label>
      <button type="submit" disabled=${busy}>Create</button>
    </form>
    <p class="error" id="network-error" role="alert">${errors.form || (error && error.message) || ''}</p>
    <div class="table-wrap" tabindex="0">
      <table id="networks">
        <thead><tr><th scope="col">Name</th><th scope="col">Subnet</th><th scope="col">IPv6</th><th scope="col">Mode</th><th scope="col">Owner</th><th scope="col">Containers</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          ${(networks || []).map((n) => {
            const used = Object.keys(n.leases || {}).length;
            return html`
              <tr key=${n.name} data-name=${n.name}>
                <th scope="row">${n.name}</th><td>${n.subnet}</td><td>${n.ipv6 || ''}</td><td>${n.mode}</td><td>${n.owner || 'shared'}</td><td class="used">${used}</td>
                <td>${used === 0 && html`<button type="button" class="danger" data-action="delete" onClick=${() => removeJob(`Delete network ${n.name}?`, `/api/v1/networks/${enc(n.name)}`, setError)}>delete</button>`}</td>
              </tr>`;
          })}
        </tbody>
      </table>
    </div>`;
}

export function Pools() {
  const { data: pools } = useApi('/api/v1/storage-pools', anyJobEnd);
  const [form, setForm] = useState({ name: '', driver: 'dir', size: '' });
  const { errors, busy, run } = useJobForm(['name', 'driver', 'size']);
  const [error, setError] = useState(null);
  const set = (k) => (e) => setForm({ ...form, [k]: e.currentTarget.value });
  const submit = (event) => {
    event.preventDefault();
    run(() => api('POST', '/api/v1/storage-pools', { name: form.name.trim(), driver: form.driver, size: form.size.trim() || undefined }), () => setForm({ ...form, name: '', size: '' }));
  };
  return html`
    <h2>Storage pools</h2>
    <form id="pool-form" class="inline" onSubmit=${submit}>
      <${Field} id="pool-name" label="Name" error=${errors.name} required value=${form.name} onInput=${set('name')} />
      <${Field} id="pool-driver" label="Driver" error=${errors.driver}>
        <select id="pool-driver" value=${form.driver} onChange=${set('driver')}><option value="dir">dir</option><option value="btrfs">btrfs</option><option value="overlay">overlay</option></select>
      <//>
      <${Field} id="pool-size" label="Size (btrfs)" error=${errors.size} value=${form.size} onInput=${set('size')} placeholder="20GiB" />
      <button type="submit" disabled=${busy}>Create</button>
    </form>
    <p class="error" id="pool-error" role="alert">${errors.form || (error && error.message) || ''}</p>
    <table id="pools">
      <thead><tr><th scope="col">Name</th><th scope="col">Driver</th><th scope="col">Size</th><th scope="col">Disk used</th><th scope="col">Copy-on-write</th><th scope="col">Containers</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>
        ${(pools || []).map((p) => html`
          <tr key=${p.name} data-name=${p.name}>
            <th scope="row">${p.name}</th><td>${p.driver}</td><td>${p.sizeBytes == null ? '' : size(p.sizeBytes)}</td><td class="disk">${DiskUse(p)}</td><td>${p.copyOnWrite ? 'yes' : 'no'}</td><td class="used">${p.containers}</td>
            <td>${p.containers === 0 && p.name !== 'default' && html`<button type="button" class="danger" data-action="delete" onClick=${() => removeJob(`Delete storage pool ${p.name}?`, `/api/v1/storage-pools/${enc(p.name)}`, setError)}>delete</button>`}</td>
          </tr>`)}
      </tbody>
    </table>`;
}
