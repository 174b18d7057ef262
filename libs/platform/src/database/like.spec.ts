import { likeLiteral } from './like';

describe('likeLiteral', () => {
  it('escapes the LIKE wildcards and the escape character, and nothing else', () => {
    expect(likeLiteral('%')).toBe('\\%');
    expect(likeLiteral('王_')).toBe('王\\_');
    expect(likeLiteral('a\\b')).toBe('a\\\\b');
    expect(likeLiteral('张三')).toBe('张三');
  });
});
