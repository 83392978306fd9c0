// The member's (or for admins, every) container: state, addresses, memory as a small live graph, quick actions;
// a page of 100 at a time with a filter, so a host of hundreds renders (and unmounts) quickly.
import { useMemo, useState } from 'preact/hooks';
import { api, containerPath, userPath } from '../api.js';
import { BackupMark, ErrorLine, HealthMark, Meter, Sparkline, StatusBadge } from '../components.js';
import { waitJob } from '../events.js';
import { actionsFor, quotaAmount, size } from '../format.js';
import { html } from '../html.js';
import { anyContainerEvent, anyJobEnd, useApi, useSamples } from '../hooks.js';

const PAGE = 100;

export function ContainerList({ me }) {
  const admin = me.role === 'admin';
  const { data: containers, error } = useApi('/api/v1/containers', anyContainerEvent);
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState(0);
  const running = (containers || []).some((c) => c.status === 'running');
  const samples = useSamples('/api/v1/containers', 5, 24, running, true);
  const [actionError, setActionError] = useState(null);
  const wanted = filter.trim().toLowerCase();
  const matching = useMemo(() => (containers || []).filter((c) => !wanted || [c.name, c.owner, c.image, c.status, ...(c.addresses || []), c.ipv4].some((v) => v && v.toLowerCase().includes(wanted))), [containers, wanted]);
  const pages = Math.max(1, Math.ceil(matching.length / PAGE));
  const current = Math.min(page, pages - 1);
  const shown = matching.slice(current * PAGE, (current + 1) * PAGE);

  // One lookup per sample, not a search per row: a list of hundreds stays quick to render.
  const byName = useMemo(() => samples.map((s) => new Map(s.data.map((c) => [c.name, c.memoryBytes || 0]))), [samples]);
  const memory = (name) => byName.map((m) => m.get(name) || 0);

  const act = async (name, action) => {
    setActionError(null);
    try {
      await waitJob(await api('PUT', `${containerPath(name)}/state`, { action }));
    } catch (e) {
      setActionError(new Error(`${action} ${name}: ${e.message}`));
    }
  };

  return html`
    <section>
      <div class="heading">
        <h1>${admin ? 'All containers' : 'My containers'}</h1>
        <a class="button" href="#/launch" id="launch-link">Launch a container</a>
      </div>
      ${!me.root && html`<${Quota} user=${me.name} />`}
      <${ErrorLine} error=${actionError || error} id="error" />
      ${containers === undefined ? html`<p aria-live="polite">Loading…</p>` : containers.length === 0 ? html`<p id="no-containers">No containers yet. <a href="#/launch">Launch one</a>.</p>` : html`
        ${containers.length > PAGE / 10 && html`
          <div class="filters">
            <div class="field"><label for="list-filter">Filter</label><input id="list-filter" type="search" value=${filter} placeholder="name, owner, address, state" onInput=${(e) => { setFilter(e.currentTarget.value); setPage(0); }} /></div>
          </div>`}
        <div class="table-wrap" tabindex="0">
          <table id="containers">
            <caption class="visually-hidden">Containers</caption>
            <thead><tr><th scope="col">Name</th>${admin && html`<th scope="col" id="owner-column">Owner</th>`}<th scope="col">Status</th><th scope="col">Addresses</th><th scope="col">Image</th><th scope="col">Memory</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              ${shown.map((c) => html`
                <tr key=${c.name} data-name=${c.name}>
                  <th scope="row"><a href=${`#/containers/${encodeURIComponent(c.name)}`}>${c.name}</a>${!c.managed && html` <small>(unmanaged)</small>`}</th>
                  ${admin && html`<td class="owner">${c.owner || 'root'}</td>`}
                  <td><${StatusBadge} status=${c.status} /><${HealthMark} health=${c.health} /><${BackupMark} mark=${c.lastBackup} /></td>
                  <td class="addresses">${(c.addresses && c.addresses.length ? c.addresses : [c.ipv4, c.ipv6].filter(Boolean)).join(', ')}</td>
                  <td>${c.image || ''}</td>
                  <td class="memory-cell">
                    <span class="memory">${size(c.memoryBytes)}</span>
                    ${c.status === 'running' && samples.length > 1 && html`<${Sparkline} values=${memory(c.name)} label=${`memory of ${c.name} over the last ${samples.length * 5} seconds`} className="memory-graph" />`}
                  </td>
                  <td class="actions">
                    ${c.managed && actionsFor(c.status).slice(0, 2).map((action) => html`<button type="button" data-action=${action} onClick=${() => act(c.name, action)}>${action}</button>`)}
                  </td>
                </tr>`)}
            </tbody>
          </table>
        </div>
        <nav class="pager" aria-label="Pages of containers">
          <span id="list-range" aria-live="polite">${matching.length === 0 ? `none of ${containers.length} match` : `${current * PAGE + 1}-${current * PAGE + shown.length} of ${matching.length}`}</span>
          ${pages > 1 && html`
            <button type="button" id="list-previous" disabled=${current === 0} onClick=${() => setPage(current - 1)}>Previous</button>
            <button type="button" id="list-next" disabled=${current >= pages - 1} onClick=${() => setPage(current + 1)}>Next</button>`}
        </nav>`}
    </section>`;
}

/** A member's limits and usage against them; nothing when no limit is set. */
export function Quota({ user }) {
  const { data: quota } = useApi(`${userPath(user)}/quota`, anyJobEnd);
  const limited = quota ? quota.items.filter((i) => i.limit != null) : [];
  if (limited.length === 0) return null;
  return html`
    <section id="quota" aria-labelledby="quota-heading">
      <h2 id="quota-heading">My quota</h2>
      <table id="quota-items">
        <thead><tr><th scope="col">Resource</th><th scope="col">Used / limit</th><th scope="col"><span class="visually-hidden">Share</span></th></tr></thead>
        <tbody>
          ${limited.map((item) => html`
            <tr key=${item.resource} data-resource=${item.resource}>
              <th scope="row">${item.resource}</th>
              <td class=${item.used != null && item.used >= item.limit ? 'usage full' : 'usage'}>${item.used == null ? `unbounded (${item.unboundedBy} sets no limit)` : quotaAmount(item, item.used)} / ${quotaAmount(item, item.limit)}</td>
              <td><${Meter} used=${item.used} limit=${item.limit} label=${`${item.resource} used`} /></td>
            </tr>`)}
        </tbody>
      </table>
    </section>`;
}
