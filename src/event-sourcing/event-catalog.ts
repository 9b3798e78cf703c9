import type { JsonObject } from '../event-store/event-store.port';
import type { Policy } from '../shared/policy';

/**
 * Event versions. Every event type has a schema version of its own, written into each event's metadata;
 * an event stored in an older shape is brought to the current one by that type's upcasters, one version
 * at a time, when it is read. This catalog is the one place that knows the versions: every read of the
 * log goes through it (see event-codec.ts), so no decider, projection or audit ever sees an old shape.
 */

/** What an upcaster may need besides the event: the deployment's time zone and policy. */
export interface UpcastEnvironment {
  timeZone: string;
  policy: Policy;
}

/** Turns the data of version `n` into the data of version `n + 1`; the metadata is there to read, not to change. */
export type Upcaster = (data: JsonObject, metadata: Readonly<JsonObject>, env: UpcastEnvironment) => JsonObject;

/** Which fields of an event are a person's data, and whose: they are stored sealed with that person's key. */
export interface PersonalFields {
  /** The person whose data key seals them (`worker:<id>`, `sponsor:<id>`), from the event's data as stored. */
  subject(data: Readonly<JsonObject>): string;
  fields: readonly string[];
  /** Events of this version and later hold these fields sealed (`personal`); earlier ones hold them in clear text. */
  sealedFrom: number;
}

export interface EventSchema {
  /** The version new events of this type are written with (1 for a type that never changed). */
  version: number;
  /** `upcasters[n]` turns version n into n + 1, for every n below `version`. */
  upcasters?: Readonly<Record<number, Upcaster>>;
  personal?: PersonalFields;
}

export type EventSchemas = Readonly<Record<string, EventSchema>>;

/** Events written before per-type versions existed carry no version, or the old global version 1. */
const VERSION_OF_UNVERSIONED = 1;

export class EventSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventSchemaError';
  }
}

export class EventCatalog {
  private readonly schemas = new Map<string, EventSchema>();

  constructor(...sets: EventSchemas[]) {
    for (const set of sets) {
      for (const [type, schema] of Object.entries(set)) {
        if (this.schemas.has(type)) throw new EventSchemaError(`Event type ${type} is defined twice`);
        if (!Number.isInteger(schema.version) || schema.version < 1) throw new EventSchemaError(`${type}: version must be a whole number from 1`);
        for (let from = 1; from < schema.version; from++) {
          if (!schema.upcasters?.[from]) throw new EventSchemaError(`${type}: no upcaster from version ${from} to ${from + 1}`);
        }
        this.schemas.set(type, schema);
      }
    }
  }

  has(type: string): boolean {
    return this.schemas.has(type);
  }

  types(): string[] {
    return [...this.schemas.keys()];
  }

  schemaOf(type: string): EventSchema | undefined {
    return this.schemas.get(type);
  }

  /** The version an event of this type is written with now. */
  versionOf(type: string): number {
    const schema = this.schemas.get(type);
    if (!schema) throw new EventSchemaError(`Unknown event type ${type}: add it to the event catalog`);
    return schema.version;
  }

  /** The stored version of an event, from its metadata. */
  storedVersionOf(metadata: Readonly<JsonObject>): number {
    const version = metadata.schemaVersion;
    return typeof version === 'number' && Number.isInteger(version) && version >= 1 ? version : VERSION_OF_UNVERSIONED;
  }

  /**
   * The data in the current shape. Types this release does not know pass through unchanged (nothing of
   * ours handles them); a version newer than this release knows is an error, never a silent misreading.
   */
  upcast(type: string, data: JsonObject, metadata: Readonly<JsonObject>, env: UpcastEnvironment): JsonObject {
    const schema = this.schemas.get(type);
    if (!schema) return data;
    const stored = this.storedVersionOf(metadata);
    if (stored > schema.version) {
      throw new EventSchemaError(`${type} v${stored} was written by a newer release (this one reads up to v${schema.version})`);
    }
    let current = data;
    for (let version = stored; version < schema.version; version++) current = schema.upcasters![version](current, metadata, env);
    return current;
  }
}
