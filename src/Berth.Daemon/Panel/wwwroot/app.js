'use strict';
// The Berth web panel: plain DOM, the same REST API as the CLI, no third-party code.
// Data is only ever put into the page with textContent, never as HTML.

let csrf = null;
// Who is logged in (GET /api/v1/auth/whoami): members see no admin-only controls (the API refuses them anyway).
let me = null;
let refreshTimer = null;
const openSnapshots = new Set();

const $ = (id) => document.getElementById(id);
const isAdmin = () => !!me && me.role === 'admin';

async function api(method, path, body) {
  const headers = { 'Accept': 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-Berth-Csrf'] = csrf;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const error = new Error((data && (data.detail || data.title)) || `HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return data;
}

async function waitForJob(job) {
  let current = job;
  while (current.status === 'queued' || current.status === 'running') {
    current = await api('GET', `/api/v1/jobs/${current.id}?wait=10`);
  }
  if (current.status === 'failed') throw new Error(current.error || 'the job failed');
  return current;
}

// Asks in a modal dialog before something that cannot be undone; resolves true only when the user confirms.
function confirmAction(question, verb) {
  const dialog = $('confirm');
  $('confirm-message').textContent = question;
  $('confirm-ok').textContent = verb;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true }));
}

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text ?? '';
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

function size(bytes) {
  if (bytes == null) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes, unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function actionsFor(status) {
  switch (status) {
    case 'running': return ['stop', 'restart', 'freeze'];
    case 'stopped': return ['start', 'rename', 'delete'];
    case 'frozen': return ['unfreeze'];
    case 'missing': return ['delete'];
    default: return [];
  }
}

async function act(name, action, button) {
  $('error').textContent = '';
  const newName = action === 'rename' ? window.prompt(`New name for ${name}:`, name) : null;
  if (action === 'rename' && (newName === null || newName.trim() === name)) return;
  if (action === 'delete' && !await confirmAction(`Delete container ${name}? Its files are removed for good.`, 'Delete')) return;
  button.disabled = true;
  try {
    const path = `/api/v1/containers/${encodeURIComponent(name)}`;
    const job = action === 'delete' ? await api('DELETE', path)
      : action === 'rename' ? await api('POST', `${path}/rename`, { name: newName.trim() })
      : await api('PUT', `${path}/state`, { action });
    await waitForJob(job);
  } catch (e) {
    $('error').textContent = `${action} ${name}: ${e.message}`;
  }
  await refresh();
}

function button(text, action, onClick) {
  const b = document.createElement('button');
  b.textContent = text;
  b.dataset.action = action;
  b.addEventListener('click', () => onClick(b));
  return b;
}

async function snapshotAct(name, what, snapshot, b) {
  $('error').textContent = '';
  const question = what === 'restore' ? `Restore ${name} to snapshot ${snapshot}? ${name} is stopped and every change since the snapshot is lost.`
    : what === 'delete' ? `Delete snapshot ${snapshot} of ${name}?` : null;
  if (question && !await confirmAction(question, what === 'restore' ? 'Restore' : 'Delete')) return;
  b.disabled = true;
  const path = `/api/v1/containers/${encodeURIComponent(name)}/snapshots`;
  try {
    const job = what === 'create' ? await api('POST', path, {})
      : what === 'restore' ? await api('POST', `${path}/${encodeURIComponent(snapshot)}/restore`, { stop: true })
      : await api('DELETE', `${path}/${encodeURIComponent(snapshot)}`);
    await waitForJob(job);
  } catch (e) {
    $('error').textContent = `${what} snapshot of ${name}: ${e.message}`;
  }
  await refresh();
}

// The row under a container that lists its snapshots, with a way to take, restore and delete them.
function snapshotsRow(name, snapshots) {
  const row = document.createElement('tr');
  row.className = 'snapshots';
  row.dataset.for = name;
  const td = cell(row, '');
  td.colSpan = 8;
  td.appendChild(button('take snapshot', 'snapshot-create', (b) => snapshotAct(name, 'create', null, b)));
  const list = document.createElement('ul');
  for (const s of snapshots) {
    const item = document.createElement('li');
    item.dataset.snapshot = s.name;
    const label = document.createElement('span');
    label.textContent = `${s.name} (${new Date(s.createdAt).toLocaleString()})`;
    item.append(label,
      button('restore', 'snapshot-restore', (b) => snapshotAct(name, 'restore', s.name, b)),
      button('delete', 'snapshot-delete', (b) => snapshotAct(name, 'delete', s.name, b)));
    list.appendChild(item);
  }
  td.appendChild(list);
  return row;
}

function renderContainers(containers, snapshots) {
  const body = $('containers').querySelector('tbody');
  body.replaceChildren();
  for (const c of containers) {
    const row = document.createElement('tr');
    row.dataset.name = c.name;
    cell(row, c.name);
    if (isAdmin()) cell(row, c.owner || 'root', 'owner');
    cell(row, c.managed ? c.status : `${c.status} (unmanaged)`, `status status-${c.status}`);
    cell(row, (c.addresses || []).join(', '));
    cell(row, c.image || '');
    cell(row, c.storage || '');
    cell(row, size(c.memoryBytes), 'memory');
    const actions = cell(row, '', 'actions');
    if (c.managed) {
      for (const action of actionsFor(c.status)) {
        actions.appendChild(button(action, action, (b) => act(c.name, action, b)));
      }
      if (c.status !== 'missing') {
        actions.appendChild(button('snapshots', 'snapshots', async () => {
          if (!openSnapshots.delete(c.name)) openSnapshots.add(c.name);
          await refresh();
        }));
      }
    }
    body.appendChild(row);
    if (snapshots.has(c.name)) body.appendChild(snapshotsRow(c.name, snapshots.get(c.name)));
  }
}

function renderImages(images, containers) {
  const body = $('images').querySelector('tbody');
  body.replaceChildren();
  for (const i of images) {
    const row = document.createElement('tr');
    row.dataset.alias = i.alias;
    cell(row, i.alias);
    cell(row, i.origin, 'origin');
    cell(row, `${i.os} ${i.release}`.trim());
    cell(row, i.cached ? size(i.sizeBytes) : 'not built');
    cell(row, String(i.containers));
    const actions = cell(row, '', 'actions');
    if (isAdmin() && i.cached && i.containers === 0) {
      const path = `/api/v1/images/${i.alias.split('/').map(encodeURIComponent).join('/')}`;
      actions.appendChild(button('delete', 'delete', (b) => removeWith('image-error', path, `delete ${i.alias}`, `Delete image ${i.alias}?`, b)));
    }
    body.appendChild(row);
  }

  // Launch from any image; publish any stopped container.
  setOptions($('launch-image'), images.map((i) => [i.alias, i.cached ? i.alias : `${i.alias} (builds first)`]));
  setOptions($('publish-container'), containers.filter((c) => c.managed && c.status === 'stopped').map((c) => [c.name, c.name]));
}

// Replaces a select's options only when they changed, so a refresh never closes it or loses the choice.
function setOptions(select, options) {
  const key = JSON.stringify(options);
  if (select.dataset.options === key) return;
  const chosen = select.value;
  select.replaceChildren(...options.map(([value, text]) => {
    const option = document.createElement('option');
    option.value = value;
    option.textContent = text;
    return option;
  }));
  select.dataset.options = key;
  if (options.some(([value]) => value === chosen)) select.value = chosen;
}

function renderPools(pools) {
  const body = $('pools').querySelector('tbody');
  body.replaceChildren();
  for (const p of pools) {
    const row = document.createElement('tr');
    row.dataset.name = p.name;
    cell(row, p.name);
    cell(row, p.driver);
    cell(row, p.sizeBytes == null ? '' : size(p.sizeBytes));
    cell(row, p.copyOnWrite ? 'yes' : 'no');
    cell(row, String(p.containers), 'used');
    const actions = cell(row, '', 'actions');
    if (isAdmin() && p.containers === 0 && p.name !== 'default') {
      actions.appendChild(button('delete', 'delete', (b) => removeWith('pool-error', `/api/v1/storage-pools/${encodeURIComponent(p.name)}`, `delete ${p.name}`, `Delete storage pool ${p.name}?`, b)));
    }
    body.appendChild(row);
  }

  setOptions($('launch-storage'), pools.map((p) => [p.name, `${p.name} (${p.driver})`]));
}

// Runs a DELETE job from a button once the user confirmed, showing its failure in the section's error line.
async function removeWith(errorId, path, what, question, b) {
  $(errorId).textContent = '';
  if (!await confirmAction(question, 'Delete')) return;
  b.disabled = true;
  try {
    await waitForJob(await api('DELETE', path));
  } catch (e) {
    $(errorId).textContent = `${what}: ${e.message}`;
  }
  await refresh();
}

function renderNetworks(networks) {
  const body = $('networks').querySelector('tbody');
  body.replaceChildren();
  for (const n of networks) {
    const row = document.createElement('tr');
    row.dataset.name = n.name;
    cell(row, n.name);
    cell(row, n.subnet);
    cell(row, n.ipv6 || '');
    cell(row, n.nat ? 'yes' : 'no');
    cell(row, n.isolated ? 'yes' : 'no');
    const used = Object.keys(n.leases || {}).length;
    cell(row, String(used), 'used');
    const actions = cell(row, '', 'actions');
    // A shared network (no owner) is an admin's to delete; a member deletes only their own.
    if (used === 0 && (isAdmin() || (n.owner && n.owner === me.name))) {
      actions.appendChild(button('delete', 'delete', (b) => removeWith('network-error', `/api/v1/networks/${encodeURIComponent(n.name)}`, `delete ${n.name}`, `Delete network ${n.name}?`, b)));
    }
    body.appendChild(row);
  }
}

function quotaAmount(item, amount) {
  return item.unit === 'bytes' ? size(amount) : String(amount);
}

// The user's limits and usage; hidden for root (no user) and for a user without limits.
function renderQuota(quota) {
  const limited = quota ? quota.items.filter((i) => i.limit != null) : [];
  $('quota').hidden = limited.length === 0;
  const body = $('quota-items').querySelector('tbody');
  body.replaceChildren();
  for (const item of limited) {
    const row = document.createElement('tr');
    row.dataset.resource = item.resource;
    cell(row, item.resource);
    const used = item.used == null ? `unbounded (${item.unboundedBy} sets no limit)` : quotaAmount(item, item.used);
    cell(row, `${used} / ${quotaAmount(item, item.limit)}`, item.used != null && item.used >= item.limit ? 'usage full' : 'usage');
    body.appendChild(row);
  }
}

function renderJobs(jobs) {
  const body = $('jobs').querySelector('tbody');
  body.replaceChildren();
  for (const j of jobs) {
    const row = document.createElement('tr');
    cell(row, j.kind);
    cell(row, j.target);
    cell(row, j.status, `status-${j.status}`);
    cell(row, j.durationSeconds == null ? '' : `${j.durationSeconds.toFixed(2)} s`);
    cell(row, j.error || j.progress || '');
    body.appendChild(row);
  }
}

async function refresh() {
  try {
    const quotaPath = me && !me.root ? `/api/v1/users/${encodeURIComponent(me.name)}/quota` : null;
    const [containers, pools, networks, images, jobs, quota] = await Promise.all([
      api('GET', '/api/v1/containers'), api('GET', '/api/v1/storage-pools'), api('GET', '/api/v1/networks'), api('GET', '/api/v1/images'), api('GET', '/api/v1/jobs?limit=15'),
      quotaPath ? api('GET', quotaPath) : null]);
    // Snapshots only of the containers whose list is open.
    const open = containers.filter((c) => openSnapshots.has(c.name)).map((c) => c.name);
    const lists = await Promise.all(open.map((name) => api('GET', `/api/v1/containers/${encodeURIComponent(name)}/snapshots`)));
    renderContainers(containers, new Map(open.map((name, i) => [name, lists[i]])));
    renderPools(pools);
    renderNetworks(networks);
    renderImages(images, containers);
    renderJobs(jobs);
    renderQuota(quota);
  } catch (e) {
    if (e.status === 401) return showLogin();
    $('error').textContent = e.message;
  }
}

async function showApp() {
  $('login').hidden = true;
  $('app').hidden = false;
  $('logout').hidden = false;
  const [info, whoami] = await Promise.all([api('GET', '/api/v1'), api('GET', '/api/v1/auth/whoami')]);
  me = whoami;
  document.body.dataset.role = me.role;
  $('me').textContent = `${me.name} (${me.role})`;
  $('owner-column').hidden = !isAdmin();
  $('host').textContent = info.stateDir ? `${info.stateDir} · cgroup ${info.cgroupVersion}` : `cgroup ${info.cgroupVersion}`;
  await refresh();
  clearInterval(refreshTimer);
  refreshTimer = setInterval(refresh, 2000);
}

function showLogin() {
  clearInterval(refreshTimer);
  csrf = null;
  me = null;
  delete document.body.dataset.role;
  $('me').textContent = '';
  $('app').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
  // A setup link (#setup=USER.CODE) sets the first password; the code stays in the fragment, never sent in a URL.
  const setup = new URLSearchParams(location.hash.slice(1)).get('setup');
  $('setup-form').hidden = !setup;
  $('login-form').hidden = !!setup;
  if (setup) {
    $('setup-user').textContent = setup.split('.')[0];
    $('setup-password').focus();
  } else {
    $('user').focus();
  }
}

async function logIn(body, errorId) {
  $(errorId).textContent = '';
  try {
    const session = await api('POST', '/api/v1/auth/login', body);
    csrf = session.csrfToken;
    await showApp();
    return true;
  } catch (e) {
    $(errorId).textContent = e.message;
    return false;
  }
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const code = $('code').value.trim();
  if (await logIn({ user: $('user').value.trim(), password: $('password').value, code: code || undefined }, 'login-error')) {
    $('password').value = '';
    $('code').value = '';
  }
});

$('token-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (await logIn({ token: $('token').value }, 'token-error')) $('token').value = '';
});

$('setup-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('setup-error').textContent = '';
  const code = new URLSearchParams(location.hash.slice(1)).get('setup');
  try {
    const user = await api('POST', '/api/v1/auth/setup', { code, password: $('setup-password').value });
    $('setup-password').value = '';
    history.replaceState(null, '', location.pathname);
    showLogin();
    $('user').value = user.name;
    $('password').focus();
    $('login-error').textContent = 'Password set: log in with it.';
  } catch (e) {
    $('setup-error').textContent = e.message;
  }
});

$('logout').addEventListener('click', async () => {
  await api('POST', '/api/v1/auth/logout').catch(() => null);
  showLogin();
});

// A form that starts a job: its button is disabled meanwhile, a refusal shows in the section's error line, and the
// fields in `clear` are emptied once the job succeeded.
function onJobForm(formId, errorId, clear, describe, submit) {
  $(formId).addEventListener('submit', async (event) => {
    event.preventDefault();
    $(errorId).textContent = '';
    const button = event.submitter;
    if (button) button.disabled = true;
    try {
      await waitForJob(await submit());
      for (const id of clear) $(id).value = '';
    } catch (e) {
      $(errorId).textContent = `${describe()}: ${e.message}`;
    } finally {
      if (button) button.disabled = false;
    }
    await refresh();
  });
}

onJobForm('launch-form', 'error', ['launch-name'], () => `launch ${$('launch-name').value.trim()}`, async () => {
  const job = await api('POST', '/api/v1/containers', { name: $('launch-name').value.trim(), image: $('launch-image').value, storage: $('launch-storage').value || undefined });
  await refresh(); // show it as it is being created
  return job;
});

onJobForm('pool-form', 'pool-error', ['pool-name', 'pool-size'], () => `create ${$('pool-name').value.trim()}`, () =>
  api('POST', '/api/v1/storage-pools', { name: $('pool-name').value.trim(), driver: $('pool-driver').value, size: $('pool-size').value.trim() || undefined }));

onJobForm('network-form', 'network-error', ['network-name', 'network-subnet'], () => `create ${$('network-name').value.trim()}`, () =>
  api('POST', '/api/v1/networks', { name: $('network-name').value.trim(), subnet: $('network-subnet').value.trim(), nat: $('network-nat').checked, isolated: $('network-isolated').checked }));

onJobForm('publish-form', 'image-error', ['publish-alias'], () => `publish ${$('publish-container').value} as ${$('publish-alias').value.trim()}`, async () => {
  if (!$('publish-container').value) throw new Error('only stopped containers can be published: stop one first');
  return api('POST', '/api/v1/images/publish', { container: $('publish-container').value, alias: $('publish-alias').value.trim() });
});

(async () => {
  try {
    const session = await api('GET', '/api/v1/auth/session');
    csrf = session.csrfToken;
    await showApp();
  } catch {
    showLogin();
  }
})();
