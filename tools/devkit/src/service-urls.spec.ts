import { devPorts, loginExample, serviceUrls } from './service-urls';

describe('the URLs npm run dev hands each process', () => {
  it('gives every service every other service at the ports actually used', () => {
    const urls = serviceUrls({ REGISTRY_PORT: '4100', MONITORING_PORT: '4101', NOTIFICATIONS_PORT: '4102' });
    expect(urls).toEqual({
      REGISTRY_URL: 'http://127.0.0.1:4100',
      MONITORING_URL: 'http://127.0.0.1:4101',
      NOTIFICATIONS_URL: 'http://127.0.0.1:4102',
      TEMPORAL_UI_URL: 'http://127.0.0.1:8233',
    });
    expect(serviceUrls({}).REGISTRY_URL).toBe('http://127.0.0.1:3000');
  });

  it("follows TEMPORAL_UI_URL, else TEMPORAL_UI_PORT, for the admin's link to a workflow", () => {
    expect(serviceUrls({ TEMPORAL_UI_PORT: '18233' }).TEMPORAL_UI_URL).toBe('http://127.0.0.1:18233');
    expect(
      serviceUrls({ TEMPORAL_UI_PORT: '18233', TEMPORAL_UI_URL: 'https://temporal.example.gov.cn' }).TEMPORAL_UI_URL,
    ).toBe('https://temporal.example.gov.cn');
  });

  it('prints the login example with the real port and refuses a port that is not one', () => {
    expect(loginExample({ REGISTRY_PORT: '4100' })).toContain('http://127.0.0.1:4100/auth/token');
    expect(() => devPorts({ REGISTRY_PORT: 'abc' })).toThrow('REGISTRY_PORT=abc 不是有效端口');
  });
});
