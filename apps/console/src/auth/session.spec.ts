import { tokenExpiry } from './session';

const base64url = (s: string) =>
  Buffer.from(s, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

describe('console session', () => {
  it("reads the token's expiry, and nothing else, from the token", () => {
    const token = `${base64url('{"alg":"HS256"}')}.${base64url(JSON.stringify({ sub: 'village-411599001001', typ: 'user', exp: 2_000_000_000 }))}.signature`;
    expect(tokenExpiry(token)).toBe(2_000_000_000_000);
  });

  it('a token that is not a JWT, or has no exp, gives no expiry', () => {
    expect(tokenExpiry('not-a-token')).toBe(0);
    expect(tokenExpiry(`${base64url('{}')}.${base64url('{"sub":"x"}')}.s`)).toBe(0);
  });
});
