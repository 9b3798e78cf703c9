import { ImportFileError, readImportFile } from './import-file';
import { readPaymentRow, readWorkerRow } from './import-rows';
import { lanesOf } from './imports.service';

const WORKERS = 'nik,fullName,birthDate,gender,occupation,kecamatan,fundingSource';
const PAYMENTS = 'paymentRef,nik,months,amount,paidOn,payerType';
const file = (kind: 'workers' | 'payments', text: string) => readImportFile(kind, Buffer.from(text));

describe('reading an import file', () => {
  it('numbers rows as a spreadsheet does (header is row 1), skips blank lines and accepts a BOM and CRLF', () => {
    const read = file('workers', `\ufeff${WORKERS}\r\n3374015204850001,"Sri ""Ani""",1985-04-12,F,DOMESTIC_HELPER,3374.01,APBD\r\n\r\n3374011204850002,Joko,1985-04-12,M,CASUAL_WORKER,3374.02,DBHCHT\r\n`);
    expect(read.header).toEqual(WORKERS.split(','));
    expect(read.rows.map((r) => [r.row, r.values.fullName])).toEqual([
      [2, 'Sri "Ani"'],
      [3, 'Joko'],
    ]);
  });

  it('refuses a header that lacks a required column, names an unknown one, or names one twice', () => {
    const refusal = (text: string) => {
      try {
        file('payments', text);
      } catch (error) {
        return (error as ImportFileError).errors.map((e) => e.field);
      }
      throw new Error('not refused');
    };
    expect(refusal('paymentRef,nik,months,amount,paidOn\n')).toEqual(['payerType']);
    expect(refusal(`${PAYMENTS},catatan\n`)).toEqual(['catatan']);
    expect(refusal(`${PAYMENTS},nik\n`)).toEqual(['nik']);
  });

  it('refuses a file that is empty, not UTF-8, or not CSV', () => {
    expect(() => file('workers', '')).toThrow(ImportFileError);
    expect(() => readImportFile('workers', Buffer.from([0x6e, 0x69, 0x6b, 0xff, 0x0a]))).toThrow(/not UTF-8/);
    expect(() => file('workers', `${WORKERS}\n"unclosed,a,b\n`)).toThrow(/not valid CSV/);
  });

  it('keeps a row with a field too many or too few, marked, to be rejected on its own', () => {
    const read = file('workers', `${WORKERS}\na,b\n`);
    expect(read.rows[0].shapeError).toBe('the row has 2 fields, the header 7');
    expect(readWorkerRow(read.rows[0])).toEqual({ errors: [{ row: 2, field: 'row', code: 'VALIDATION_FAILED', message: 'the row has 2 fields, the header 7' }] });
  });

  it("ignores an errors.csv's appended columns and reads its formula-escaped cells back", () => {
    const read = file('workers', `${WORKERS},address,phone,row,field,code,message\n3374015204850001,Sri,1985-04-12,F,DOMESTIC_HELPER,3374.01,APBD,'=Jl. A,'+628123456789,7,kecamatan,VALIDATION_FAILED,x\n`);
    const row = readWorkerRow(read.rows[0]);
    expect(row).toEqual({ ok: expect.objectContaining({ body: expect.objectContaining({ address: '=Jl. A', phone: '+628123456789' }) }) });
    expect(read.rows[0].values).not.toHaveProperty('code');
  });
});

describe('reading rows as the single-record requests', () => {
  it('a worker row: the enrolment DTO rules, per column, and the sponsor NIP shape', () => {
    const [row] = file('workers', `${WORKERS},sponsorNip\n3374015204850001,Sri,1985-02-30,X,ASTRONAUT,3374.01,APBD,12\n`).rows;
    const read = readWorkerRow(row);
    expect('errors' in read && read.errors.map((e) => e.field)).toEqual(['birthDate', 'gender', 'occupation', 'sponsorNip']);
  });

  it('a payment row: numbers read as numbers, the payer built from its columns, its fields named as columns', () => {
    const [good, bad] = file('payments', `${PAYMENTS},payerName\nR-1,3374015204850001,3,50400,2026-03-01,CSR,PT Jamu\nR 2,33740,tiga,-5,2026-03-01,SOMEONE,\n`).rows;
    expect(readPaymentRow(good)).toEqual({
      ok: { nik: '3374015204850001', payerSponsorNip: undefined, body: { paymentRef: 'R-1', months: 3, amount: 50400, paidOn: '2026-03-01', payer: { type: 'CSR', name: 'PT Jamu' } } },
    });
    const read = readPaymentRow(bad);
    expect('errors' in read && read.errors.map((e) => e.field)).toEqual(['nik', 'paymentRef', 'months', 'amount', 'payerType']);
    expect('errors' in read && read.errors.find((e) => e.field === 'payerType')!.message).toMatch(/^payerType must be one of/);
  });
});

describe('lanes of an import', () => {
  it('keeps rows of one NIK, and rows sharing a receipt number, in one lane in file order', () => {
    const lines = [PAYMENTS];
    for (let i = 0; i < 200; i++) lines.push(`R-${i},33740152048500${String(i % 40).padStart(2, '0')},1,16800,2026-03-01,APBD`);
    lines.push('R-7,3374015204850099,1,16800,2026-03-01,APBD');
    const read = file('payments', lines.join('\n'));
    const lanes = lanesOf(read.rows, 8, 'payments');
    expect(lanes.flat()).toHaveLength(201);
    const laneOf = new Map<number, number>();
    lanes.forEach((lane, index) => {
      lane.forEach((row) => laneOf.set(row.row, index));
      expect(lane.map((r) => r.row)).toEqual([...lane.map((r) => r.row)].sort((a, b) => a - b));
    });
    for (const row of read.rows) {
      const sameNik = read.rows.filter((r) => r.values.nik === row.values.nik || r.values.paymentRef === row.values.paymentRef);
      for (const other of sameNik) expect(laneOf.get(other.row)).toBe(laneOf.get(row.row));
    }
    expect(lanes.filter((lane) => lane.length > 0).length).toBeGreaterThan(1);
  });
});
