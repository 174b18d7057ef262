import {
  ancestorCode,
  isWesternProvince,
  isWithin,
  jurisdictionPrefix,
  parentCodeOf,
  regionLevelOf,
} from './region-code';

describe('12-digit region codes', () => {
  it.each([
    ['410000000000', 'PROVINCE', '41'],
    ['411500000000', 'CITY', '4115'],
    ['411599000000', 'COUNTY', '411599'],
    ['411599001000', 'TOWNSHIP', '411599001'],
    ['411599001002', 'VILLAGE', '411599001002'],
  ])('%s is a %s with prefix %s', (code, level, prefix) => {
    expect(regionLevelOf(code)).toBe(level);
    expect(jurisdictionPrefix(code)).toBe(prefix);
  });

  it('a township contains its villages but not those of its neighbour', () => {
    expect(isWithin('411599001000', '411599001002')).toBe(true);
    expect(isWithin('411599001000', '411599002001')).toBe(false);
    expect(isWithin('411599001002', '411599001000')).toBe(false);
  });

  it('finds parents and ancestors', () => {
    expect(parentCodeOf('411599001002')).toBe('411599001000');
    expect(parentCodeOf('411599001000')).toBe('411599000000');
    expect(parentCodeOf('410000000000')).toBeNull();
    expect(ancestorCode('411599001002', 'COUNTY')).toBe('411599000000');
  });

  it('knows the western provinces', () => {
    expect(isWesternProvince('522699000000')).toBe(true);
    expect(isWesternProvince('411599000000')).toBe(false);
  });
});
