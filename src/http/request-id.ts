import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Ids a caller may choose for its request or correlation: short, and safe to log and echo. */
const ACCEPTED_ID = /^[\w.:-]{1,128}$/;

export const acceptedId = (header: unknown): string | undefined =>
  typeof header === 'string' && ACCEPTED_ID.test(header) ? header : undefined;

type IdentifiedRequest = IncomingMessage & { id?: unknown; correlationId?: string };

/**
 * The request's id: the one the first middleware settled on, else the caller's `X-Request-Id` when it is
 * acceptable, else a fresh UUID. pino-http's genReqId uses it too, so logs and answers carry the same id.
 */
export function requestIdOf(req: IncomingMessage): string {
  const own = (req as IdentifiedRequest).id;
  if (typeof own === 'string' && own) return own;
  return acceptedId(req.headers['x-request-id']) ?? randomUUID();
}

/** The correlation id of the request: the caller's `X-Correlation-Id` when acceptable, else the request id. */
export function correlationIdOf(req: IncomingMessage, requestId: string = requestIdOf(req)): string {
  const own = (req as IdentifiedRequest).correlationId;
  if (own) return own;
  return acceptedId(req.headers['x-correlation-id']) ?? requestId;
}

/**
 * First middleware of the chain: settles the request and correlation ids and echoes them on the answer,
 * before anything can fail, so every answer carries them, errors of the body parser included.
 */
export function requestIds(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const request = req as IdentifiedRequest;
  request.id = requestIdOf(req);
  request.correlationId = correlationIdOf(req, request.id as string);
  res.setHeader('X-Request-Id', request.id as string);
  res.setHeader('X-Correlation-Id', request.correlationId);
  next();
}
