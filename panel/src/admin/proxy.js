// The proxy: routes, banned domains and certificates.
import { useState } from 'preact/hooks';
import { api, enc } from '../api.js';
import { ErrorLine, Field, confirmAction } from '../components.js';
import { waitJob } from '../events.js';
import { when } from '../format.js';
import { html } from '../html.js';
import { anyJobEnd, useApi } from '../hooks.js';

export function Proxy() {
  const { data: routes, error: routeError } = useApi('/api/v1/routes', anyJobEnd);
  const { data: certificates } = useApi('/api/v1/certificates', anyJobEnd);
  const { data: bans, reload: reloadBans } = useApi('/api/v1/domain-bans');
  const [pattern, setPattern] = useState('');
  const [banError, setBanError] = useState(null);
  const [error, setError] = useState(null);

  const ban = async (event) => {
    event.preventDefault();
    setBanError(null);
    try {
      await api('POST', '/api/v1/domain-bans', { pattern: pattern.trim() });
      setPattern('');
      reloadBans();
    } catch (e) {
      setBanError(e.message);
    }
  };
  const lift = async (b) => {
    if (!await confirmAction(`Lift the ban on ${b.patternUnicode}?`, 'Lift')) return;
    try { await api('DELETE', `/api/v1/domain-bans/${enc(b.pattern)}`); } catch (e) { setError(e); }
    reloadBans();
  };
  const removeRoute = async (r) => {
    if (!await confirmAction(`Remove the route ${r.domainUnicode}${r.path}?`, 'Remove')) return;
    try { await waitJob(await api('DELETE', `/api/v1/routes/${enc(r.domain)}?path=${enc(r.path)}`)); } catch (e) { setError(e); }
  };

  return html`
    <h2>Routes</h2>
    <${ErrorLine} error=${routeError || error} />
    <div class="table-wrap" tabindex="0">
      <table id="routes">
        <thead><tr><th scope="col">Domain and path</th><th scope="col">Container</th><th scope="col">Port</th><th scope="col">Certificate</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>${(routes || []).map((r) => html`
          <tr key=${r.domain + r.path}><th scope="row">${r.domainUnicode}${r.path}</th><td><a href=${`#/containers/${enc(r.container)}`}>${r.container}</a></td><td>${r.port}</td><td>${r.certificate || 'HTTP only'}</td>
          <td><button type="button" class="danger" onClick=${() => removeRoute(r)}>remove</button></td></tr>`)}</tbody>
      </table>
    </div>
    <h2>Banned domains</h2>
    <form id="ban-form" class="inline" onSubmit=${ban}>
      <${Field} id="ban-pattern" label="Domain or *.domain" error=${banError} required value=${pattern} onInput=${(e) => setPattern(e.currentTarget.value)} />
      <button type="submit">Ban</button>
    </form>
    <ul class="list" id="bans">
      ${(bans || []).map((b) => html`<li key=${b.pattern}><span>${b.patternUnicode} <small>${when(b.createdAt)}</small></span><button type="button" onClick=${() => lift(b)}>lift</button></li>`)}
    </ul>
    <h2>Certificates</h2>
    <div class="table-wrap" tabindex="0">
      <table id="certificates">
        <thead><tr><th scope="col">Name</th><th scope="col">Domains</th><th scope="col">Origin</th><th scope="col">Expires</th><th scope="col">State</th></tr></thead>
        <tbody>${(certificates || []).map((c) => html`
          <tr key=${c.name}><th scope="row">${c.name}</th><td>${(c.domains || []).join(', ')}</td><td>${c.origin}</td><td>${when(c.notAfter)} (${c.daysLeft} days)</td><td>${c.lastError || c.warning || 'ok'}</td></tr>`)}</tbody>
      </table>
    </div>`;
}
