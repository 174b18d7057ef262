import { scrub } from './redaction';

describe('log scrubbing', () => {
  it('hides ID numbers, mobile numbers and bearer tokens in free text', () => {
    const line = '核实 11010519491231002X 电话 13812345678 auth Bearer abc.def.ghi';
    const out = scrub(line);
    expect(out).not.toContain('11010519491231002X');
    expect(out).not.toContain('13812345678');
    expect(out).not.toContain('abc.def.ghi');
    expect(out).toContain('[身份证号已隐藏]');
  });

  it('leaves household numbers and region codes alone', () => {
    expect(scrub('户 41159900100100001 村 411599001001')).toBe('户 41159900100100001 村 411599001001');
  });
});
