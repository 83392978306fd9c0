// Small pieces the pages share: confirmation dialog, form fields with their errors, copy button, graphs.
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';

/**
 * Asks before something that cannot be undone; with `typeName`, the user must type that name to confirm.
 * Resolves true only when confirmed.
 */
export function confirmAction(question, verb, typeName) {
  return new Promise((resolve) => {
    const host = document.createElement('div');
    document.body.appendChild(host);
    const previous = document.activeElement;
    const close = (ok) => {
      render(null, host);
      host.remove();
      if (previous && previous.focus) previous.focus();
      resolve(ok);
    };
    render(html`<${ConfirmDialog} question=${question} verb=${verb} typeName=${typeName} onClose=${close} />`, host);
  });
}

function ConfirmDialog({ question, verb, typeName, onClose }) {
  const dialog = useRef(null);
  const [typed, setTyped] = useState('');
  useEffect(() => {
    dialog.current.showModal();
  }, []);
  const ok = !typeName || typed === typeName;
  return html`
    <dialog ref=${dialog} id="confirm" aria-labelledby="confirm-message" onCancel=${(e) => { e.preventDefault(); onClose(false); }}>
      <form method="dialog" onSubmit=${(e) => { e.preventDefault(); if (ok) onClose(true); }}>
        <p id="confirm-message">${question}</p>
        ${typeName && html`
          <label class="field">Type <strong>${typeName}</strong> to confirm
            <input id="confirm-name" autocomplete="off" value=${typed} onInput=${(e) => setTyped(e.currentTarget.value)} autofocus />
          </label>`}
        <div class="dialog-buttons">
          <button type="button" id="confirm-cancel" onClick=${() => onClose(false)} autofocus=${!typeName}>Cancel</button>
          <button type="submit" id="confirm-ok" class="danger" disabled=${!ok}>${verb}</button>
        </div>
      </form>
    </dialog>`;
}

/** A labelled input with the API's complaint about it underneath. */
export function Field({ label, id, error, hint, children, ...input }) {
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
  return html`
    <div class=${`field${error ? ' invalid' : ''}`}>
      <label for=${id}>${label}</label>
      ${children || html`<input id=${id} name=${id} aria-invalid=${error ? 'true' : undefined} aria-describedby=${describedBy} ...${input} />`}
      ${hint && html`<small id=${`${id}-hint`} class="hint">${hint}</small>`}
      ${error && html`<small id=${`${id}-error`} class="error" role="alert">${error}</small>`}
    </div>`;
}

export function CopyButton({ text, label = 'Copy' }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setDone(true);
      setTimeout(() => setDone(false), 1500);
    } catch {
      setDone(false);
    }
  };
  return html`<button type="button" class="copy" onClick=${copy} aria-label=${`${label}: ${text}`}>${done ? 'Copied' : label}</button>`;
}

/** A small line graph of `values` (0..max); an SVG with a text equivalent for screen readers. */
export function Sparkline({ values, max, label, className }) {
  const width = 120;
  const height = 28;
  const top = Math.max(max || 0, ...values, 1);
  const points = values.map((v, i) => `${values.length === 1 ? width : (i * width) / (values.length - 1)},${(height - 2 - (v / top) * (height - 4)).toFixed(1)}`).join(' ');
  return html`
    <svg class=${`spark ${className || ''}`} viewBox=${`0 0 ${width} ${height}`} width=${width} height=${height} role="img" aria-label=${label}>
      <polyline points=${points} fill="none" stroke="currentColor" stroke-width="1.5" />
    </svg>`;
}

/** A bar of used against limit. */
export function Meter({ used, limit, label }) {
  const ratio = limit ? Math.min(1, (used || 0) / limit) : 0;
  return html`<meter class="usage-meter" min="0" max="1" low="0.7" high="0.9" optimum="0" value=${ratio} aria-label=${label}></meter>`;
}

export function ErrorLine({ error, id }) {
  return html`<p class="error" id=${id} role="alert">${error ? error.message || String(error) : ''}</p>`;
}

export function StatusBadge({ status }) {
  return html`<span class=${`status status-${status}`}>${status}</span>`;
}

/** The health check's verdict next to the status (ContainerInfo.health; absent when the container is not watched). */
export function HealthMark({ health }) {
  if (!health) return null;
  return html`<span class="health-mark"> · <span class=${`health health-${health}`}>${health}</span></span>`;
}

/** A failed backup, prune or restore test, until the next backup succeeds (ContainerInfo.lastBackup). */
export function BackupMark({ mark }) {
  if (!mark || mark.ok) return null;
  const title = `${mark.action} to ${mark.target} failed at ${mark.time}: ${mark.error || ''}`;
  return html` <span class="status status-failed backup-mark" title=${title}>backup failed</span>`;
}
