import { html } from '../html.js';

export function JobTable({ jobs, id = 'jobs' }) {
  return html`
    <div class="table-wrap" tabindex="0">
      <table id=${id}>
        <thead><tr><th scope="col">Kind</th><th scope="col">Target</th><th scope="col">Status</th><th scope="col">Duration</th><th scope="col">Progress or error</th></tr></thead>
        <tbody>
          ${jobs.map((j) => html`
            <tr key=${j.id} data-job=${j.id}>
              <td>${j.kind}</td>
              <td>${j.target}</td>
              <td class=${`status-${j.status}`}>${j.status}</td>
              <td>${j.durationSeconds == null ? '' : `${j.durationSeconds.toFixed(2)} s`}</td>
              <td>${j.error || j.progress || ''}</td>
            </tr>`)}
        </tbody>
      </table>
    </div>`;
}
