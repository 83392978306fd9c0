// A container's history from the daemon's own store (GET .../metrics): CPU, memory and network over a chosen period.
import { useState } from 'preact/hooks';
import { containerPath } from '../api.js';
import { Sparkline } from '../components.js';
import { size } from '../format.js';
import { html } from '../html.js';
import { useSamples } from '../hooks.js';

// Periods to choose from; the longest is hourly means, the others a point per sampling interval.
const PERIODS = [['1h', 'hour', '1m'], ['6h', '6 hours', '1m'], ['48h', '2 days', '1m'], ['30d', '30 days', '1h']];

const rate = (bytesPerSecond) => `${size(bytesPerSecond)}/s`;

export function History({ container: c }) {
  const [period, setPeriod] = useState('1h');
  const [, label, step] = PERIODS.find(([p]) => p === period);
  // Points arrive once per sampling interval (a minute by default): reading again every 30 s keeps it current.
  const samples = useSamples(`${containerPath(c.name)}/metrics?since=${period}&step=${step}`, 30, 1, true);
  const history = samples.length ? samples[0].data : null;
  const points = history ? history.points : [];
  const series = (pick) => points.map((p) => pick(p)).filter((v) => v != null);
  const cpu = series((p) => (p.cpuCores == null ? null : p.cpuCores * 100));
  const memory = series((p) => p.memoryBytes);
  const network = series((p) => (p.rxBytesPerSecond == null && p.txBytesPerSecond == null ? null : (p.rxBytesPerSecond || 0) + (p.txBytesPerSecond || 0)));
  const peak = (values) => (values.length ? Math.max(...values) : null);
  const graph = (id, title, values, text, max) => html`
    <figure id=${id}>
      <figcaption>${title} <span class="peak">${values.length ? `peak ${text(peak(values))}` : 'no points yet'}</span></figcaption>
      ${values.length > 1 && html`<${Sparkline} values=${values} max=${max || 0} label=${`${title} over the last ${label}: ${values.length} points, peak ${text(peak(values))}`} />`}
    </figure>`;

  return html`
    <section class="history" id="history" aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      <div class="periods" role="group" aria-label="Period">
        ${PERIODS.map(([p, text]) => html`<button type="button" key=${p} data-period=${p} aria-pressed=${p === period ? 'true' : 'false'} onClick=${() => setPeriod(p)}>${text}</button>`)}
      </div>
      ${history && points.length === 0 && html`<p>No history for the last ${label} yet: Berth records a point every ${history.intervalSeconds} seconds while the container runs.</p>`}
      <div class="graphs">
        ${graph('history-cpu', 'CPU', cpu, (v) => `${v.toFixed(1)} % of one CPU`, 100)}
        ${graph('history-memory', 'Memory', memory, size, 0)}
        ${graph('history-network', 'Network', network, rate, 0)}
      </div>
    </section>`;
}
