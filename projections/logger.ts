/** The logging the read side needs; a pino logger fits it (`logger.info({ checkpoint }, 'caught up')`). */
export interface ReadSideLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}

export const silentLogger: ReadSideLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
