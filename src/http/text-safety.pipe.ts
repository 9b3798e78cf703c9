import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { FieldError, ProblemException } from './problem-details.filter';

/** A NUL, or a UTF-16 surrogate without its partner: text PostgreSQL cannot store (or JSON cannot carry). */
const UNSAFE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const isUnsafeText = (value: string): boolean => UNSAFE_TEXT.test(value);

const MESSAGE = 'must not contain NUL characters or unpaired surrogates';

/** Shown names of offending fields are cut and cleaned: they may themselves hold the bad characters. */
const shown = (field: string) => field.slice(0, 200);

/**
 * Every string of every body, query and path parameter, keys included, before any DTO sees it: one
 * place that refuses NUL and lone surrogates (400 VALIDATION_FAILED naming each field), so no handler,
 * codec or SQL statement ever gets one. Iterative walk: depth is bounded by the body parser, not the stack.
 */
@Injectable()
export class TextSafetyPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const errors = unsafeFields(value, metadata.data ?? '');
    if (errors.length) {
      throw new ProblemException(400, 'VALIDATION_FAILED', `Invalid request: ${errors.map((e) => e.field).join(', ')}`, errors);
    }
    return value;
  }
}

/** The fields (dotted paths, array items by index) whose text or name is unsafe; [] when all are fine. */
export function unsafeFields(root: unknown, rootPath = ''): FieldError[] {
  const errors: FieldError[] = [];
  const stack: [unknown, string][] = [[root, rootPath]];
  while (stack.length) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (isUnsafeText(value)) errors.push({ field: shown(path), message: `${shown(path) || 'value'} ${MESSAGE}` });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => stack.push([item, path ? `${path}.${index}` : String(index)]));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        const child = path ? `${path}.${key}` : key;
        if (isUnsafeText(key)) errors.push({ field: shown(child), message: `field names ${MESSAGE}` });
        else stack.push([item, child]);
      }
    }
  }
  return errors.reverse();
}
