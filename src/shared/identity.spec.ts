import { ageInMonths, isCalendarDate, maskNik, nikMatches, validateNik, validateNip } from './identity';

const TODAY = '2026-06-01';

describe('validateNik', () => {
  it('reads birth date, gender and province from a man’s NIK', () => {
    expect(validateNik('3374011503850001', TODAY)).toEqual({
      ok: true,
      birthDate: '1985-03-15',
      gender: 'M',
      provinceCode: '33',
    });
  });

  it('reads a woman’s NIK, whose day carries +40', () => {
    expect(validateNik('3374015503850002', TODAY)).toEqual({
      ok: true,
      birthDate: '1985-03-15',
      gender: 'F',
      provinceCode: '33',
    });
    expect(validateNik('3374017112900001', TODAY)).toMatchObject({ ok: true, birthDate: '1990-12-31', gender: 'F' });
  });

  it('accepts NIKs first issued outside Semarang', () => {
    expect(validateNik('3171011503850001', TODAY)).toMatchObject({ ok: true, provinceCode: '31' }); // Jakarta
    expect(validateNik('1101011503850001', TODAY)).toMatchObject({ ok: true, provinceCode: '11' }); // Aceh, lowest
    expect(validateNik('9471011503850001', TODAY)).toMatchObject({ ok: true, provinceCode: '94' }); // Papua, highest
  });

  it('refuses a province code outside 11..94', () => {
    for (const nik of ['0074011503850001', '1074011503850001', '9574011503850001']) {
      expect(validateNik(nik, TODAY)).toMatchObject({ ok: false, reason: 'INVALID_PROVINCE_CODE' });
    }
  });

  it('refuses anything but 16 digits', () => {
    for (const nik of ['337401150385000', '33740115038500011', '33740115038500A1', '']) {
      expect(validateNik(nik, TODAY)).toMatchObject({ ok: false, reason: 'NOT_16_DIGITS' });
    }
  });

  it('refuses a birth date that is not a real day', () => {
    for (const dob of ['320385', '400385', '720385', '310285', '690285', '151385', '150085', '000385', '290201']) {
      expect(validateNik(`337401${dob}0001`, TODAY)).toMatchObject({ ok: false, reason: 'INVALID_BIRTH_DATE' });
    }
  });

  it('accepts 29 February of a leap year, for a woman too', () => {
    expect(validateNik('3374016902000001', TODAY)).toMatchObject({ ok: true, birthDate: '2000-02-29', gender: 'F' });
  });

  it('refuses sequence 0000', () => {
    expect(validateNik('3374011503850000', TODAY)).toMatchObject({ ok: false, reason: 'INVALID_SEQUENCE' });
  });

  it('reads the two-digit year as 20YY unless that is after today, then 19YY', () => {
    expect(validateNik('3374010101050001', TODAY)).toMatchObject({ birthDate: '2005-01-01' });
    expect(validateNik('3374010106260001', TODAY)).toMatchObject({ birthDate: '2026-06-01' });
    expect(validateNik('3374010206260001', TODAY)).toMatchObject({ birthDate: '1926-06-02' });
    expect(validateNik('3374010101300001', TODAY)).toMatchObject({ birthDate: '1930-01-01' });
  });
});

describe('nikMatches', () => {
  it('agrees when DDMMYY and gender match the declared ones', () => {
    expect(nikMatches('3374015503850002', '1985-03-15', 'F')).toBe(true);
    expect(nikMatches('3374011503850001', '1985-03-15', 'M')).toBe(true);
  });

  it('disagrees on the gender', () => {
    expect(nikMatches('3374015503850002', '1985-03-15', 'M')).toBe(false);
    expect(nikMatches('3374011503850001', '1985-03-15', 'F')).toBe(false);
  });

  it('disagrees on the birth date', () => {
    expect(nikMatches('3374015503850002', '1985-03-16', 'F')).toBe(false);
    expect(nikMatches('3374015503850002', '1985-04-15', 'F')).toBe(false);
    expect(nikMatches('3374015503850002', '1986-03-15', 'F')).toBe(false);
  });

  it('does not compare the century, which a NIK does not hold', () => {
    expect(nikMatches('3374011503250001', '1925-03-15', 'M')).toBe(true);
  });
});

describe('maskNik', () => {
  it('shows the first 4 and last 2 digits only', () => {
    expect(maskNik('3374015503850001')).toBe('3374**********01');
  });

  it('masks anything that is not a NIK entirely', () => {
    expect(maskNik('12345')).toBe('****************');
  });
});

describe('validateNip', () => {
  it('accepts a PNS NIP: birth date, TMT, gender, sequence', () => {
    expect(validateNip('198503152010011001')).toEqual({
      ok: true,
      layout: 'PNS',
      birthDate: '1985-03-15',
      appointedIn: '2010-01',
      gender: 'M',
    });
    expect(validateNip('199001012015032002')).toMatchObject({ ok: true, layout: 'PNS', gender: 'F' });
  });

  it('accepts a PPPK NIP: birth date, appointment year, 2, a digit, gender, sequence', () => {
    expect(validateNip('198507232023211003')).toEqual({
      ok: true,
      layout: 'PPPK',
      birthDate: '1985-07-23',
      appointedIn: '2023',
      gender: 'M',
    });
    expect(validateNip('199211302024202015')).toMatchObject({ ok: true, layout: 'PPPK', gender: 'F' });
  });

  it('accepts a TMT exactly 18 years after birth and refuses one a month earlier', () => {
    expect(validateNip('199005202008051001')).toMatchObject({ ok: true, layout: 'PNS' });
    expect(validateNip('199005202008041001')).toMatchObject({ ok: false, reason: 'APPOINTED_BEFORE_18' });
  });

  it('refuses a PPPK appointment year less than 18 years after the birth year', () => {
    expect(validateNip('199005202007211001')).toMatchObject({ ok: false, reason: 'APPOINTED_BEFORE_18' });
    expect(validateNip('199005202008211001')).toMatchObject({ ok: true, layout: 'PPPK' });
  });

  it('refuses a birth date that is not a real day', () => {
    expect(validateNip('198502302010011001')).toMatchObject({ ok: false, reason: 'INVALID_BIRTH_DATE' });
    expect(validateNip('198513012010011001')).toMatchObject({ ok: false, reason: 'INVALID_BIRTH_DATE' });
  });

  it('refuses a TMT that is not a real month', () => {
    expect(validateNip('198503152010131001')).toMatchObject({ ok: false, reason: 'INVALID_APPOINTMENT' });
    expect(validateNip('198503152010001001')).toMatchObject({ ok: false, reason: 'INVALID_APPOINTMENT' });
  });

  it('refuses a gender digit other than 1 or 2', () => {
    expect(validateNip('198503152010013001')).toMatchObject({ ok: false, reason: 'INVALID_GENDER_DIGIT' });
    expect(validateNip('198507232023210003')).toMatchObject({ ok: false, reason: 'INVALID_GENDER_DIGIT' });
  });

  it('refuses anything but 18 digits', () => {
    expect(validateNip('19850315201001100')).toMatchObject({ ok: false, reason: 'NOT_18_DIGITS' });
    expect(validateNip('19850315201001100X')).toMatchObject({ ok: false, reason: 'NOT_18_DIGITS' });
  });
});

describe('ageInMonths', () => {
  it('counts complete months: 64 years 11 months the day before the 65th birthday', () => {
    expect(ageInMonths('1961-05-10', '2026-05-09')).toBe(64 * 12 + 11);
    expect(ageInMonths('1961-05-10', '2026-05-10')).toBe(65 * 12);
  });

  it('completes a month on the last day of a shorter month', () => {
    expect(ageInMonths('2026-01-31', '2026-02-27')).toBe(0);
    expect(ageInMonths('2026-01-31', '2026-02-28')).toBe(1);
    expect(ageInMonths('1960-02-29', '2025-02-28')).toBe(65 * 12);
  });
});

describe('isCalendarDate', () => {
  it('accepts real YYYY-MM-DD days only', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-6-1')).toBe(false);
    expect(isCalendarDate(20260601)).toBe(false);
  });
});
