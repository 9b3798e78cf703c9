import type { EventSchemas } from '../event-sourcing/event-catalog';

/**
 * Events of a year's UCJ stream `ucj-{year}`. `UcjTargetSet` is part of the public contract: the number of
 * covered workers (UCJ, Universal Coverage Jamsostek) the city aims for in that year.
 */
export type UcjTargetSet = {
  type: 'UcjTargetSet';
  data: {
    year: number;
    /** Covered workers the city aims for in `year`. */
    target: number;
    /** The year's target before this one; null when none was set (ASUH_UCJ_TARGET applied). */
    previousTarget: number | null;
    /** The day the admin set it. */
    setOn: string;
    /** Business date: the day it was set. */
    occurredOn: string;
  };
};

export type UcjEvent = UcjTargetSet;

/** Schema versions (see event-sourcing/event-catalog.ts). */
export const UCJ_EVENT_SCHEMAS: EventSchemas = {
  UcjTargetSet: { version: 1 },
};

/** One stream per year: the targets of different years never contend. */
export const ucjStream = (year: number): string => `ucj-${year}`;
