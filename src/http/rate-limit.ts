import { type DynamicModule, type ExecutionContext, Injectable } from '@nestjs/common';
import { normalizeIp, ThrottlerGuard, ThrottlerModule, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ProblemException } from './problem-details.filter';

const WINDOW_MS = 60_000;

/**
 * `ASUH_RATE_LIMIT_PER_MINUTE` requests in any sliding minute (no block beyond the window: a client is let
 * in again as soon as its oldest request of the last minute ages out; Retry-After says when). The counts
 * are kept in this process's memory: behind a load balancer each instance counts on its own.
 */
export const rateLimitModule = (limitPerMinute: number): DynamicModule =>
  ThrottlerModule.forRoot({ throttlers: [{ ttl: WINDOW_MS, limit: limitPerMinute, blockDuration: 0 }] });

/**
 * Who a request counts against: the key it presents (by a hash, never the secret), else its client address
 * (the socket's: no proxy header is trusted; an IPv6 address counts by its /64, as the throttler does).
 */
export function rateLimitTracker(req: IncomingMessage & { ip?: string }): string {
  const header = req.headers.authorization;
  const bearer = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header.trim())?.[1] : undefined;
  if (bearer) return `key:${createHash('sha256').update(bearer).digest('base64url')}`;
  const address = req.ip ?? req.socket?.remoteAddress;
  return `address:${address ? normalizeIp(address) : 'unknown'}`;
}

/**
 * Rate limit of every request under /v1, checked before the API key (so floods of wrong keys are limited
 * too, and cost no key lookup): one budget per presented key across all routes, or per client address for
 * requests without a key. Over it: 429 RATE_LIMITED problem+json with Retry-After (seconds).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const path: string = context.switchToHttp().getRequest().path ?? '';
    return !path.startsWith('/v1/');
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    return rateLimitTracker(req as unknown as IncomingMessage & { ip?: string });
  }

  /** One budget per tracker for the whole API, not one per route. */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = String(Math.max(1, detail.timeToBlockExpire));
    throw new ProblemException(
      429,
      'RATE_LIMITED',
      `More than ${detail.limit} requests in a minute for this ${detail.tracker.startsWith('key:') ? 'key' : 'address'}; retry after ${retryAfter} s`,
      undefined,
      { 'Retry-After': retryAfter },
    );
  }
}
