// The JSON API: session tokens (sessionStorage), refresh on 401 and before expiry, problem+json errors.
const STORAGE_KEY = "cvlens.session";
const REFRESH_MARGIN_SECONDS = 60;

let session = loadSession();
let refreshing = null;
let refreshTimer = null;
const listeners = new Set();

export class ApiError extends Error {
  constructor(status, problem) {
    super(describeProblem(status, problem));
    this.status = status;
    this.problem = problem;
  }
}

function describeProblem(status, problem) {
  if (problem && Array.isArray(problem.errors) && problem.errors.length) {
    return problem.errors.map((e) => `${e.name}: ${e.reason}`).join("; ");
  }
  if (problem && problem.detail) return problem.detail;
  if (problem && problem.title) return problem.title;
  return `The server answered ${status}.`;
}

export async function errorFrom(response) {
  let problem = null;
  try {
    problem = await response.json();
  } catch {
    problem = null;
  }
  return new ApiError(response.status, problem);
}

function loadSession() {
  try {
    return JSON.parse(sessionStorage.getItem(STORAGE_KEY) || "null");
  } catch {
    return null;
  }
}

function storeSession(pair, email) {
  session = pair
    ? {
        access: pair.access_token,
        refresh: pair.refresh_token,
        expiresAt: Date.now() + pair.expires_in * 1000,
        email: email ?? session?.email ?? "",
      }
    : null;
  if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(STORAGE_KEY);
  scheduleRefresh();
  for (const listener of listeners) listener(session);
}

function scheduleRefresh() {
  clearTimeout(refreshTimer);
  if (!session) return;
  const delay = Math.max(5_000, session.expiresAt - Date.now() - REFRESH_MARGIN_SECONDS * 1000);
  refreshTimer = setTimeout(() => refresh().catch(() => {}), delay);
}

export function onSessionChange(listener) {
  listeners.add(listener);
}

export function currentSession() {
  return session;
}

export function accessToken() {
  return session?.access ?? null;
}

export function resumeSession() {
  scheduleRefresh();
}

export async function register(email, password, name) {
  const body = { email, password };
  if (name) body.name = name;
  const response = await fetch("/api/v1/auth/register", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw await errorFrom(response);
}

export async function signIn(email, password) {
  const response = await fetch("/api/v1/auth/token", {
    method: "POST",
    body: new URLSearchParams({ username: email, password }),
  });
  if (!response.ok) throw await errorFrom(response);
  storeSession(await response.json(), email);
}

export async function signOut() {
  const ending = session;
  storeSession(null);
  if (!ending) return;
  await fetch("/api/v1/auth/logout", {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${ending.access}` },
    body: JSON.stringify({ refresh_token: ending.refresh }),
  }).catch(() => {});
}

/** Exchange the refresh token once, however many callers ask at the same time. */
export function refresh() {
  if (!session) return Promise.reject(new ApiError(401, { detail: "Please sign in again." }));
  refreshing ??= (async () => {
    try {
      const response = await fetch("/api/v1/auth/refresh", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_token: session.refresh }),
      });
      if (!response.ok) {
        storeSession(null);
        throw new ApiError(401, { detail: "Your session ended; please sign in again." });
      }
      storeSession(await response.json());
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** `fetch` with the bearer token; one refresh-and-retry on 401. */
export async function authorizedFetch(path, init = {}) {
  const send = () =>
    fetch(path, { ...init, headers: { ...(init.headers || {}), Authorization: `Bearer ${accessToken()}` } });
  let response = await send();
  if (response.status === 401 && session) {
    await refresh();
    response = await send();
  }
  if (response.status === 401) storeSession(null);
  return response;
}

export async function api(path, { method = "GET", json } = {}) {
  const init = { method, headers: { Accept: "application/json" } };
  if (json !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(json);
  }
  const response = await authorizedFetch(path, init);
  if (!response.ok) throw await errorFrom(response);
  return response.status === 204 ? null : response.json();
}
