import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { OCCUPATIONS, type Occupation } from '../workers/worker.events';

export interface OccupationLabel {
  code: Occupation;
  label: string;
}

/** Bahasa Indonesia labels of the programme's eligible occupations (domain.md, "Worker"). */
export const OCCUPATION_LABELS: Record<Occupation, string> = {
  DOMESTIC_HELPER: 'Asisten rumah tangga',
  PRIVATE_DRIVER: 'Sopir pribadi',
  HOME_SECURITY_GUARD: 'Penjaga rumah',
  VEGETABLE_SELLER: 'Pedagang sayur',
  SNACK_VENDOR: 'Pedagang makanan ringan',
  NEWSPAPER_SELLER: 'Penjual koran',
  FAMILY_BUSINESS: 'Usaha keluarga',
  CASUAL_WORKER: 'Pekerja lepas',
  OTHER: 'Lainnya',
};

export class ListOccupationsQuery extends Query<{ items: OccupationLabel[] }> {}

@QueryHandler(ListOccupationsQuery)
export class ListOccupationsHandler implements IQueryHandler<ListOccupationsQuery> {
  async execute(): Promise<{ items: OccupationLabel[] }> {
    return { items: OCCUPATIONS.map((code) => ({ code, label: OCCUPATION_LABELS[code] })) };
  }
}
