import { SetMetadata, createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Principal, Role } from '../shared/roles';

export const ROLES_KEY = 'asuh:roles';
export const PUBLIC_KEY = 'asuh:public';

/** Roles allowed on a route (or every route of a controller). Routes without it are admin-only. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** A route that needs no API key (health, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The authenticated caller of the current request. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest().principal as Principal;
});
