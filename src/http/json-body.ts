import type { NestExpressApplication } from '@nestjs/platform-express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProblemException } from './problem-details.filter';

/** Largest request body, after any Content-Encoding is undone (api.md: 413 beyond it). */
export const MAX_BODY_BYTES = 100 * 1024;

/** Deepest nesting of arrays and objects a body may have; the API's own bodies are three levels deep. */
export const MAX_JSON_DEPTH = 32;

/** Content encodings the JSON parser can undo (body-parser's own list). */
const CONTENT_ENCODINGS = new Set(['identity', 'gzip', 'deflate', 'br']);

const JSON_MEDIA_TYPE = /^application\/json$/i;

const CSV_MEDIA_TYPE = /^text\/csv$/i;

/** The one route whose body is a file, not JSON: a bulk import (POST /v1/imports), read by its controller. */
const isFileUpload = (req: IncomingMessage): boolean => req.method === 'POST' && /^\/v1\/imports\/?(\?|$)/.test(req.url ?? '');

type Next = (error?: unknown) => void;

/** Whether the request carries a body: chunked, or a non-zero length. */
function hasBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && Number(length) !== 0;
}

const unsupported = (detail: string) => new ProblemException(415, 'UNSUPPORTED_MEDIA_TYPE', detail);

/**
 * JSON only: a request with a body must say `Content-Type: application/json` (charset, when given, UTF-8,
 * RFC 8259) and use an encoding the parser can undo; anything else is 415 before the body is read and before
 * any key is checked. Requests without a body (most GETs) pass untouched.
 */
export function jsonOnly(req: IncomingMessage, _res: ServerResponse, next: Next): void {
  if (!hasBody(req)) return next();
  const [mediaType, ...params] = (req.headers['content-type'] ?? '').split(';').map((part) => part.trim());
  if (isFileUpload(req)) return csvOnly(req, mediaType, params, next);
  if (!JSON_MEDIA_TYPE.test(mediaType)) {
    return next(unsupported(`Request bodies are JSON: send Content-Type: application/json${mediaType ? ` (not ${mediaType.slice(0, 100)})` : ''}`));
  }
  for (const param of params) {
    const [name, value = ''] = param.split('=').map((part) => part.trim());
    if (name.toLowerCase() === 'charset' && !/^"?utf-?8"?$/i.test(value)) {
      return next(unsupported(`JSON bodies are UTF-8 (not charset ${value.slice(0, 40)})`));
    }
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (!CONTENT_ENCODINGS.has(encoding)) {
    return next(unsupported(`Content-Encoding ${encoding.slice(0, 40)} is not supported (identity, gzip, deflate or br)`));
  }
  next();
}

/**
 * An import's body: `Content-Type: text/csv` (charset, when given, UTF-8), not compressed; anything else is 415
 * before the body is read. Its size is bounded where it is read (ASUH_IMPORT_MAX_BYTES).
 */
function csvOnly(req: IncomingMessage, mediaType: string, params: string[], next: Next): void {
  if (!CSV_MEDIA_TYPE.test(mediaType)) {
    return next(unsupported(`An import's body is the CSV file: send Content-Type: text/csv${mediaType ? ` (not ${mediaType.slice(0, 100)})` : ''}`));
  }
  for (const param of params) {
    const [name, value = ''] = param.split('=').map((part) => part.trim());
    if (name.toLowerCase() === 'charset' && !/^"?utf-?8"?$/i.test(value)) {
      return next(unsupported(`Import files are UTF-8 (not charset ${value.slice(0, 40)})`));
    }
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') return next(unsupported(`Import files are sent uncompressed (not Content-Encoding ${encoding.slice(0, 40)})`));
  next();
}

/**
 * Nesting depth of a JSON text, counted over its bytes without parsing (strings skipped, escapes
 * honoured), stopping as soon as it passes `limit`: linear, no recursion, so a 10,000-deep body is
 * refused before JSON.parse or any recursive walk (class-transformer, prototype stripping) sees it.
 */
export function jsonDepthExceeds(body: Buffer, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === 0x5c) i++; // backslash: skip the escaped character
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > limit) return true;
    } else if (byte === 0x7d || byte === 0x5d) {
      depth--;
    }
  }
  return false;
}

class TooDeepError extends Error {
  readonly status = 400;
  readonly expose = true;
  readonly type = 'entity.too.deep';
}

/**
 * The only body parser (Nest's defaults, JSON and form-encoded, are turned off at creation): JSON of at
 * most MAX_BODY_BYTES once decoded, and at most MAX_JSON_DEPTH levels deep, behind `jsonOnly`.
 */
export function useJsonBodies(app: NestExpressApplication): void {
  app.use(jsonOnly);
  app.useBodyParser('json', {
    limit: MAX_BODY_BYTES,
    strict: true,
    verify: (_req: IncomingMessage, _res: ServerResponse, body: Buffer) => {
      if (jsonDepthExceeds(body, MAX_JSON_DEPTH)) throw new TooDeepError(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    },
  });
}
