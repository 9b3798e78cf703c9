import type { LoggerOptions } from 'pino';

/** Log redaction: secrets and personal data never reach the logs, whatever object they sit in. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.nik',
  '*.nip',
  '*.phone',
  '*.address',
  '*.fullName',
  '*.birthDate',
  '*.secret',
  '*.secretHash',
  '*.masterKey',
];

/**
 * pino options of every process: JSON lines for machines, or, on a terminal outside production, the same
 * records made readable by pino-pretty.
 */
export function loggerOptions(config: { logLevel: string; production: boolean }, stream: { isTTY?: boolean } = process.stdout): LoggerOptions {
  const pretty = !config.production && stream.isTTY === true;
  return {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
  };
}
