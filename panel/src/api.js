// The REST API client: JSON in and out, the session's CSRF token on every change, problem+json as ApiError.
let csrf = null;

export function setCsrf(token) {
  csrf = token;
}

/** An RFC 9457 problem answered by the daemon (or a network failure, status 0). */
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || (status ? `HTTP ${status}` : 'the daemon cannot be reached'));
    this.status = status;
    this.title = problem && problem.title;
    this.detail = problem && problem.detail;
  }
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-Berth-Csrf'] = csrf;
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, null);
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const error = new ApiError(response.status, data);
    if (response.status === 401 && unauthenticated) unauthenticated(error);
    throw error;
  }
  return data;
}

let unauthenticated = null;
/** Called when any call answers 401: the session ended, show the login page. */
export function onUnauthenticated(handler) {
  unauthenticated = handler;
}

export const enc = encodeURIComponent;
export const containerPath = (name) => `/api/v1/containers/${enc(name)}`;
export const userPath = (name) => `/api/v1/users/${enc(name)}`;
/** Image aliases may hold '/', which stays a separator. */
export const imagePath = (alias) => `/api/v1/images/${alias.split('/').map(enc).join('/')}`;

/**
 * The form field a problem is about: the API's details name the request's fields ("limits.memory", "network",
 * "name"), so the first field named in the detail, most specific first, gets the message; null: the whole form.
 */
export function fieldOf(error, fields) {
  const text = `${error.detail || ''} ${error.title || ''}`.toLowerCase();
  for (const field of [...fields].sort((a, b) => b.length - a.length)) {
    const word = field.toLowerCase().replace(/[.]/g, '\\.');
    if (new RegExp(`(^|[^a-z0-9.])${word}([^a-z0-9]|$)`).test(text)) return field;
  }
  return null;
}
