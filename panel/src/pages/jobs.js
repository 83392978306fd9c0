// Recent jobs, updated live from their events.
import { html } from '../html.js';
import { anyJobEvent, useApi } from '../hooks.js';
import { JobTable } from './jobtable.js';

export function JobsPage() {
  const { data: jobs, error } = useApi('/api/v1/jobs?limit=50', anyJobEvent);
  return html`
    <section>
      <h1>Recent jobs</h1>
      ${error && html`<p class="error" role="alert">${error.message}</p>`}
      <${JobTable} jobs=${jobs || []} />
    </section>`;
}
