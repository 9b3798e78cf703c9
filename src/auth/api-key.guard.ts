import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import type { Principal, Role } from '../shared/roles';
import { API_KEYS } from './api-keys';
import { ManagedApiKeys } from './managed-api-keys';
import { APP_CONFIG, type ApiKey, type AppConfig } from '../config/config';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * The aggregate reads that ASUH_PUBLIC_STATS opens to callers without a key (api.md, "Dashboard"): they
 * hold no personal data. Matched on the path, not on controller metadata, so that it holds wherever the
 * handlers live; deeper paths (`/v1/opds/{code}/…`) and every other method stay behind a key.
 */
const PUBLIC_AGGREGATE_READ = /^\/v1\/(stats\/[a-z]+|opds|opds\/[A-Z][A-Z0-9_]{1,39}|reference\/[a-z-]+)\/?$/;

export function isPublicAggregateRead(method: string, path: string): boolean {
  return (method === 'GET' || method === 'HEAD') && PUBLIC_AGGREGATE_READ.test(path);
}

/**
 * `Authorization: Bearer <secret>` → principal; no or unknown key 401, a role without permission 403. The keys
 * of ASUH_API_KEYS are tried first (SHA-256 digests compared in constant time), then the managed keys (issued
 * through /v1/api-keys: found by the keyed hash of the secret; revoked or expired ones are refused with 401).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: { digest: Buffer; principal: Principal }[];

  constructor(
    private readonly reflector: Reflector,
    @Inject(API_KEYS) keys: ApiKey[],
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly managed: ManagedApiKeys,
  ) {
    this.keys = keys.map((k) => ({
      digest: digest(k.secret),
      principal: { name: k.name, role: k.role, ...(k.role === 'operator' && k.opdCode ? { opdCode: k.opdCode } : {}) },
    }));
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest();
    const header: string | undefined = request.headers?.authorization;
    // A key that is presented is still checked; only a request without one passes as anonymous.
    if (!header && this.config.publicStats && isPublicAggregateRead(request.method, request.path)) return true;
    const match = header ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
    if (!match) throw new UnauthorizedException('An API key is required: Authorization: Bearer <secret>');
    const principal = await this.principalOf(match[1]);
    request.principal = principal;
    const allowed = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? ['admin'];
    if (!allowed.includes(principal.role)) {
      throw new ForbiddenException(`Role ${principal.role} may not do this (allowed: ${allowed.join(', ')})`);
    }
    return true;
  }

  private async principalOf(secret: string): Promise<Principal> {
    const presented = digest(secret);
    const configured = this.keys.find((k) => timingSafeEqual(k.digest, presented));
    if (configured) return configured.principal;
    const managed = await this.managed.authenticate(secret);
    switch (managed.kind) {
      case 'ok':
        return managed.principal;
      case 'revoked':
        throw new UnauthorizedException('This API key has been revoked');
      case 'expired':
        throw new UnauthorizedException(`This API key expired after ${managed.expiresOn}`);
      case 'unknown':
        throw new UnauthorizedException('Unknown API key');
      default: {
        const _exhaustive: never = managed;
        throw new UnauthorizedException('Unknown API key');
      }
    }
  }
}
