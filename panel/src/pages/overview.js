// A container's facts, its CPU and memory as small live graphs, and its limits (editable within the quota).
import { useState } from 'preact/hooks';
import { api, containerPath, fieldOf } from '../api.js';
import { ErrorLine, Field, Meter, Sparkline } from '../components.js';
import { waitJob } from '../events.js';
import { parseSize, size, when } from '../format.js';
import { html } from '../html.js';
import { useSamples } from '../hooks.js';
import { Quota } from './containers.js';
import { History } from './history.js';

const LIMITS = [
  ['limits.memory', 'Memory limit', 'e.g. 512MiB or 2GiB'],
  ['limits.cpu', 'CPUs it may use', 'a CPU list: 0, 0-1, 0,2'],
  ['limits.cpu.weight', 'CPU weight', '1-10000, default 100'],
  ['limits.processes', 'Processes', 'most processes at once'],
  ['limits.disk', 'Disk', 'btrfs pools only, e.g. 10GiB'],
];

export function Overview({ container: c, me }) {
  const running = c.status === 'running';
  const samples = useSamples(containerPath(c.name), 5, 24, running);
  const memoryLimit = parseSize(c.config['limits.memory']);
  const memory = samples.map((s) => s.data.memoryBytes || 0);
  // CPU as the share of one CPU between two samples: raw counters confuse.
  const cpu = samples.slice(1).map((s, i) => {
    const before = samples[i];
    const seconds = s.at - before.at;
    return seconds > 0 && s.data.cpuSeconds != null && before.data.cpuSeconds != null ? Math.max(0, (100 * (s.data.cpuSeconds - before.data.cpuSeconds)) / seconds) : 0;
  });
  const lastCpu = cpu.length ? cpu[cpu.length - 1] : null;
  const latest = samples.length ? samples[samples.length - 1].data : c;

  return html`
    <div class="overview">
      <dl class="facts">
        <dt>Image</dt><dd>${c.image || '—'}</dd>
        ${me.role === 'admin' && html`<dt>Owner</dt><dd class="owner">${c.owner || 'root'}</dd>`}
        <dt>Storage</dt><dd>${c.storage || '—'}</dd>
        <dt>Network</dt><dd>${(c.networks && c.networks.length ? c.networks.map((n) => `eth${n.index}: ${n.network} ${[n.ipv4, n.ipv6].filter(Boolean).join(' ')}`) : [c.network || 'none']).join('; ')}</dd>
        <dt>Addresses</dt><dd class="addresses">${(c.addresses || []).join(', ') || '—'}</dd>
        <dt>Created</dt><dd>${when(c.createdAt)}</dd>
        ${c.error && html`<dt>Error</dt><dd class="error">${c.error}</dd>`}
        ${c.health && html`<dt>Health</dt><dd id="health">${c.health}, ${c.restarts === 1 ? '1 restart' : `${c.restarts || 0} restarts`}</dd>`}
        ${c.healthFailure && html`<dt>Health failed</dt><dd id="health-failure">${when(c.healthFailureAt)}: ${c.healthFailure}</dd>`}
        ${c.lastBackup && !c.lastBackup.ok && html`<dt>Backup</dt><dd class="error" id="backup-failure">${c.lastBackup.action} to ${c.lastBackup.target} failed at ${when(c.lastBackup.time)}: ${c.lastBackup.error || 'no reason given'}${c.lastBackup.lastSuccess ? `; last success ${when(c.lastBackup.lastSuccess)}` : '; no success yet'}</dd>`}
      </dl>
      <section class="usage" aria-labelledby="usage-heading">
        <h2 id="usage-heading">Usage</h2>
        ${!running && html`<p>Usage shows while the container runs.</p>`}
        ${running && html`
          <div class="graphs">
            <figure id="memory-usage">
              <figcaption>Memory <strong class="memory">${size(latest.memoryBytes)}</strong>${memoryLimit ? ` of ${size(memoryLimit)}` : ' (no limit)'}</figcaption>
              ${memoryLimit && html`<${Meter} used=${latest.memoryBytes} limit=${memoryLimit} label="memory used of its limit" />`}
              ${memory.length > 1 && html`<${Sparkline} values=${memory} max=${memoryLimit || 0} label="memory over the last two minutes" />`}
            </figure>
            <figure id="cpu-usage">
              <figcaption>CPU <strong>${lastCpu == null ? '…' : `${lastCpu.toFixed(1)} %`}</strong> of one CPU</figcaption>
              ${cpu.length > 1 && html`<${Sparkline} values=${cpu} max=${100} label="CPU over the last two minutes" />`}
            </figure>
          </div>`}
      </section>
      <${History} container=${c} />
      <${Limits} container=${c} />
      ${!me.root && html`<${Quota} user=${me.name} />`}
    </div>`;
}

function Limits({ container: c }) {
  const [values, setValues] = useState(() => Object.fromEntries(LIMITS.map(([key]) => [key, c.config[key] || ''])));
  const [errors, setErrors] = useState({});
  const [formError, setFormError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  const save = async (event) => {
    event.preventDefault();
    setErrors({});
    setFormError(null);
    setSaved(false);
    const set = {};
    const unset = [];
    for (const [key] of LIMITS) {
      const value = values[key].trim();
      if (value === (c.config[key] || '')) continue;
      if (value) set[key] = value;
      else unset.push(key);
    }
    if (!Object.keys(set).length && !unset.length) return;
    setBusy(true);
    try {
      await waitJob(await api('PATCH', `${containerPath(c.name)}/config`, { set, unset }));
      setSaved(true);
    } catch (e) {
      const field = fieldOf(e, LIMITS.map(([key]) => key).concat(['memory', 'cpu', 'processes', 'disk']));
      const key = field && (field.startsWith('limits.') ? field : `limits.${field}`);
      if (key && key in values) setErrors({ [key]: e.message });
      else setFormError(e);
    } finally {
      setBusy(false);
    }
  };

  return html`
    <form id="limits-form" class="limits" onSubmit=${save} aria-labelledby="limits-heading">
      <h2 id="limits-heading">Limits</h2>
      <div class="grid">
        ${LIMITS.map(([key, label, hint]) => html`
          <${Field} key=${key} id=${`limit-${key.replace(/\./g, '-')}`} label=${label} hint=${hint} error=${errors[key]}
            value=${values[key]} onInput=${(e) => setValues({ ...values, [key]: e.currentTarget.value })} />`)}
      </div>
      <button type="submit" disabled=${busy}>${busy ? 'Saving…' : 'Save limits'}</button>
      ${saved && html`<span class="ok" role="status">Saved.</span>`}
      <${ErrorLine} error=${formError} id="limits-error" />
    </form>`;
}
