// The host network as applied from its file: each bridge, the host interfaces in it, its addresses and NAT (read-only).
import { ErrorLine } from '../components.js';
import { html } from '../html.js';
import { useApi } from '../hooks.js';

export function HostNetwork() {
  const { data: network, error } = useApi('/api/v1/host/network');
  const bridges = network ? network.bridges : [];
  return html`
    <h2>Host network</h2>
    <p>The bridges the host network file declares (docs/host-network.md), as applied, and whether each is on the host now. Changing them means applying a new file.</p>
    <${ErrorLine} error=${error} id="host-network-error" />
    ${network && bridges.length === 0 && html`<p id="no-host-bridges">No host network file is applied: the host's own interfaces are left as they are.</p>`}
    ${bridges.length > 0 && html`
      <div class="table-wrap" tabindex="0">
        <table id="host-bridges">
          <caption class="visually-hidden">Host bridges</caption>
          <thead><tr><th scope="col">Bridge</th><th scope="col">Interfaces</th><th scope="col">IPv4</th><th scope="col">IPv6 (routed)</th><th scope="col">NAT</th><th scope="col">Containers launch on it</th><th scope="col">On the host</th></tr></thead>
          <tbody>${bridges.map((b) => html`
            <tr key=${b.name} data-bridge=${b.name}>
              <th scope="row">${b.name}</th>
              <td class="interfaces">${b.interfaces.length ? b.interfaces.join(', ') : 'none'}</td>
              <td class="ipv4">${b.ipv4 || ''}</td>
              <td class="ipv6">${b.ipv6 || ''}</td>
              <td class="nat">${b.nat ? 'IPv4 masqueraded' : 'no'}</td>
              <td class="network">${b.network ? 'yes' : 'no'}</td>
              <td class=${b.present ? 'present' : 'present missing'}>${b.present ? 'yes' : 'missing'}</td>
            </tr>`)}</tbody>
        </table>
      </div>`}`;
}
