import { formatPosition } from '../event-store/event-store.port';

/** Every command answer carries the log position of its last event, for read-your-writes. */
export const withPosition = <T extends object>(body: T, position: bigint): T & { position: string } => ({
  ...body,
  position: formatPosition(position),
});
