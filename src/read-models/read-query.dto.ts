import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateBy, type ValidationOptions } from 'class-validator';
import { DomainError } from '../shared/domain-error';

/** Positions are PostgreSQL bigints: a client's position beyond a signed 64-bit value names nothing. */
const MAX_POSITION = 9_223_372_036_854_775_807n;

/** A log position sent by a client (`minPosition`, inside a cursor): decimal digits, at most 2^63 - 1; else null. */
export function parseClientPosition(value: unknown): bigint | null {
  if (typeof value !== 'string' || !/^\d{1,19}$/.test(value)) return null;
  const position = BigInt(value);
  return position <= MAX_POSITION ? position : null;
}

export const IsLogPosition = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isLogPosition',
      validator: {
        validate: (value: unknown) => parseClientPosition(value) !== null,
        defaultMessage: (args) => `${args?.property ?? 'value'} must be a log position: a decimal string up to 9223372036854775807`,
      },
    },
    options,
  );

/** Query parameters every GET under /v1 accepts. */
export class ReadQueryDto {
  @ApiPropertyOptional({
    description: "Wait until the read models have processed this log position (a command answer's `position`)",
    pattern: '^\\d{1,19}$',
  })
  @IsOptional()
  @IsLogPosition()
  minPosition?: string;
}

export const DEFAULT_PAGE_SIZE = 50;

/** `?limit=` (default 50, max 500) and `?cursor=` of list endpoints, answered as `{ items, nextCursor }`. */
export class ListQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page\'s `nextCursor`', pattern: '^[A-Za-z0-9_-]{1,200}$' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor is not one this API gave out' })
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Cursors are the last row's sort key, base64url-encoded so clients treat them as opaque. */
export const encodeCursor = (key: string): string => Buffer.from(key, 'utf8').toString('base64url');

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The key inside a cursor this API gave out; null without one. Anything else (not canonical base64url, not
 * UTF-8, a NUL) is a 400 naming `cursor`, never a key handed on to a query.
 */
export function decodeCursor(cursor: string | undefined): string | null {
  if (cursor === undefined || cursor === '') return null;
  const refuse = () => new DomainError('VALIDATION_FAILED', 'cursor is not one this API gave out', 'cursor');
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw refuse();
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes.toString('base64url') !== cursor) throw refuse();
  let key: string;
  try {
    key = strictUtf8.decode(bytes);
  } catch {
    throw refuse();
  }
  if (key.includes('\u0000')) throw refuse();
  return key;
}
