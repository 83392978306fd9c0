// A terminal in the container over the console websocket. Frames carry one channel byte (ExecChannel): we send
// 0 + input and 4 + "COLS ROWS"; the daemon sends 1 + output and 3 + exit code, and first a text frame
// {"session": ID, "reattached": bool}. The session id is kept per tab and container, so a page refresh or a dropped
// connection reattaches to the same shell, and the daemon replays what was missed.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { useEffect, useRef, useState } from 'preact/hooks';
import { CopyButton } from '../components.js';
import { html } from '../html.js';

const INPUT = 0;
const OUTPUT = 1;
const ERROR = 2;
const EXIT = 3;
const RESIZE = 4;
const encoder = new TextEncoder();

const sessionKey = (name) => `berth.console.${name}`;

function frame(channel, payload) {
  const bytes = typeof payload === 'string' ? encoder.encode(payload) : payload;
  const out = new Uint8Array(bytes.length + 1);
  out[0] = channel;
  out.set(bytes, 1);
  return out;
}

export function Console({ name, running }) {
  const box = useRef(null);
  const [status, setStatus] = useState('connecting');
  const [generation, setGeneration] = useState(0);
  const [selection, setSelection] = useState('');

  useEffect(() => {
    if (!running) return undefined;
    const term = new Terminal({ cursorBlink: true, fontFamily: 'ui-monospace, Menlo, Consolas, monospace', fontSize: 14, scrollback: 5000, convertEol: false });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(box.current);
    fit.fit();
    term.focus();

    let socket = null;
    let disposed = false;
    let exited = false;
    let retry = 0;
    let timer = null;

    const send = (channel, payload) => {
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(frame(channel, payload));
    };
    const connect = () => {
      const session = sessionStorage.getItem(sessionKey(name));
      const query = new URLSearchParams({ cols: String(term.cols), rows: String(term.rows) });
      if (session) query.set('session', session);
      const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/api/v1/containers/${encodeURIComponent(name)}/console?${query}`;
      socket = new WebSocket(url);
      socket.binaryType = 'arraybuffer';
      let greeted = false;
      setStatus(session ? 'reattaching' : 'connecting');
      socket.onmessage = (message) => {
        if (typeof message.data === 'string') {
          const hello = JSON.parse(message.data);
          greeted = true;
          sessionStorage.setItem(sessionKey(name), hello.session);
          retry = 0;
          setStatus(hello.reattached ? 'reattached' : 'connected');
          send(RESIZE, `${term.cols} ${term.rows}`);
          return;
        }
        const bytes = new Uint8Array(message.data);
        if (bytes[0] === OUTPUT || bytes[0] === ERROR) term.write(bytes.subarray(1));
        else if (bytes[0] === EXIT) {
          exited = true;
          sessionStorage.removeItem(sessionKey(name));
          const code = new TextDecoder().decode(bytes.subarray(1));
          term.write(`\r\n[the shell exited with code ${code}]\r\n`);
          setStatus('exited');
        }
      };
      socket.onclose = () => {
        if (disposed || exited) return;
        // Refused before the greeting again and again: the session ended (404 after its grace period), so open a new one.
        if (!greeted && session && retry >= 2) sessionStorage.removeItem(sessionKey(name));
        // Dropped: reconnect to the same session, waiting a little longer each time.
        setStatus('reconnecting');
        timer = setTimeout(connect, Math.min(10000, 500 * 2 ** retry++));
      };
    };

    const input = term.onData((data) => send(INPUT, data));
    const binary = term.onBinary((data) => send(INPUT, Uint8Array.from(data, (ch) => ch.charCodeAt(0))));
    const resized = term.onResize(({ cols, rows }) => send(RESIZE, `${cols} ${rows}`));
    const selected = term.onSelectionChange(() => setSelection(term.getSelection()));
    const observer = new ResizeObserver(() => { try { fit.fit(); } catch { /* not laid out yet */ } });
    observer.observe(box.current);
    connect();

    return () => {
      disposed = true;
      clearTimeout(timer);
      observer.disconnect();
      input.dispose();
      binary.dispose();
      resized.dispose();
      selected.dispose();
      if (socket) socket.close();
      term.dispose();
    };
  }, [name, running, generation]);

  if (!running) return html`<h2>Console</h2><p id="console-stopped">The console opens while the container runs: start it first.</p>`;
  const restart = () => {
    sessionStorage.removeItem(sessionKey(name));
    setGeneration(generation + 1);
  };
  return html`
    <div class="console-head">
      <h2>Console</h2>
      <span id="console-status" class=${`console-status ${status}`} role="status">${status}</span>
      ${selection && html`<${CopyButton} text=${selection} label="Copy selection" />`}
      ${status === 'exited' && html`<button type="button" id="console-new" onClick=${restart}>New session</button>`}
    </div>
    <p class="hint">Paste with Ctrl+Shift+V (or the browser's paste); select text to copy it.</p>
    <div id="console" class="console" ref=${box} aria-label=${`Terminal in ${name}`}></div>`;
}
