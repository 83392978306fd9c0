// Members: add, disable and enable, quotas, password resets (a new setup link), tokens, delete.
import { useState } from 'preact/hooks';
import { api, enc, fieldOf, userPath } from '../api.js';
import { CopyButton, ErrorLine, Field, confirmAction } from '../components.js';
import { quotaAmount, when } from '../format.js';
import { html } from '../html.js';
import { useApi } from '../hooks.js';

const RESOURCES = ['containers', 'memory', 'cpu', 'disk', 'processes', 'forwards', 'ssh', 'snapshots'];

export function Members() {
  const { data: users, error, reload } = useApi('/api/v1/users');
  const [open, setOpen] = useState(null);
  const [secret, setSecret] = useState(null);
  return html`
    <${AddMember} onAdded=${(result) => { setSecret(result.setup ? { user: result.user.name, text: result.setup.url || result.setup.code, what: 'setup link' } : null); reload(); }} />
    ${secret && html`<${Secret} secret=${secret} onDone=${() => setSecret(null)} />`}
    <${ErrorLine} error=${error} />
    <div class="table-wrap" tabindex="0">
      <table id="members">
        <thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">State</th><th scope="col">Second factor</th><th scope="col">Created</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          ${(users || []).map((u) => html`
            <tr key=${u.name} data-user=${u.name}>
              <th scope="row">${u.name}</th>
              <td>${u.role}</td>
              <td class="state">${u.disabled ? 'disabled' : u.hasPassword ? 'active' : 'setup pending'}</td>
              <td>${u.totp ? 'TOTP' : '—'}</td>
              <td>${when(u.createdAt)}</td>
              <td><button type="button" data-action="manage" aria-expanded=${open === u.name} onClick=${() => setOpen(open === u.name ? null : u.name)}>manage</button></td>
            </tr>`)}
        </tbody>
      </table>
    </div>
    ${open && html`<${Member} key=${open} name=${open} onChanged=${reload} onSecret=${setSecret} onGone=${() => { setOpen(null); reload(); }} />`}`;
}

function Secret({ secret, onDone }) {
  return html`
    <div class="secret" id="secret" role="status">
      <p>The ${secret.what} for <strong>${secret.user}</strong>, shown this once:</p>
      <p><code id="secret-text">${secret.text}</code> <${CopyButton} text=${secret.text} /></p>
      <button type="button" onClick=${onDone}>Done</button>
    </div>`;
}

function AddMember({ onAdded }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState('member');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState({});
  const submit = async (event) => {
    event.preventDefault();
    setErrors({});
    try {
      const result = await api('POST', '/api/v1/users', { name: name.trim(), role, password: password || undefined });
      setName('');
      setPassword('');
      onAdded(result);
    } catch (e) {
      setErrors({ [fieldOf(e, ['name', 'role', 'password']) || 'name']: e.message });
    }
  };
  return html`
    <form id="member-form" class="inline" onSubmit=${submit} aria-label="Add a member">
      <${Field} id="member-name" label="New member" error=${errors.name} required value=${name} onInput=${(e) => setName(e.currentTarget.value)} autocomplete="off" />
      <${Field} id="member-role" label="Role" error=${errors.role}>
        <select id="member-role" value=${role} onChange=${(e) => setRole(e.currentTarget.value)}><option value="member">member</option><option value="admin">admin</option></select>
      <//>
      <${Field} id="member-password" label="Password (empty: a setup link)" type="password" autocomplete="new-password" error=${errors.password} value=${password} onInput=${(e) => setPassword(e.currentTarget.value)} />
      <button type="submit">Add</button>
    </form>`;
}

function Member({ name, onChanged, onSecret, onGone }) {
  const { data: user, reload } = useApi(userPath(name));
  const [error, setError] = useState(null);
  const act = async (what, run) => {
    setError(null);
    try {
      await run();
      reload();
      onChanged();
    } catch (e) {
      setError(new Error(`${what}: ${e.message}`));
    }
  };
  if (!user) return null;
  const reset = async () => {
    if (!await confirmAction(`Reset the password of ${name}? The old one stops working and ${name}'s sessions end.`, 'Reset')) return;
    act('reset password', async () => {
      const result = await api('PUT', `${userPath(name)}/password`, {});
      if (result.setup) onSecret({ user: name, text: result.setup.url || result.setup.code, what: 'setup link' });
    });
  };
  const remove = async () => {
    if (!await confirmAction(`Delete user ${name}? Their tokens and sessions go with them.`, 'Delete', name)) return;
    act('delete', async () => { await api('DELETE', userPath(name)); onGone(); });
  };
  return html`
    <section class="member" id="member" data-user=${name} aria-labelledby="member-heading">
      <h2 id="member-heading">${name}</h2>
      <div class="actions">
        ${user.disabled
          ? html`<button type="button" data-action="enable" onClick=${() => act('enable', () => api('POST', `${userPath(name)}/enable`))}>enable</button>`
          : html`<button type="button" data-action="disable" onClick=${() => act('disable', () => api('POST', `${userPath(name)}/disable`))}>disable</button>`}
        <button type="button" data-action="reset-password" onClick=${reset}>reset password</button>
        <button type="button" class="danger" data-action="delete" onClick=${remove}>delete</button>
      </div>
      <${ErrorLine} error=${error} id="member-error" />
      ${user.quota && html`<${QuotaEditor} name=${name} quota=${user.quota} onSaved=${reload} />`}
      <${Tokens} name=${name} onSecret=${onSecret} />
    </section>`;
}

function QuotaEditor({ name, quota, onSaved }) {
  const byResource = Object.fromEntries(quota.items.map((i) => [i.resource, i]));
  const initial = (item) => (item && item.limit != null ? quotaAmount(item, item.limit).replace(' ', '') : '');
  const [values, setValues] = useState(() => Object.fromEntries(RESOURCES.map((r) => [r, initial(byResource[r])])));
  const [errors, setErrors] = useState({});
  const [saved, setSaved] = useState(false);
  const save = async (event) => {
    event.preventDefault();
    setErrors({});
    setSaved(false);
    const set = {};
    for (const r of RESOURCES) if (values[r].trim() !== initial(byResource[r])) set[r] = values[r].trim();
    try {
      await api('PATCH', `${userPath(name)}/quota`, { set });
      setSaved(true);
      onSaved();
    } catch (e) {
      setErrors({ [fieldOf(e, RESOURCES) || 'form']: e.message });
    }
  };
  return html`
    <form id="quota-form" onSubmit=${save} aria-labelledby="quota-edit-heading">
      <h3 id="quota-edit-heading">Quota</h3>
      <div class="grid">
        ${RESOURCES.map((r) => {
          const item = byResource[r];
          const used = item && item.used != null ? `uses ${quotaAmount(item, item.used)}` : item && item.unboundedBy ? `unbounded: ${item.unboundedBy}` : '';
          return html`<${Field} key=${r} id=${`quota-${r}`} label=${r} hint=${used || 'empty: unlimited'} error=${errors[r]} value=${values[r]} onInput=${(e) => setValues({ ...values, [r]: e.currentTarget.value })} />`;
        })}
      </div>
      <button type="submit">Save quota</button>
      ${saved && html`<span class="ok" role="status" id="quota-saved">Saved.</span>`}
      ${errors.form && html`<p class="error" role="alert">${errors.form}</p>`}
    </form>`;
}

function Tokens({ name, onSecret }) {
  const path = `${userPath(name)}/tokens`;
  const { data: tokens, reload } = useApi(path);
  const [tokenName, setTokenName] = useState('');
  const [expires, setExpires] = useState('90d');
  const [readOnly, setReadOnly] = useState(false);
  const [scope, setScope] = useState('full');
  const [error, setError] = useState(null);
  const [scopeError, setScopeError] = useState(null);
  const create = async (event) => {
    event.preventDefault();
    setError(null);
    setScopeError(null);
    try {
      const result = await api('POST', path, { name: tokenName.trim(), expires: expires.trim() || undefined, readOnly, scope: scope === 'full' ? undefined : scope });
      onSecret({ user: name, text: result.token, what: `token ${result.info.name}` });
      setTokenName('');
      reload();
    } catch (e) {
      // A metrics-only token is an admin's: the refusal says scope, so it shows next to that choice.
      if (scope !== 'full' && fieldOf(e, ['name', 'expires', 'scope']) === 'scope') setScopeError(e.message);
      else setError(e.message);
    }
  };
  const revoke = async (t) => {
    if (!await confirmAction(`Revoke the token ${t.name} of ${name}?`, 'Revoke')) return;
    try {
      await api('DELETE', `${path}/${enc(t.name)}`);
    } catch (e) {
      setError(e.message);
    }
    reload();
  };
  return html`
    <h3>Tokens</h3>
    <form id="token-create-form" class="inline" onSubmit=${create}>
      <${Field} id="token-name" label="Token name" error=${error} required value=${tokenName} onInput=${(e) => setTokenName(e.currentTarget.value)} autocomplete="off" />
      <${Field} id="token-expires" label="Expires after" value=${expires} onInput=${(e) => setExpires(e.currentTarget.value)} />
      <label class="check"><input type="checkbox" checked=${readOnly} onChange=${(e) => setReadOnly(e.currentTarget.checked)} /> read-only</label>
      <${Field} id="token-scope" label="Scope" error=${scopeError}>
        <select id="token-scope" name="token-scope" aria-invalid=${scopeError ? 'true' : undefined} aria-describedby=${scopeError ? 'token-scope-error' : undefined} value=${scope} onChange=${(e) => setScope(e.currentTarget.value)}>
          <option value="full">full</option>
          <option value="metrics">metrics only (GET /metrics)</option>
        </select>
      <//>
      <button type="submit">Create token</button>
    </form>
    <ul class="list" id="tokens">
      ${(tokens || []).map((t) => html`
        <li key=${t.name} data-token=${t.name}>
          <span>${t.name}${t.readOnly ? ' (read-only)' : ''} <span class="token-scope" data-scope=${t.scope || 'full'}>scope ${t.scope || 'full'}</span> <small>${t.expiresAt ? `expires ${when(t.expiresAt)}` : 'never expires'}${t.lastUsedAt ? `, used ${when(t.lastUsedAt)}` : ''}</small></span>
          <button type="button" class="danger" onClick=${() => revoke(t)}>revoke</button>
        </li>`)}
    </ul>`;
}
