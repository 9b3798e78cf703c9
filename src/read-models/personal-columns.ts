import type { PersonalDataVault } from '../personal-data/vault';
import type { Sealed } from '../personal-data/sealing';

/**
 * Read-model rows keep a person's name sealed (`personal`) with that person's key. This opens the names of a
 * page of rows in one go (one key-store query for the keys not cached); an erased person reads as null.
 */
export async function withNames<R extends { personal: Sealed | null }>(vault: PersonalDataVault, rows: readonly R[]): Promise<(Omit<R, 'personal'> & { fullName: string | null })[]> {
  const sealed = rows.map((row) => row.personal).filter((p): p is Sealed => p !== null);
  const opened = await vault.openAll(sealed);
  const names = new Map(sealed.map((envelope, i) => [envelope, (opened[i]?.fullName as string | undefined) ?? null]));
  return rows.map(({ personal, ...rest }) => ({ ...rest, fullName: personal ? (names.get(personal) ?? null) : null }));
}
