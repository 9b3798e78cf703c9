import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, ProblemException } from './problem-details.filter';

/** class-validator's error tree as one `{ field, message }` per broken constraint, fields dotted (`payer.type`). */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** Shape validation at the edge: unknown fields rejected, every problem listed by field. */
export const validationPipe = () =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fieldErrors = flattenValidationErrors(errors);
      return new ProblemException(400, 'VALIDATION_FAILED', `Invalid request: ${fieldErrors.map((e) => e.field).join(', ')}`, fieldErrors);
    },
  });
