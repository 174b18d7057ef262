import {
  composeIdNumber,
  idNumberCheckChar,
  idNumberProblem,
  idNumberSex,
  isValidIdNumber,
  maskIdNumber,
} from './id-number';

describe('GB 11643 ID numbers', () => {
  // The standard's own worked example: 11010519491231002X.
  it('accepts the worked example of the standard, with X as check character', () => {
    expect(idNumberCheckChar('11010519491231002')).toBe('X');
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('11010519491231002x')).toBe(true);
  });

  it('rejects a wrong check digit', () => {
    expect(idNumberProblem('110105194912310021')).toBe('checkDigit');
  });

  it('rejects impossible and future birth dates', () => {
    const feb30 = '110105' + '19490230' + '002';
    expect(idNumberProblem(feb30 + idNumberCheckChar(feb30))).toBe('birthDate');
    const future = '110105' + '20991231' + '002';
    expect(idNumberProblem(future + idNumberCheckChar(future), new Date('2026-11-29'))).toBe('birthDate');
  });

  it('rejects wrong length and letters', () => {
    expect(idNumberProblem('1101051949123100')).toBe('format');
    expect(idNumberProblem('11010519491231A02X')).toBe('format');
  });

  it('composes valid numbers and reads the sex from the sequence', () => {
    const id = composeIdNumber('411599', new Date(Date.UTC(1980, 4, 17)), 123);
    expect(isValidIdNumber(id)).toBe(true);
    expect(id.slice(6, 14)).toBe('19800517');
    expect(idNumberSex(id)).toBe('MALE');
    expect(idNumberSex(composeIdNumber('411599', new Date(Date.UTC(1980, 4, 17)), 124))).toBe('FEMALE');
  });

  it('masks all but the first 6 and last 4 characters', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
  });
});
