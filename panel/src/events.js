// The daemon's event stream (server-sent events): one EventSource for the whole page, so lists and jobs update
// when something happens instead of polling. The browser reconnects by itself and sends Last-Event-ID, which the
// daemon answers by replaying what was missed; after a reconnect everything refreshes once, in case more was.
import { api } from './api.js';

const listeners = new Set();
let source = null;

function dispatch(event) {
  for (const listener of [...listeners]) listener(event);
}

export function connectEvents() {
  if (source) return;
  let opened = false;
  source = new EventSource('/api/v1/events');
  const handle = (message) => {
    try {
      dispatch(JSON.parse(message.data));
    } catch {
      // A malformed event is skipped; the next refresh shows the truth.
    }
  };
  source.addEventListener('job', handle);
  source.addEventListener('lifecycle', handle);
  source.addEventListener('open', () => {
    if (opened) dispatch({ type: 'reconnected', action: 'reconnected', target: '' });
    opened = true;
  });
}

export function disconnectEvents() {
  if (source) source.close();
  source = null;
}

/** Calls `listener` with every event (BerthEvent, or {type:'reconnected'}); returns the unsubscribe function. */
export function onEvent(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const finished = (job) => job.status === 'succeeded' || job.status === 'failed' || job.status === 'cancelled';

/**
 * Resolves with the finished job (rejects with its error when it failed), reporting progress messages on the way;
 * driven by the job's events, with one look at the job itself in case it ended before we listened.
 */
export function waitJob(job, onProgress) {
  return new Promise((resolve, reject) => {
    let done = false;
    const settle = (current) => {
      if (done || !finished(current)) return;
      done = true;
      stop();
      if (current.status === 'succeeded') resolve(current);
      else reject(Object.assign(new Error(current.error || `the job ${current.status}`), { job: current }));
    };
    const check = () => api('GET', `/api/v1/jobs/${encodeURIComponent(job.id)}`).then(settle, (e) => { if (!done) { done = true; stop(); reject(e); } });
    const stop = onEvent((event) => {
      if (event.type === 'reconnected') return check();
      if (event.jobId !== job.id) return;
      if (event.action === 'job.progress' && onProgress && event.message) onProgress(event.message);
      if (event.action === 'job.succeeded' || event.action === 'job.failed') check();
    });
    if (finished(job)) settle(job);
    else check();
  });
}
