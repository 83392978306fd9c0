// How numbers, sizes and times read on the page.
export function size(bytes) {
  if (bytes == null) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** Parses 256MiB, 1GiB, 512M, plain bytes; null when it does not parse. */
export function parseSize(text) {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|k|ki|kib|kb|m|mi|mib|mb|g|gi|gib|gb|t|ti|tib|tb)?\s*$/i.exec(text || '');
  if (!m) return null;
  const power = { '': 0, b: 0, k: 1, m: 2, g: 3, t: 4 }[(m[2] || '').charAt(0).toLowerCase()];
  return Math.round(parseFloat(m[1]) * 1024 ** power);
}

export const when = (time) => (time ? new Date(time).toLocaleString() : '');
export const quotaAmount = (item, amount) => (item.unit === 'bytes' ? size(amount) : String(amount));

export function forwardPorts(f) {
  const host = f.hostPortEnd !== f.hostPort ? `${f.hostPort}-${f.hostPortEnd}` : `${f.hostPort}`;
  const inside = f.containerPortEnd !== f.containerPort ? `${f.containerPort}-${f.containerPortEnd}` : `${f.containerPort}`;
  return `${host}:${inside}/${f.protocol}`;
}

/** Actions a container offers in each state. */
export function actionsFor(status) {
  switch (status) {
    case 'running': return ['stop', 'restart', 'freeze'];
    case 'stopped': return ['start'];
    case 'frozen': return ['unfreeze'];
    default: return [];
  }
}
