import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { LapseRunDto } from '../coverage/lapse-run.dto';
import { CorrectOpdDto, RegisterOpdDto, RetireOpdDto, SetHeadcountDto } from '../opds/opd.dto';
import { RegisterSponsorDto, TransferSponsorDto, WithdrawSponsorDto } from '../sponsors/sponsor.dto';
import { EnrolWorkerDto, PayPremiumDto, ReenrolDto, WithdrawWorkerDto } from '../workers/worker.dto';

/**
 * Shape belongs to the edge: the DTOs refuse what is malformed (wrong type, unknown enum value, blank text,
 * impossible date), so the deciders only ever judge rules. Each case names the field the 400 answer names.
 */
async function invalidFields(dto: new () => object, body: Record<string, unknown>): Promise<string[]> {
  const errors = await validate(plainToInstance(dto, body), { whitelist: true, forbidNonWhitelisted: true });
  const fields = (list: typeof errors, parent = ''): string[] =>
    list.flatMap((e) => [...(e.constraints ? [`${parent}${e.property}`] : []), ...fields(e.children ?? [], `${parent}${e.property}.`)]);
  return fields(errors);
}

const opd = { code: 'DINKES', name: 'Dinas Kesehatan', kind: 'DINAS', pnsHeadcount: 120 };
const worker = {
  nik: '3374015503850001',
  fullName: 'Siti Aminah',
  birthDate: '1985-03-15',
  gender: 'F',
  occupation: 'DOMESTIC_HELPER',
  kecamatan: '3374.01',
  fundingSource: 'ASN_SPONSOR',
  sponsorId: '7d3f4c52-1f0e-4a4b-9a51-0c3f1b0e7a10',
};
const payment = { paymentRef: 'BPJS-0001', months: 3, amount: 50400, paidOn: '2026-03-12', payer: { type: 'SELF' } };

describe('request shapes refused at the edge', () => {
  it('accepts well-formed bodies', async () => {
    expect(await invalidFields(RegisterOpdDto, opd)).toEqual([]);
    expect(await invalidFields(CorrectOpdDto, { name: 'Dinas Kesehatan Kota', kind: 'RUMAH_SAKIT', reason: 'Perwal 12/2026' })).toEqual([]);
    expect(await invalidFields(RetireOpdDto, { reason: 'Merged' })).toEqual([]);
    expect(await invalidFields(EnrolWorkerDto, worker)).toEqual([]);
    expect(await invalidFields(PayPremiumDto, payment)).toEqual([]);
  });

  it.each([
    ['a negative headcount', RegisterOpdDto, { ...opd, pnsHeadcount: -1 }, 'pnsHeadcount'],
    ['a fractional headcount', RegisterOpdDto, { ...opd, pnsHeadcount: 1.5 }, 'pnsHeadcount'],
    ['a lower-case OPD code', RegisterOpdDto, { ...opd, code: 'dinkes' }, 'code'],
    ['an OPD code with a space', RegisterOpdDto, { ...opd, code: 'DIN KES' }, 'code'],
    ['a blank OPD name', RegisterOpdDto, { ...opd, name: ' ' }, 'name'],
    ['an empty OPD kind', RegisterOpdDto, { ...opd, kind: '' }, 'kind'],
    ['an OPD kind that is not one of the kinds', RegisterOpdDto, { ...opd, kind: 'SETDA' }, 'kind'],
    ['an OPD kind in lower case', RegisterOpdDto, { ...opd, kind: 'dinas' }, 'kind'],
    ['a correction to an unknown OPD kind', CorrectOpdDto, { kind: 'PUSKESMAS', reason: 'x' }, 'kind'],
    ['a correction to a blank OPD name', CorrectOpdDto, { name: ' ', reason: 'x' }, 'name'],
    ['a correction without a reason', CorrectOpdDto, { name: 'Dinas Kesehatan Kota' }, 'reason'],
    ['a retirement without a reason', RetireOpdDto, { effectiveOn: '2026-07-01' }, 'reason'],
    ['an impossible retirement date', RetireOpdDto, { reason: 'Merged', effectiveOn: '2026-06-31' }, 'effectiveOn'],
    ['a negative new headcount', SetHeadcountDto, { pnsHeadcount: -3 }, 'pnsHeadcount'],
    ['an impossible effective date', SetHeadcountDto, { pnsHeadcount: 3, effectiveOn: '2026-02-30' }, 'effectiveOn'],
    ['a blank sponsor name', RegisterSponsorDto, { nip: '198503152010011001', fullName: '  ', opdCode: 'DINKES' }, 'fullName'],
    ['a NIP of the wrong length', RegisterSponsorDto, { nip: '12345', fullName: 'Sri', opdCode: 'DINKES' }, 'nip'],
    ['a transfer to something not an OPD code', TransferSponsorDto, { opdCode: 'di nkes' }, 'opdCode'],
    ['a blank withdrawal reason (sponsor)', WithdrawSponsorDto, { reason: ' ' }, 'reason'],
    ['an unknown occupation', EnrolWorkerDto, { ...worker, occupation: 'PILOT' }, 'occupation'],
    ['an unknown funding source', EnrolWorkerDto, { ...worker, fundingSource: 'LOTTERY' }, 'fundingSource'],
    ['a gender other than F or M', EnrolWorkerDto, { ...worker, gender: 'X' }, 'gender'],
    ['an impossible birth date', EnrolWorkerDto, { ...worker, birthDate: '1985-02-30' }, 'birthDate'],
    ['a blank worker name', EnrolWorkerDto, { ...worker, fullName: '\t' }, 'fullName'],
    ['a fractional number of months', PayPremiumDto, { ...payment, months: 1.5 }, 'months'],
    ['an impossible payment date', PayPremiumDto, { ...payment, paidOn: '2026-02-30' }, 'paidOn'],
    ['an empty payment reference', PayPremiumDto, { ...payment, paymentRef: '' }, 'paymentRef'],
    ['an unknown payer type', PayPremiumDto, { ...payment, payer: { type: 'LOTTERY' } }, 'payer.type'],
    ['a blank CSR payer name', PayPremiumDto, { ...payment, payer: { type: 'CSR', name: ' ' } }, 'payer.name'],
    ['a blank withdrawal reason (worker)', WithdrawWorkerDto, { reason: ' ' }, 'reason'],
    ['an impossible re-enrolment date', ReenrolDto, { enrolledOn: '2026-13-01' }, 'enrolledOn'],
    ['an impossible lapse-run date', LapseRunDto, { asOf: '2026-06-31' }, 'asOf'],
  ] as const)('refuses %s', async (_case, dto, body, field) => {
    expect(await invalidFields(dto, body)).toEqual([field]);
  });
});
