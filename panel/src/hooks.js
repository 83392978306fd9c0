// Data hooks: load from the API, reload when a matching event arrives (never on a timer).
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api.js';
import { onEvent } from './events.js';

/**
 * GETs `path` (null: nothing) and reloads it when `reloadOn(event)` is true for an event, coalescing bursts;
 * answers { data, error, reload }.
 */
export function useApi(path, reloadOn) {
  const [state, setState] = useState({ data: undefined, error: null });
  const pending = useRef(null);
  const filter = useRef(reloadOn);
  filter.current = reloadOn;

  const reload = useCallback(() => {
    if (!path) return Promise.resolve();
    return api('GET', path).then((data) => setState({ data, error: null }), (error) => setState((s) => ({ data: s.data, error })));
  }, [path]);

  useEffect(() => {
    setState({ data: undefined, error: null });
    reload();
    if (!path) return undefined;
    const stop = onEvent((event) => {
      if (event.type !== 'reconnected' && !(filter.current && filter.current(event))) return;
      clearTimeout(pending.current);
      pending.current = setTimeout(reload, 100);
    });
    return () => { stop(); clearTimeout(pending.current); };
  }, [path, reload]);

  return { data: state.data, error: state.error, reload };
}

/** Events about one container, or jobs that target it. */
export const aboutContainer = (name) => (event) => event.target === name || event.target === `container:${name}`;
export const anyContainerEvent = (event) => event.type === 'lifecycle' || event.action === 'job.succeeded' || event.action === 'job.failed';
export const anyJobEnd = (event) => event.action === 'job.succeeded' || event.action === 'job.failed';
export const anyJobEvent = (event) => event.type === 'job';

/** The `#/...` route, as path segments. */
export function useRoute() {
  const read = () => location.hash.replace(/^#\/?/, '').split('?')[0].split('/').filter(Boolean).map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const changed = () => setRoute(read());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}

/**
 * Usage samples of running containers for the small graphs. Usage has no event (it changes all the time), so
 * this is the panel's one timer: it reads `path` every `seconds` while the page is visible, keeping `keep` samples.
 * With `wait`, the first read waits `seconds` too: for a page that has just read `path` itself (the list), so a
 * load does not ask for the same answer twice at once.
 */
export function useSamples(path, seconds, keep, enabled, wait = false) {
  const [samples, setSamples] = useState([]);
  useEffect(() => {
    setSamples([]);
    if (!enabled || !path) return undefined;
    let stopped = false;
    const take = async () => {
      if (document.hidden) return;
      try {
        const data = await api('GET', path);
        if (!stopped) setSamples((s) => [...s.slice(-(keep - 1)), { at: performance.now() / 1000, data }]);
      } catch {
        // A missed sample leaves a gap; the next one fills the graph again.
      }
    };
    if (!wait) take();
    const timer = setInterval(take, seconds * 1000);
    return () => { stopped = true; clearInterval(timer); };
  }, [path, seconds, keep, enabled, wait]);
  return samples;
}
