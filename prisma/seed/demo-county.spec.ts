import { idNumberProblem, idNumberSex } from '@jingzhun/domain';
import { demoHouseholdRows, demoRegions, demoUsers } from './demo-county';

describe('demo county', () => {
  const regions = demoRegions();
  const villages = regions.filter((r) => r.level === 'VILLAGE');

  it('has two counties, one western, with 10 townships and 100 villages', () => {
    const counties = regions.filter((r) => r.level === 'COUNTY');
    expect(counties).toHaveLength(2);
    expect(counties.filter((c) => c.western)).toHaveLength(1);
    expect(regions.filter((r) => r.level === 'TOWNSHIP')).toHaveLength(10);
    expect(villages).toHaveLength(100);
  });

  it('has users for every role, including admin', () => {
    const roles = new Set(demoUsers(regions).map((u) => u.role));
    expect([...roles].sort()).toEqual(['admin', 'county', 'department', 'helper', 'township', 'village']);
    expect(demoUsers(regions).find((u) => u.id === 'admin')).toBeDefined();
  });

  it('is deterministic and every ID number is valid, unique and of the right sex', () => {
    const a = [...demoHouseholdRows(villages, 300)];
    const b = [...demoHouseholdRows(villages, 300)];
    expect(a).toEqual(b);
    const ids = a.map((r) => r.idNumber);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of a) {
      expect(idNumberProblem(r.idNumber)).toBeNull();
      if (r.relation === 'SPOUSE' || r.relation === 'DAUGHTER') expect(idNumberSex(r.idNumber)).toBe('FEMALE');
    }
    const heads = a.filter((r) => r.relation === 'HEAD');
    expect(heads).toHaveLength(300);
    const perHead = a.length / heads.length;
    expect(perHead).toBeGreaterThan(3);
    expect(perHead).toBeLessThan(4);
  });
});
