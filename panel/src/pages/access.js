// How a container is reached: its port forwards, its SSH port with the exact command, and the SSH keys it accepts.
import { useState } from 'preact/hooks';
import { api, containerPath, enc, fieldOf } from '../api.js';
import { CopyButton, ErrorLine, Field, confirmAction } from '../components.js';
import { waitJob } from '../events.js';
import { forwardPorts } from '../format.js';
import { html } from '../html.js';
import { aboutContainer, useApi } from '../hooks.js';

export function Access({ container: c }) {
  const path = `${containerPath(c.name)}/forwards`;
  const { data: forwards, reload } = useApi(path, aboutContainer(c.name));
  const ssh = (forwards || []).find((f) => f.ssh);
  return html`
    <${Forwards} name=${c.name} path=${path} forwards=${(forwards || []).filter((f) => !f.ssh)} reload=${reload} />
    <${Ssh} name=${c.name} forward=${ssh} reload=${reload} />
    <${SshKeys} name=${c.name} />`;
}

function Forwards({ name, path, forwards, reload }) {
  const [ports, setPorts] = useState('');
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);

  const add = async (event) => {
    event.preventDefault();
    setErrors({});
    setBusy(true);
    const submitted = ports;
    try {
      await waitJob(await api('POST', path, { ports: ports.trim() }));
      // Only what was sent is cleared: the user may have typed the next one meanwhile.
      setPorts((now) => (now === submitted ? '' : now));
    } catch (e) {
      setErrors(fieldOf(e, ['ports', 'port']) || e.status === 403 || e.status === 409 || e.status === 400 ? { ports: e.message } : { form: e.message });
    } finally {
      setBusy(false);
      reload();
    }
  };
  const remove = async (f) => {
    if (!await confirmAction(`Remove the forward ${forwardPorts(f)} of ${name}?`, 'Remove')) return;
    setErrors({});
    try {
      await waitJob(await api('DELETE', `${path}/${enc(f.protocol)}/${f.hostPort}`));
    } catch (e) {
      setErrors({ form: e.message });
    }
    reload();
  };

  return html`
    <section aria-labelledby="forwards-heading">
      <h2 id="forwards-heading">Port forwards</h2>
      <form id="forward-form" class="inline" onSubmit=${add}>
        <${Field} id="forward-ports" label="Host port : container port / protocol" hint="e.g. 30080:80/tcp" error=${errors.ports}
          required value=${ports} onInput=${(e) => setPorts(e.currentTarget.value)} placeholder="30080:80/tcp" />
        <button type="submit" disabled=${busy}>Add forward</button>
      </form>
      ${errors.form && html`<p class="error" role="alert">${errors.form}</p>`}
      <ul id="forwards" class="list">
        ${forwards.map((f) => html`
          <li key=${`${f.protocol}/${f.hostPort}`} data-forward=${forwardPorts(f)}>
            <span>${f.listenAddress ? `${f.listenAddress}:` : ''}${forwardPorts(f)} <small>to ${f.targetAddress || '—'}</small></span>
            <button type="button" class="danger" data-action="forward-remove" onClick=${() => remove(f)}>remove</button>
          </li>`)}
      </ul>
      ${forwards.length === 0 && html`<p>No forwards.</p>`}
    </section>`;
}

function Ssh({ name, forward, reload }) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const command = forward ? `ssh -p ${forward.hostPort} root@${location.hostname}` : null;
  const enable = async () => {
    setError(null);
    setBusy(true);
    try {
      const result = await api('POST', `${containerPath(name)}/ssh`);
      if (result.job) await waitJob(result.job);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      reload();
    }
  };
  const disable = async () => {
    if (!await confirmAction(`Close the SSH port of ${name}? Sessions through it end.`, 'Close')) return;
    try {
      await waitJob(await api('DELETE', `${containerPath(name)}/ssh`));
    } catch (e) {
      setError(e);
    }
    reload();
  };
  return html`
    <section aria-labelledby="ssh-heading" id="ssh">
      <h2 id="ssh-heading">SSH</h2>
      ${command ? html`
        <p>Port <strong id="ssh-port">${forward.hostPort}</strong> reaches the container's port 22:</p>
        <p class="command"><code id="ssh-command">${command}</code> <${CopyButton} text=${command} label="Copy command" /></p>
        <button type="button" class="danger" onClick=${disable}>Close SSH port</button>`
      : html`<p>No SSH port yet.</p><button type="button" id="ssh-enable" disabled=${busy} onClick=${enable}>Open an SSH port</button>`}
      <${ErrorLine} error=${error} id="ssh-error" />
    </section>`;
}

function SshKeys({ name }) {
  const path = `${containerPath(name)}/ssh-keys`;
  const { data: keys, reload, error: loadError } = useApi(path, aboutContainer(name));
  const [key, setKey] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const add = async (event) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    const submitted = key;
    try {
      await waitJob(await api('POST', path, { key: key.trim() }));
      setKey((now) => (now === submitted ? '' : now));
    } catch (e) {
      setError(e.message);
    } finally {
      setBusy(false);
      reload();
    }
  };
  const remove = async (k) => {
    if (!await confirmAction(`Remove the key ${k.comment || k.fingerprint} from ${name}?`, 'Remove')) return;
    try {
      await waitJob(await api('DELETE', `${path}/${enc(k.fingerprint)}`));
    } catch (e) {
      setError(e.message);
    }
    reload();
  };
  return html`
    <section aria-labelledby="keys-heading">
      <h2 id="keys-heading">SSH keys</h2>
      <form id="ssh-key-form" onSubmit=${add}>
        <${Field} id="ssh-key" label="Public key (one line from ~/.ssh/id_ed25519.pub)" error=${error}>
          <textarea id="ssh-key" rows="2" required aria-invalid=${error ? 'true' : undefined} aria-describedby=${error ? 'ssh-key-error' : undefined} value=${key} onInput=${(e) => setKey(e.currentTarget.value)} placeholder="ssh-ed25519 AAAA… you@laptop"></textarea>
        <//>
        <button type="submit" disabled=${busy}>Add key</button>
      </form>
      <${ErrorLine} error=${loadError} />
      <ul id="ssh-keys" class="list">
        ${(keys || []).map((k) => html`
          <li key=${k.fingerprint} data-fingerprint=${k.fingerprint}>
            <span>${k.type} <code>${k.fingerprint}</code> ${k.comment}</span>
            <button type="button" class="danger" data-action="key-remove" onClick=${() => remove(k)}>remove</button>
          </li>`)}
      </ul>
      ${keys && keys.length === 0 && html`<p>No keys: add one to log in over SSH.</p>`}
    </section>`;
}
