import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Collapse, Flex, Result, Space, Spin, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { data, registry } from '../../api/http';
import { userManager, whoIs, type OidcConfig } from '../../auth/oidc';
import { session } from '../../auth/session';
import { homeOf } from '../../app/menu';
import { ROLE_LABELS } from '../../shared/labels';
import { errorText } from '../../shared/PageState';

const ORDER = ['village', 'helper', 'township', 'county', 'admin'];

/**
 * Sign-in. Production: the county's identity provider (Authorization Code + PKCE), one button.
 * Development: the demo users grouped by role and region, one click each. When neither is on, the
 * page says so and offers nothing that would not work.
 */
export function LoginPage() {
  const navigate = useNavigate();
  const config = useQuery({
    queryKey: ['auth', 'config'],
    queryFn: () => data(registry.GET('/auth/config')),
  });
  const users = useQuery({
    queryKey: ['auth', 'dev-users'],
    queryFn: () => data(registry.GET('/auth/dev-users')),
    enabled: config.data?.devLogin === true,
  });
  const login = useMutation({
    mutationFn: async (userId: string) => {
      const { accessToken } = await data(registry.POST('/auth/token', { body: { userId } }));
      // Who signed in (role, region) is the registry's answer for the token, not the token's claims.
      return { accessToken, me: await whoIs(accessToken) };
    },
    onSuccess: (r) => {
      session.signIn(r.accessToken, r.me);
      navigate(nextPath() ?? homeOf(session.user()!.role), { replace: true });
    },
  });
  const provider = useMutation({
    mutationFn: (oidc: OidcConfig) => userManager(oidc).signinRedirect({ state: { next: nextPath() } }),
  });
  const expired = sessionStorage.getItem('jz.expired') === '1';

  const groups = ORDER.map((role) => ({ role, users: (users.data ?? []).filter((u) => u.role === role) })).filter(
    (g) => g.users.length > 0,
  );
  return (
    <Flex justify="center" style={{ minHeight: '100vh', background: '#f5f5f5', padding: 16 }}>
      <main style={{ width: '100%', maxWidth: 720, marginTop: 48 }}>
        <Card>
          <Typography.Title level={2} style={{ marginTop: 0 }}>
            精准 · 扶贫对象动态管理
          </Typography.Title>
          {expired && <Alert type="warning" showIcon title="登录已过期, 请重新登录" style={{ marginBottom: 16 }} />}
          {login.error && <Alert type="error" showIcon title={errorText(login.error)} style={{ marginBottom: 16 }} />}
          {provider.error && (
            <Alert
              type="error"
              showIcon
              title="无法连接统一身份认证"
              description={errorText(provider.error)}
              style={{ marginBottom: 16 }}
            />
          )}
          {config.isLoading && <Spin />}
          {config.error && <Alert type="error" showIcon title="无法连接服务" description={errorText(config.error)} />}
          {config.data?.oidc && (
            <Flex vertical gap={8} style={{ marginBottom: config.data.devLogin ? 24 : 0 }}>
              <Button
                type="primary"
                size="large"
                block
                loading={provider.isPending}
                onClick={() => provider.mutate(config.data!.oidc!)}
                data-testid="oidc-login"
              >
                通过统一身份认证登录
              </Button>
              <Typography.Text type="secondary">
                使用县统一身份认证的账号登录; 账号须由系统管理员在本系统登记。
              </Typography.Text>
            </Flex>
          )}
          {config.data && !config.data.devLogin && !config.data.oidc && (
            <Result
              status="warning"
              title="尚未配置登录方式"
              subTitle="本系统的登录由县统一身份认证提供 (OIDC_ISSUER), 请联系系统管理员。"
            />
          )}
          {config.data?.devLogin && (
            <>
              <Typography.Paragraph type="secondary">开发环境: 选择一个演示用户登录。</Typography.Paragraph>
              {users.isLoading && <Spin />}
              {users.error && <Alert type="error" showIcon title={errorText(users.error)} />}
              <Collapse
                defaultActiveKey={ORDER}
                items={groups.map((g) => ({
                  key: g.role,
                  label: ROLE_LABELS[g.role],
                  children: (
                    <Space wrap>
                      {g.users.map((u) => (
                        <Button
                          key={u.id}
                          onClick={() => login.mutate(u.id)}
                          loading={login.isPending && login.variables === u.id}
                          data-user={u.id}
                        >
                          {u.name} · {u.regionName}
                        </Button>
                      ))}
                    </Space>
                  ),
                }))}
              />
            </>
          )}
        </Card>
      </main>
    </Flex>
  );
}

/** Where the user was going before the login page (`?next=`, a path of this console only). */
export function nextPath(): string | null {
  const next = new URLSearchParams(window.location.search).get('next');
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : null;
}
