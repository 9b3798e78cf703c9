/**
 * Which PostgreSQL failures mean "the database is unavailable for now" (answered 503 DEPENDENCY_UNAVAILABLE,
 * worth retrying) rather than a bug. Used by the event-store adapter and by the HTTP edge for read-model
 * queries (TypeORM wraps the driver's error, so the chain is followed through `driverError` and `cause`).
 */

/** SQLSTATE classes and codes of an unreachable, stopping, overloaded or too slow server. */
const UNAVAILABLE_SQLSTATE_CLASSES = ['08', '53', '57', '58'];
const UNAVAILABLE_SQLSTATES = new Set([
  '25P03', // idle_in_transaction_session_timeout: the session was ended
  '55P03', // lock_not_available (lock_timeout)
  '57014', // query_canceled: statement_timeout
]);

/** Socket errors of the connection itself. */
const SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);

/**
 * Messages of node-postgres and pg-pool that carry no code: a connection that died ("Connection terminated
 * unexpectedly" during a fast shutdown), a connect or checkout that timed out, a read that timed out
 * (query_timeout), a client or pool that can no longer be used.
 */
const DRIVER_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Query read timeout/,
  /is not queryable/,
  /^Cannot use a pool after calling end on the pool/,
  /^Client was closed/,
];

function ownVerdict(error: object): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (SOCKET_ERRORS.has(code) || UNAVAILABLE_SQLSTATES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_SQLSTATE_CLASSES.includes(code.slice(0, 2))) return true;
  }
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && DRIVER_MESSAGES.some((pattern) => pattern.test(message));
}

/** True when `error` (or the error it wraps) says PostgreSQL is unreachable, stopping, overloaded or too slow. */
export function isPostgresUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let hops = 0; hops < 5 && current !== null && typeof current === 'object'; hops++) {
    if (ownVerdict(current)) return true;
    const wrapped = current as { driverError?: unknown; cause?: unknown };
    current = wrapped.driverError ?? wrapped.cause;
  }
  return false;
}
