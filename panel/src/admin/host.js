// The host at a glance: the daemon, CPU in use, running containers, storage pools.
import { html } from '../html.js';
import { anyContainerEvent, anyJobEnd, useApi, useSamples } from '../hooks.js';
import { size } from '../format.js';
import { Meter, Sparkline } from '../components.js';

export function Host() {
  const { data: info } = useApi('/api/v1');
  const { data: containers } = useApi('/api/v1/containers', anyContainerEvent);
  const { data: pools } = useApi('/api/v1/storage-pools', anyJobEnd);
  // The host's history: a point per sampling interval (a minute by default), read again every 30 seconds.
  const history = useSamples('/api/v1/host/metrics?since=1h', 30, 1, true);
  const points = history.length ? history[history.length - 1].data.points.filter((p) => p.cpuCores != null) : [];
  const cpu = points.length ? points[points.length - 1].cpuCores : null;
  const count = (status) => (containers || []).filter((c) => c.status === status).length;
  return html`
    <h2>Host</h2>
    <dl class="facts" id="host">
      <dt>Version</dt><dd>${info ? info.version : ''}</dd>
      <dt>State</dt><dd>${info ? info.stateDir : ''}</dd>
      <dt>cgroup</dt><dd>${info ? info.cgroupVersion : ''}</dd>
      <dt>CPU in use</dt><dd id="host-cpu">${cpu == null ? 'no reading yet' : `${cpu.toFixed(2)} CPUs`}${points.length > 1 && html` <${Sparkline} values=${points.map((p) => p.cpuCores)} label="host CPU over the last hour" />`}</dd>
      <dt>Containers</dt><dd id="running-count">${containers ? `${count('running')} running, ${count('stopped')} stopped, ${containers.length} in all` : ''}</dd>
      <dt>Memory in use</dt><dd>${size((containers || []).reduce((sum, c) => sum + (c.memoryBytes || 0), 0))}</dd>
    </dl>
    <h3>Storage pools</h3>
    <table id="host-pools">
      <thead><tr><th scope="col">Pool</th><th scope="col">Driver</th><th scope="col">Size</th><th scope="col">Disk used</th><th scope="col">Containers</th></tr></thead>
      <tbody>${(pools || []).map((p) => html`<tr key=${p.name}><th scope="row">${p.name}</th><td>${p.driver}</td><td>${p.sizeBytes == null ? 'the host filesystem' : size(p.sizeBytes)}</td><td class="disk">${DiskUse(p)}</td><td>${p.containers}</td></tr>`)}</tbody>
    </table>`;
}

/** What the filesystem under a pool holds, as text and a meter. */
export function DiskUse(p) {
  if (p.diskTotalBytes == null || p.diskUsedBytes == null) return '';
  const text = `${size(p.diskUsedBytes)} of ${size(p.diskTotalBytes)}`;
  return html`<${Meter} used=${p.diskUsedBytes} limit=${p.diskTotalBytes} label=${`${p.name}: ${text} used`} /> ${text}`;
}
