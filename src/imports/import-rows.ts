import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors } from '../http/validation';
import type { EnrolBody } from '../workers/enrol-worker.handler';
import type { PaymentBody } from '../workers/record-payment.handler';
import { EnrolWorkerDto, PayPremiumDto } from '../workers/worker.dto';
import { cell, type FileRow, wholeNumber } from './import-file';

/** One problem of one row, as the import reports it (`{ row, field, code, message }`). */
export interface RowError {
  row: number;
  field: string;
  code: string;
  message: string;
}

/** A worker row read into the enrolment request's shape: the sponsor still by NIP, resolved when the row runs. */
export interface WorkerRow {
  nik: string;
  sponsorNip?: string;
  body: Omit<EnrolBody, 'sponsorId'>;
}

/** A payment row: the worker by NIK and the paying sponsor by NIP, both resolved when the row runs. */
export interface PaymentRow {
  nik: string;
  payerSponsorNip?: string;
  body: PaymentBody;
}

const NIK = /^\d{16}$/;
const NIP = /^\d{18}$/;

/** The request fields the import's columns stand for, where their names differ. */
const WORKER_FIELDS: Record<string, string> = { sponsorId: 'sponsorNip' };
const PAYMENT_FIELDS: Record<string, string> = {
  payer: 'payerType',
  'payer.type': 'payerType',
  'payer.sponsorId': 'payerSponsorNip',
  'payer.name': 'payerName',
};

/** The column of the file a request field (a DTO property, a domain error's field) comes from. */
export const columnOf = (kind: 'workers' | 'payments', field: string | undefined): string =>
  field === undefined ? '' : ((kind === 'workers' ? WORKER_FIELDS : PAYMENT_FIELDS)[field] ?? field);

/** The same shape rules as the single-record endpoint's DTO, reported against the file's columns. */
function validateAs(kind: 'workers' | 'payments', dto: new () => object, body: object, row: number): RowError[] {
  const errors = validateSync(plainToInstance(dto, body), { whitelist: true, forbidNonWhitelisted: true });
  return flattenValidationErrors(errors).map(({ field, message }) => {
    const column = columnOf(kind, field);
    const property = field.slice(field.lastIndexOf('.') + 1);
    return { row, field: column, code: 'VALIDATION_FAILED', message: column === field ? message : message.replace(property, column) };
  });
}

const shapeErrors = (row: FileRow): RowError[] =>
  row.shapeError ? [{ row: row.row, field: 'row', code: 'VALIDATION_FAILED', message: row.shapeError }] : [];

/** A worker row as an enrolment request, or the reasons it cannot be one (the enrolment DTO's rules, NIP shape). */
export function readWorkerRow(row: FileRow): { ok: WorkerRow } | { errors: RowError[] } {
  const shape = shapeErrors(row);
  if (shape.length) return { errors: shape };
  const v = row.values;
  const body = {
    nik: cell(v, 'nik'),
    fullName: cell(v, 'fullName'),
    birthDate: cell(v, 'birthDate'),
    gender: cell(v, 'gender'),
    occupation: cell(v, 'occupation'),
    kecamatan: cell(v, 'kecamatan'),
    address: cell(v, 'address'),
    phone: cell(v, 'phone'),
    fundingSource: cell(v, 'fundingSource'),
    enrolledOn: cell(v, 'enrolledOn'),
  };
  for (const key of Object.keys(body) as (keyof typeof body)[]) if (body[key] === undefined) delete body[key];
  const errors = validateAs('workers', EnrolWorkerDto, body, row.row);
  const sponsorNip = cell(v, 'sponsorNip');
  if (sponsorNip !== undefined && !NIP.test(sponsorNip)) {
    errors.push({ row: row.row, field: 'sponsorNip', code: 'VALIDATION_FAILED', message: 'sponsorNip must be 18 digits' });
  }
  if (errors.length) return { errors };
  return { ok: { nik: body.nik!, sponsorNip, body: body as WorkerRow['body'] } };
}

/** A payment row as a payment request, or the reasons it cannot be one (the payment DTO's rules, NIK and NIP shape). */
export function readPaymentRow(row: FileRow): { ok: PaymentRow } | { errors: RowError[] } {
  const shape = shapeErrors(row);
  if (shape.length) return { errors: shape };
  const v = row.values;
  const payer: Record<string, unknown> = { type: cell(v, 'payerType') };
  const payerName = cell(v, 'payerName');
  if (payerName !== undefined) payer.name = payerName;
  const payerSponsorNip = cell(v, 'payerSponsorNip');
  // A placeholder id stands for the NIP while the shape is checked: the DTO's "only with ASN_SPONSOR" rule applies to it.
  if (payerSponsorNip !== undefined) payer.sponsorId = '00000000-0000-4000-8000-000000000000';
  const body: Record<string, unknown> = {
    paymentRef: cell(v, 'paymentRef'),
    months: wholeNumber(cell(v, 'months')),
    amount: wholeNumber(cell(v, 'amount')),
    paidOn: cell(v, 'paidOn'),
    payer,
  };
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  const errors = validateAs('payments', PayPremiumDto, body, row.row);
  const nik = cell(v, 'nik');
  if (nik === undefined || !NIK.test(nik)) errors.unshift({ row: row.row, field: 'nik', code: 'VALIDATION_FAILED', message: 'nik must be 16 digits' });
  if (payerSponsorNip !== undefined && !NIP.test(payerSponsorNip)) {
    errors.push({ row: row.row, field: 'payerSponsorNip', code: 'VALIDATION_FAILED', message: 'payerSponsorNip must be 18 digits' });
  }
  if (errors.length) return { errors };
  delete payer.sponsorId;
  return { ok: { nik: nik!, payerSponsorNip, body: body as unknown as PaymentBody } };
}
