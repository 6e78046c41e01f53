// HTTP calls to the gateway's API. The token lives in this tab's sessionStorage and goes only in the
// Authorization header (never in a URL: the bridge's ?access_token= is bus.js's concern).
const KEY = 'mastermind.token';

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: (value) => sessionStorage.setItem(KEY, value),
  clear: () => sessionStorage.removeItem(KEY),
};

/** Raised for a non-2xx answer; `status` and the API's `{"error":{"code","message"}}` when there is one. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code;
  }
}

const listeners = new Set();
/** Called with no argument whenever an answer is 401: the page asks for a (new) token. */
export function onUnauthorized(listener) { listeners.add(listener); }

export async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  const t = token.get();
  if (t) headers.Authorization = `Bearer ${t}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (response.status === 401) listeners.forEach((l) => l());
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}
