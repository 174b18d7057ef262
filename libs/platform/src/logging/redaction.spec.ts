import { scrub } from './redaction';

const ID = '11010519491231002X';

describe('log scrubbing', () => {
  it('hides ID numbers, mobile numbers and bearer tokens in free text', () => {
    const line = `核实 ${ID} 电话 13812345678 auth Bearer abc.def.ghi`;
    const out = scrub(line);
    expect(out).not.toContain(ID);
    expect(out).not.toContain('13812345678');
    expect(out).not.toContain('abc.def.ghi');
    expect(out).toContain('[身份证号已隐藏]');
  });

  it.each([
    ['spaces between groups', '110105 19491231 002X'],
    ['a space between every digit', ID.split('').join(' ')],
    ['dashes', '110105-1949-1231-002X'],
    ['dots', '110105.19491231.002X'],
    ['a query string with %20', '/households?q=110105%2019491231%20002X&x=1'],
    ['plus signs for spaces', '/households?q=110105+19491231+002X'],
    [
      'every digit percent-encoded',
      `/households?q=${[...ID].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('')}`,
    ],
    ['lower-case x, encoded dash', '110105%2d19491231%2d002x'],
  ])('hides an ID number written with %s', (_, written) => {
    const out = scrub(`id=${written} end`);
    expect(out).toContain('[身份证号已隐藏]');
    expect(out.replace(/[^0-9]/g, '')).not.toContain('1949');
  });

  it.each([
    ['spaces', '138 1234 5678'],
    ['dashes and a country code', '+86-138-1234-5678'],
    ['country code without plus', '8613812345678'],
    ['percent-encoded', '%31%33%38%31%32%33%34%35%36%37%38'],
    ['encoded spaces', '138%201234%205678'],
  ])('hides a mobile number written with %s', (_, written) => {
    const out = scrub(`tel ${written} end`);
    expect(out).toBe('tel [手机号已隐藏] end');
  });

  it('leaves household numbers, region codes, times and ids alone', () => {
    for (const text of [
      '户 41159900100100001 村 411599001001',
      '2026-12-02T18:17:54.123Z took 12 ms',
      'case 019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5b',
      'pid 12345 port 3000',
    ]) {
      expect(scrub(text)).toBe(text);
    }
  });
});
