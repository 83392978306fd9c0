// The admin view: members, host status, the host network, networks, storage pools, images, the proxy, backups and the audit log.
import { html } from '../html.js';
import { Members } from './members.js';
import { Host } from './host.js';
import { HostNetwork } from './hostnetwork.js';
import { Networks, Pools } from './resources.js';
import { Images } from './images.js';
import { Proxy } from './proxy.js';
import { Audit } from './audit.js';
import { BackupsAdmin } from './backups.js';

const TABS = [['members', 'Members'], ['host', 'Host'], ['host-network', 'Host network'], ['networks', 'Networks'], ['pools', 'Storage pools'], ['images', 'Images'], ['proxy', 'Proxy'], ['backups', 'Backups'], ['audit', 'Audit log']];

export function AdminPage({ tab, me }) {
  const current = TABS.some(([id]) => id === tab) ? tab : 'members';
  return html`
    <section>
      <h1>Admin</h1>
      <nav class="tabs" aria-label="Admin sections">
        ${TABS.map(([id, label]) => html`<a href=${`#/admin/${id}`} aria-current=${current === id ? 'page' : undefined} data-tab=${id}>${label}</a>`)}
      </nav>
      ${current === 'members' && html`<${Members} me=${me} />`}
      ${current === 'host' && html`<${Host} />`}
      ${current === 'host-network' && html`<${HostNetwork} />`}
      ${current === 'networks' && html`<${Networks} />`}
      ${current === 'pools' && html`<${Pools} />`}
      ${current === 'images' && html`<${Images} />`}
      ${current === 'proxy' && html`<${Proxy} />`}
      ${current === 'backups' && html`<${BackupsAdmin} />`}
      ${current === 'audit' && html`<${Audit} />`}
    </section>`;
}
