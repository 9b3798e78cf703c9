import type { INestApplication } from '@nestjs/common';
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

type Next = (error?: unknown) => void;
type Middleware = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

/**
 * The Content-Security-Policy of everything the service serves (the API and the static dashboard): scripts,
 * styles, images, fonts and requests from this origin only, no inline code, no plugins, not framed.
 * `upgrade-insecure-requests` is left out: the service is reached over plain HTTP on a LAN or localhost,
 * where upgrading would break the dashboard; TLS, where there is one, is terminated in front of it.
 */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'connect-src': ["'self'"],
  'font-src': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
};

/**
 * Swagger UI (`/docs`) ships its own page with inline `<style>` blocks and styles set by its scripts:
 * inline styles are allowed there, and only there. Its scripts are files of this origin, like everywhere.
 */
export const DOCS_CONTENT_SECURITY_POLICY = { ...CONTENT_SECURITY_POLICY, 'style-src': ["'self'", "'unsafe-inline'"] };

const securityHeaders = (directives: Record<string, string[]>) =>
  helmet({ contentSecurityPolicy: { useDefaults: false, directives } }) as unknown as Middleware;

/** Helmet's headers on every answer, errors included; the docs get their own policy. */
export function useSecurityHeaders(app: INestApplication): void {
  const everywhere = securityHeaders(CONTENT_SECURITY_POLICY);
  const docs = securityHeaders(DOCS_CONTENT_SECURITY_POLICY);
  app.use((req: IncomingMessage, res: ServerResponse, next: Next) => ((req.url ?? '').startsWith('/docs') ? docs : everywhere)(req, res, next));
}

/** Headers a browser script may send, and the answer headers it may read. */
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'X-Request-Id', 'X-Correlation-Id'];
const EXPOSED_HEADERS = [
  'X-Request-Id',
  'X-Correlation-Id',
  'X-Projection-Position',
  'Retry-After',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'Content-Disposition',
];

/**
 * CORS for the origins of `ASUH_CORS_ORIGINS` only (none by default). A preflight from an allowed origin is
 * answered 204 with the CORS headers; any other preflight is answered 204 with none, so the browser refuses
 * the call (and no route answers OPTIONS with a misleading 404). Keys travel in `Authorization`, not
 * cookies: no credentials mode.
 */
export function useCors(app: INestApplication, origins: readonly string[]): void {
  const allowed = new Set(origins);
  if (allowed.size > 0) {
    app.use((_req: IncomingMessage, res: ServerResponse, next: Next) => {
      res.setHeader('Vary', 'Origin');
      next();
    });
    app.enableCors({
      origin: (origin: string | undefined, callback: (error: Error | null, allow?: boolean) => void) => callback(null, origin !== undefined && allowed.has(origin)),
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ALLOWED_HEADERS,
      exposedHeaders: EXPOSED_HEADERS,
      credentials: false,
      maxAge: 600,
      optionsSuccessStatus: 204,
    });
  }
  app.use((req: IncomingMessage, res: ServerResponse, next: Next) => {
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      res.statusCode = 204;
      res.end();
      return;
    }
    next();
  });
}
