import { decodeToken } from './session';

const base64url = (s: string) => Buffer.from(s, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

describe('console session', () => {
  it('reads a Chinese name from the token as text, not as its UTF-8 bytes', () => {
    const claims = { sub: 'village-411599001001', name: '东坪村村委会', role: 'village', region: '411599001001', exp: 2_000_000_000 };
    const token = `${base64url('{"alg":"HS256"}')}.${base64url(JSON.stringify(claims))}.signature`;
    expect(decodeToken(token)).toEqual({ id: 'village-411599001001', name: '东坪村村委会', role: 'village', regionCode: '411599001001', expiresAt: 2_000_000_000_000 });
  });

  it('a token that is not a JWT gives no user', () => {
    expect(decodeToken('not-a-token')).toBeNull();
  });
});
