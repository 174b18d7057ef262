import { useQuery } from '@tanstack/react-query';
import { Button, Flex, Result, Spin } from 'antd';
import { useNavigate } from 'react-router';
import { data, registry } from '../../api/http';
import { userManager, whoIs } from '../../auth/oidc';
import { session } from '../../auth/session';
import { homeOf } from '../../app/menu';
import { errorText } from '../../shared/PageState';

/**
 * Where the identity provider sends the browser back: the code is exchanged (PKCE), the registry
 * says who the token belongs to, and the user lands on their home page.
 */
export function CallbackPage() {
  const navigate = useNavigate();
  const signIn = useQuery({
    queryKey: ['auth', 'callback', window.location.search],
    retry: false,
    staleTime: Infinity,
    queryFn: async () => {
      const config = await data(registry.GET('/auth/config'));
      if (!config.oidc) throw new Error('未配置统一身份认证');
      const manager = userManager(config.oidc);
      const user = await manager.signinRedirectCallback();
      const me = await whoIs(user.access_token);
      session.signIn(user.access_token, me);
      // Back to where the user was going (the login page's `next`, carried through the provider as the request's state).
      const next = (user.state as { next?: string } | undefined)?.next;
      navigate(next?.startsWith('/') && !next.startsWith('//') ? next : homeOf(me.role), { replace: true });
      return me;
    },
  });
  return (
    <Flex justify="center" align="center" style={{ minHeight: '100vh', padding: 16 }}>
      {signIn.error ? (
        <Result
          status="error"
          title="登录失败"
          subTitle={errorText(signIn.error)}
          extra={
            <Button type="primary" onClick={() => navigate('/login', { replace: true })}>
              返回登录页
            </Button>
          }
        />
      ) : (
        <Spin size="large" tip="正在登录…">
          <div style={{ width: 120, height: 80 }} />
        </Spin>
      )}
    </Flex>
  );
}
