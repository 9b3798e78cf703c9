import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { CLOCK, Clock } from '../shared/clock';
import type { CommandContext } from '../event-sourcing/event-metadata';
import { opdScopeOf, type Principal } from '../shared/roles';
import { correlationIdOf, requestIdOf } from './request-id';

/** Builds the metadata context of a command from its HTTP request: who, which request, when. */
@Injectable()
export class CommandContextFactory {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  fromRequest(request: Request): CommandContext {
    const principal = (request as Request & { principal?: Principal }).principal;
    const requestId = requestIdOf(request);
    const correlationId = correlationIdOf(request, requestId);
    const opdCode = opdScopeOf(principal);
    return {
      principal: principal?.name ?? 'anonymous',
      correlationId,
      causationId: requestId,
      now: this.clock.now(),
      today: this.clock.today(),
      ...(opdCode ? { scope: { opdCode } } : {}),
    };
  }

  system(name: string): CommandContext {
    const id = randomUUID();
    return { principal: `system:${name}`, correlationId: id, causationId: id, now: this.clock.now(), today: this.clock.today() };
  }
}
