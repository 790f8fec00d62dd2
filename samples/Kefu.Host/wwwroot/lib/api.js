// The pages' one way to call the host: JSON in and out, the anti-forgery header on cookie writes, problem details
// turned into ApiError. 64-bit ids travel as strings (PROTOCOL.md): never turn them into numbers.

const XSRF_KEY = 'kefu.xsrf';

/** An error answer of the API (problem details): status, title, detail, and field/allowed for validation. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

/** Remembers the anti-forgery token of the cookie session (from login or /auth/me). */
export function rememberSession(session) {
  if (session?.antiforgeryToken) sessionStorage.setItem(XSRF_KEY, session.antiforgeryToken);
  return session;
}

/** Forgets the session's token (sign-out). */
export function forgetSession() {
  sessionStorage.removeItem(XSRF_KEY);
}

/**
 * Calls the API. path is relative to /api/v1 (e.g. '/workbench/conversations'). Options: method, body (JSON, or a
 * FormData sent as is), query (object, empty values left out), visitorToken (sends 'Authorization: Visitor …'),
 * raw (returns the Response, for downloads).
 */
export async function api(path, { method = 'GET', body, query, visitorToken, raw = false } = {}) {
  let url = '/api/v1' + path;
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue;
      if (Array.isArray(v)) v.forEach(x => q.append(k, x)); else q.append(k, v);
    }
    const s = q.toString();
    if (s) url += (url.includes('?') ? '&' : '?') + s;
  }
  const headers = { Accept: 'application/json' };
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
  if (visitorToken) headers.Authorization = 'Visitor ' + visitorToken;
  else if (method !== 'GET' && method !== 'HEAD') {
    const token = sessionStorage.getItem(XSRF_KEY);
    if (token) headers['X-XSRF-TOKEN'] = token;
  }
  const response = await fetch(url, { method, headers, body: payload, credentials: 'same-origin' });
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON */ }
    throw new ApiError(response.status, problem);
  }
  if (raw) return response;
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') ? response.json() : response.text();
}

/** The signed-in caller (kind, tenantId, agent, permissions), or null when not signed in. */
export async function currentSession() {
  try {
    return rememberSession(await api('/auth/me'));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

/** Signs an agent or administrator in; operator: true signs the multi-tenant operator in. */
export async function signIn({ tenantId, account, password, operator = false }) {
  const session = operator
    ? await api('/auth/operator/login', { method: 'POST', body: { account, password } })
    : await api('/auth/login', { method: 'POST', body: { tenantId, account, password } });
  return rememberSession(session);
}

/** Signs out (an agent goes offline). */
export async function signOut() {
  try { await api('/auth/logout', { method: 'POST' }); } finally { forgetSession(); }
}

/** Saves a download (an export) under the name the host gives. */
export async function download(path, query) {
  const response = await api(path, { query, raw: true });
  const blob = await response.blob();
  const disposition = response.headers.get('Content-Disposition') || '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = match ? decodeURIComponent(match[1]) : 'export';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
