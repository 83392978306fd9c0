// Logging in: user and password (and the TOTP code when the account has one), a setup link's first password, or
// the admin token.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';

export function Login({ onLoggedIn }) {
  // A setup link (#setup=USER.CODE) sets the first password; the code stays in the fragment, never sent in a URL.
  const [setup, setSetup] = useState(() => new URLSearchParams(location.hash.slice(1)).get('setup'));
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [token, setToken] = useState('');
  const [error, setError] = useState('');
  const [tokenError, setTokenError] = useState('');
  const [busy, setBusy] = useState(false);
  const codeInput = useRef(null);
  const first = useRef(null);

  useEffect(() => { if (first.current) first.current.focus(); }, [setup]);
  useEffect(() => { if (needsCode && codeInput.current) codeInput.current.focus(); }, [needsCode]);

  const logIn = async (body, show) => {
    show('');
    setBusy(true);
    try {
      const session = await api('POST', '/api/v1/auth/login', body);
      await onLoggedIn(session);
    } catch (e) {
      if (e.title === 'Code required') setNeedsCode(true);
      show(e.message);
    } finally {
      setBusy(false);
    }
  };

  if (setup) {
    const submitSetup = async (event) => {
      event.preventDefault();
      setError('');
      try {
        const result = await api('POST', '/api/v1/auth/setup', { code: setup, password });
        history.replaceState(null, '', location.pathname);
        setSetup(null);
        setUser(result.name);
        setPassword('');
        setError('Password set: log in with it.');
      } catch (e) {
        setError(e.message);
      }
    };
    return html`
      <main class="login" id="login">
        <h1>Berth</h1>
        <form id="setup-form" onSubmit=${submitSetup}>
          <h2>Set your password</h2>
          <p>Choose a password (at least 8 characters) for <strong id="setup-user">${setup.split('.')[0]}</strong>; the setup link works once.</p>
          <label for="setup-password">New password</label>
          <input id="setup-password" ref=${first} type="password" autocomplete="new-password" minlength="8" required value=${password} onInput=${(e) => setPassword(e.currentTarget.value)} />
          <button type="submit">Set password</button>
          <p id="setup-error" class="error" role="alert">${error}</p>
        </form>
      </main>`;
  }

  const submit = (event) => {
    event.preventDefault();
    logIn({ user: user.trim(), password, code: code.replace(/\s/g, '') || undefined }, setError);
  };
  return html`
    <main class="login" id="login">
      <h1>Berth</h1>
      <form id="login-form" onSubmit=${submit}>
        <h2>Log in</h2>
        <label for="user">User</label>
        <input id="user" ref=${first} autocomplete="username" required value=${user} onInput=${(e) => setUser(e.currentTarget.value)} />
        <label for="password">Password</label>
        <input id="password" type="password" autocomplete="current-password" required value=${password} onInput=${(e) => setPassword(e.currentTarget.value)} />
        ${needsCode && html`
          <label for="code">Code from your authenticator app</label>
          <input id="code" ref=${codeInput} inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,8}" required value=${code} onInput=${(e) => setCode(e.currentTarget.value)} />`}
        <button type="submit" disabled=${busy}>Log in</button>
        <p id="login-error" class="error" role="alert">${error}</p>
      </form>
      <details id="token-login">
        <summary>Log in with the admin token</summary>
        <form id="token-form" onSubmit=${(e) => { e.preventDefault(); logIn({ token }, setTokenError); }}>
          <p>Paste the admin token. On the host it is in <code>/var/lib/berth/admin.token</code> (root only).</p>
          <label for="token">Admin token</label>
          <input id="token" type="password" autocomplete="off" required value=${token} onInput=${(e) => setToken(e.currentTarget.value)} />
          <button type="submit" disabled=${busy}>Log in</button>
          <p id="token-error" class="error" role="alert">${tokenError}</p>
        </form>
      </details>
    </main>`;
}
