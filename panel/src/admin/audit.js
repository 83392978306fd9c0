// The audit log with filters: who, since when.
import { useState } from 'preact/hooks';
import { ErrorLine } from '../components.js';
import { when } from '../format.js';
import { html } from '../html.js';
import { anyJobEnd, useApi } from '../hooks.js';

export function Audit() {
  const [user, setUser] = useState('');
  const [since, setSince] = useState('1d');
  const [applied, setApplied] = useState({ user: '', since: '1d' });
  const query = new URLSearchParams({ limit: '200' });
  if (applied.user) query.set('user', applied.user);
  if (applied.since) query.set('since', applied.since);
  const { data: entries, error } = useApi(`/api/v1/audit?${query}`, anyJobEnd);
  return html`
    <h2>Audit log</h2>
    <form id="audit-filter" class="filters" onSubmit=${(e) => { e.preventDefault(); setApplied({ user: user.trim(), since: since.trim() }); }}>
      <div class="field"><label for="audit-user">User</label><input id="audit-user" value=${user} onInput=${(e) => setUser(e.currentTarget.value)} /></div>
      <div class="field"><label for="audit-since">Since</label><input id="audit-since" value=${since} onInput=${(e) => setSince(e.currentTarget.value)} placeholder="30m, 12h, 1d, 2w" /></div>
      <button type="submit">Filter</button>
    </form>
    <${ErrorLine} error=${error} id="audit-error" />
    <div class="table-wrap" tabindex="0">
      <table id="audit">
        <thead><tr><th scope="col">When</th><th scope="col">User</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Status</th><th scope="col">Address</th><th scope="col">Detail</th></tr></thead>
        <tbody>${(entries || []).map((a) => html`
          <tr key=${a.id} data-action=${a.action}><td>${when(a.at)}</td><td>${a.user || ''}</td><td>${a.action}</td><td>${a.target || ''}</td><td>${a.status}</td><td>${a.address || ''}</td><td>${a.detail || ''}</td></tr>`)}</tbody>
      </table>
    </div>`;
}
