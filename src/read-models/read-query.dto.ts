import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** Query parameters every GET under /v1 accepts. */
export class ReadQueryDto {
  @ApiPropertyOptional({ description: 'Wait until the read models have processed this log position (a command answer\'s `position`)' })
  @IsOptional()
  @Matches(/^\d{1,20}$/, { message: 'minPosition must be a decimal string' })
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

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page\'s `nextCursor`' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Cursors are the last row's sort key, base64url-encoded so clients treat them as opaque. */
export const encodeCursor = (key: string): string => Buffer.from(key, 'utf8').toString('base64url');

export function decodeCursor(cursor: string | undefined): string | null {
  if (!cursor) return null;
  return Buffer.from(cursor, 'base64url').toString('utf8');
}
