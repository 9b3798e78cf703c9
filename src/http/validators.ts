import { Matches, ValidateBy, type ValidationOptions } from 'class-validator';
import { isCalendarDate } from '../shared/identity';

/** A real calendar date `YYYY-MM-DD` (2026-02-30 is refused at the edge, not deep inside a decider). */
export const IsCalendarDate = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) => isCalendarDate(value),
        defaultMessage: (args) => `${args?.property ?? 'value'} must be a real date YYYY-MM-DD`,
      },
    },
    options,
  );

/** A month `YYYY-MM` of years 0001–9999. */
export const IsYearMonth = (options?: ValidationOptions) =>
  Matches(/^(?!0000)\d{4}-(0[1-9]|1[0-2])$/, { message: ({ property }) => `${property} must be a month YYYY-MM`, ...options });

/** Text with at least one character that is not white space. */
export const IsNotBlank = (options?: ValidationOptions) =>
  Matches(/\S/, { message: ({ property }) => `${property} must not be blank`, ...options });
