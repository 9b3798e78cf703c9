import { syntheticNik } from './synthetic-identity';

/**
 * The city's APBD/DBHCHT-funded workers as the import files a secretariat would bring (synthetic): one workers
 * file and one payments file of monthly payments, for the bulk-import tests and benchmark. Deterministic for
 * given options. Malformed rows can be mixed in; each is listed with the row number and code it must be
 * rejected with.
 */
export interface ApbdFilesOptions {
  /** Workers (the city's figure: 7,217). */
  workers: number;
  /** Year of the enrolments and payments (January enrolment, one payment a month from January). */
  year: number;
  /** Monthly payments per worker, January onwards (12: a whole year). */
  months: number;
  /** Premium of one month, rupiah (the tariff of that year). */
  monthlyPremium: number;
  /** Mix in the malformed rows of `APBD_MALFORMED_*`. */
  malformed?: boolean;
}

export interface ExpectedRejection {
  row: number;
  field: string;
  code: string;
}

export interface ApbdFiles {
  workersCsv: string;
  paymentsCsv: string;
  /** Good rows of each file. */
  goodWorkers: number;
  goodPayments: number;
  /** Workers by funding source among the good rows. */
  bySource: { APBD: number; DBHCHT: number };
  rejectedWorkers: ExpectedRejection[];
  rejectedPayments: ExpectedRejection[];
}

const FEMALE = ['Sri', 'Siti', 'Dewi', 'Wati', 'Sumarni', 'Suparmi', 'Tri', 'Endang', 'Rukmini', 'Yuliani', 'Ning', 'Lestari'];
const MALE = ['Slamet', 'Bambang', 'Joko', 'Agus', 'Budi', 'Sugeng', 'Heru', 'Teguh', 'Wahyu', 'Rudi', 'Suyanto', 'Darto'];
const FAMILY = ['Rahayu', 'Wahyuni', 'Susanti', 'Santoso', 'Prasetyo', 'Hartono', 'Kusuma', 'Setiawan', 'Purnomo', 'Handayani', 'Lestari', 'Nugroho'];
const OCCUPATIONS = ['DOMESTIC_HELPER', 'PRIVATE_DRIVER', 'HOME_SECURITY_GUARD', 'VEGETABLE_SELLER', 'SNACK_VENDOR', 'NEWSPAPER_SELLER', 'FAMILY_BUSINESS', 'CASUAL_WORKER'];

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Worker i's identity: a birth date spread over 1962-1997 (within the enrolment age limit), gender alternating, NIK unique over districts. */
function worker(i: number) {
  const gender: 'F' | 'M' = i % 2 === 0 ? 'F' : 'M';
  const birthDate = `${1962 + (i % 36)}-${pad(1 + (i % 12), 2)}-${pad(1 + (i % 28), 2)}`;
  const district = 1 + Math.floor(i / 9000);
  const nik = syntheticNik(birthDate, gender, 1 + (i % 9000), district);
  const given = (gender === 'F' ? FEMALE : MALE)[i % 12];
  const fullName = `${given} ${FAMILY[Math.floor(i / 12) % 12]}`;
  const kecamatan = `3374.${pad(1 + ((i * 7) % 16), 2)}`;
  const fundingSource = i % 3 === 2 ? 'DBHCHT' : 'APBD';
  return { nik, fullName, birthDate, gender, occupation: OCCUPATIONS[i % OCCUPATIONS.length], kecamatan, fundingSource };
}

export function apbdImportFiles(options: ApbdFilesOptions): ApbdFiles {
  const { workers, year, months, monthlyPremium } = options;
  const enrolledOn = `${year}-01-02`;
  const workerLines = ['nik,fullName,birthDate,gender,occupation,kecamatan,address,phone,fundingSource,sponsorNip,enrolledOn'];
  const paymentLines = ['paymentRef,nik,months,amount,paidOn,payerType,payerSponsorNip,payerName'];
  const bySource = { APBD: 0, DBHCHT: 0 };
  for (let i = 0; i < workers; i++) {
    const w = worker(i);
    bySource[w.fundingSource as 'APBD' | 'DBHCHT']++;
    workerLines.push(`${w.nik},${w.fullName},${w.birthDate},${w.gender},${w.occupation},${w.kecamatan},,,${w.fundingSource},,${enrolledOn}`);
    for (let m = 1; m <= months; m++) {
      paymentLines.push(`${w.fundingSource}-${year}${pad(m, 2)}-${pad(i + 1, 5)},${w.nik},1,${monthlyPremium},${year}-${pad(m, 2)}-10,${w.fundingSource},,`);
    }
  }
  const rejectedWorkers: ExpectedRejection[] = [];
  const rejectedPayments: ExpectedRejection[] = [];
  if (options.malformed) {
    const addWorker = (line: string, field: string, code: string) => {
      workerLines.push(line);
      rejectedWorkers.push({ row: workerLines.length, field, code });
    };
    const addPayment = (line: string, field: string, code: string) => {
      paymentLines.push(line);
      rejectedPayments.push({ row: paymentLines.length, field, code });
    };
    const first = worker(0);
    const other = worker(workers + 1);
    addWorker(`${other.nik.slice(0, 15)},${other.fullName},${other.birthDate},F,DOMESTIC_HELPER,3374.01,,,APBD,,${enrolledOn}`, 'nik', 'VALIDATION_FAILED');
    addWorker(`${other.nik},${other.fullName},${year}-02-30,F,DOMESTIC_HELPER,3374.01,,,APBD,,${enrolledOn}`, 'birthDate', 'VALIDATION_FAILED');
    addWorker(`${other.nik},${other.fullName},${other.birthDate},F,DOMESTIC_HELPER,3374.17,,,APBD,,${enrolledOn}`, 'kecamatan', 'VALIDATION_FAILED');
    addWorker(`${other.nik},${other.fullName},${other.birthDate},F,DOMESTIC_HELPER,3374.01,,,APBD`, 'row', 'VALIDATION_FAILED');
    addWorker(`${first.nik},Nama Lain,${first.birthDate},${first.gender},${first.occupation},${first.kecamatan},,,${first.fundingSource},,${enrolledOn}`, 'nik', 'NIK_ALREADY_ENROLLED');
    addWorker(`${syntheticNik('1940-01-01', 'F', 9999)},Mbah Sastro,1940-01-01,F,DOMESTIC_HELPER,3374.01,,,APBD,,${enrolledOn}`, 'birthDate', 'AGE_LIMIT_EXCEEDED');
    addPayment(`BAD-${year}-1,${other.nik},1,${monthlyPremium},${year}-01-10,APBD,,`, 'nik', 'NOT_FOUND');
    addPayment(`BAD-${year}-2,${first.nik},1,${monthlyPremium - 1},${year}-01-10,APBD,,`, 'amount', 'INVALID_PAYMENT_AMOUNT');
    addPayment(`BAD-${year}-3,${first.nik},2,${monthlyPremium * 2},${year}-01-10,APBD,,`, 'months', 'INVALID_PAYMENT_PERIOD');
    addPayment(`APBD-${year}01-00001,${first.nik},1,${monthlyPremium},${year}-01-11,APBD,,`, 'paymentRef', 'PAYMENT_REF_CONFLICT');
    addPayment(`BAD-${year}-4,${first.nik},1,${monthlyPremium},${year}-13-01,APBD,,`, 'paidOn', 'VALIDATION_FAILED');
    addPayment(`BAD-${year}-5,${first.nik},1,${monthlyPremium},${year - 1}-12-10,APBD,,`, 'paidOn', 'PAYMENT_DATE_INVALID');
  }
  return {
    workersCsv: `${workerLines.join('\n')}\n`,
    paymentsCsv: `${paymentLines.join('\n')}\n`,
    goodWorkers: workers,
    goodPayments: workers * months,
    bySource,
    rejectedWorkers,
    rejectedPayments,
  };
}
