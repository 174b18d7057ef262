import { inputProblem } from './input-limits';

const nested = (levels: number) => {
  let v: unknown = 'x';
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
};

describe('inputProblem', () => {
  it('names the field holding a NUL, in a value or in a key, at any depth', () => {
    expect(inputProblem({ name: 'ok', members: [{ name: '张\u0000三' }] }, 'body', 32)).toEqual({
      path: 'body.members.0.name',
      message: '不能包含空字符 (NUL)',
    });
    expect(inputProblem({ 'a\u0000': 1 }, 'body', 32)?.message).toBe('字段名不能包含空字符 (NUL)');
    expect(inputProblem({ q: '%00 is text, not NUL' }, 'query', 32)).toBeNull();
  });

  it('refuses nesting deeper than the limit without recursing (10 000 levels)', () => {
    // The part itself and 6 levels below it are fine; a 7th level is refused.
    expect(inputProblem(nested(7), 'body', 6)).toBeNull();
    expect(inputProblem(nested(8), 'body', 6)?.message).toBe('嵌套层级超过 6 层');
    expect(inputProblem(nested(10_000), 'body', 32)?.path.split('.')).toHaveLength(34);
  });
});
