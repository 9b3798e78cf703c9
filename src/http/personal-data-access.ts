import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../personal-data/vault';
import type { Principal } from '../shared/roles';

/**
 * Records every answer that carries a person's unmasked personal data (a name, a whole NIK or NIP): who asked,
 * when, through which route (the route's pattern, never the URL: a query string may hold a NIK).
 */
@Injectable()
export class PersonalDataAccess {
  constructor(@Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault) {}

  async record(request: Request, subjects: readonly string[]): Promise<void> {
    const principal = (request as Request & { principal?: Principal }).principal?.name ?? 'anonymous';
    const route = `${request.method} ${(request.route as { path?: string } | undefined)?.path ?? request.path}`;
    await this.vault.accessLog.record(principal, route, subjects);
  }
}
