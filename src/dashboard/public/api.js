// The aggregate endpoints the page is built from (api.md, "Dashboard"), with the analyst key kept for the
// browser session only: sessionStorage, sent as a Bearer header, never put in a URL.

const KEY_STORAGE = 'asuh.dashboard.apiKey';

/** No key, or a key the service does not know (401). */
export class AuthRequiredError extends Error {
  constructor(message) {
    super(message);
    this.name = 'AuthRequiredError';
  }
}

/** Any other refusal, with the problem+json `code` and `detail` when the service gave them. */
export class ApiError extends Error {
  constructor(status, code, detail) {
    super(detail || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

export function storedKey() {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

export function storeKey(key) {
  sessionStorage.setItem(KEY_STORAGE, key);
}

export function forgetKey() {
  try {
    sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    // Storage blocked: nothing was kept.
  }
}

/**
 * GET a JSON answer. Returns { body, position, answeredAt }: `position` is the log position the read
 * models had reached (X-Projection-Position), `answeredAt` the server's time of the answer (Date header).
 */
export async function getJson(path, params = {}, { key = storedKey(), signal } = {}) {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
  }
  const headers = { Accept: 'application/json' };
  if (key) headers.Authorization = `Bearer ${key}`;
  const response = await fetch(url, { headers, credentials: 'omit', cache: 'no-store', signal });
  if (response.status === 401) throw new AuthRequiredError(key ? 'Kunci API tidak dikenal.' : 'Kunci API diperlukan.');
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch {
      // Not problem+json (a proxy's answer): the status says enough.
    }
    throw new ApiError(response.status, problem?.code, problem?.detail);
  }
  const date = response.headers.get('Date');
  return {
    body: await response.json(),
    position: response.headers.get('X-Projection-Position'),
    answeredAt: date ? new Date(date) : new Date(),
  };
}
