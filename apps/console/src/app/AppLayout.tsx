import { RequireSession } from '../auth/RequireSession';
import { BellOutlined, LogoutOutlined, MenuOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Grid, Layout, Menu, Popover, Space } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { data, notifications, registry } from '../api/http';
import { session } from '../auth/session';
import { useSessionUser } from '../auth/useSession';
import { ROLE_LABELS } from '../shared/labels';
import { useScrollableRegions } from '../shared/useScrollableRegions';

import { PageErrorBoundary } from './PageErrorBoundary';
import { MENU } from './menu';
import { NetworkState } from './network-state';

const { Header, Sider, Content } = Layout;
// The phone's menu drawer loads on phones only.
const Drawer = lazy(async () => ({ default: (await import('antd/es/drawer')).default }));
// 待同步 (#24): the outbox's bar, in the field work's own chunk.
const OutboxBar = lazy(async () => ({ default: (await import('../offline/OutboxBar')).OutboxBar }));
// Loaded when the bell is opened.
const NotificationList = lazy(async () => ({ default: (await import('./NotificationList')).NotificationList }));

export function AppLayout() {
  const user = useSessionUser();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [drawer, setDrawer] = useState(false);
  const qc = useQueryClient();
  useScrollableRegions();
  const unread = useQuery({
    queryKey: ['notifications', 'unread'],
    queryFn: () => data(notifications.GET('/notifications/unread-count')),
    enabled: !!user,
    refetchInterval: 30_000,
  });
  if (!user) return <RequireSession>{null}</RequireSession>;

  const items = MENU.filter((m) => m.roles.includes(user.role)).map((m) => ({
    key: m.path,
    label: m.label,
  }));
  const selected = [...items]
    .sort((a, b) => b.key.length - a.key.length)
    .find((i) => location.pathname === i.key || location.pathname.startsWith(`${i.key}/`));
  const menu = (
    <Menu
      mode="inline"
      theme={phone ? 'light' : 'dark'}
      items={items}
      selectedKeys={selected ? [selected.key] : []}
      onClick={({ key }) => {
        setDrawer(false);
        navigate(key);
      }}
      aria-label="主菜单"
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!phone && (
        <Sider width={200}>
          <div style={{ color: '#fff', fontSize: 18, fontWeight: 600, padding: '16px 20px' }}>精准 · 动态管理</div>
          {menu}
        </Sider>
      )}
      <Layout>
        <Header
          style={{
            background: '#fff',
            padding: phone ? '0 12px' : '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            gap: 8,
          }}
        >
          <Space>
            {phone && <Button icon={<MenuOutlined />} onClick={() => setDrawer(true)} aria-label="打开菜单" />}
            {/* Plain text, not antd's Typography: the header is in every first load (#21 §5, initial JS). */}
            <strong>{user.name}</strong>
            <NetworkState />
            {!phone && (
              <span style={{ color: 'rgba(0,0,0,0.65)' }}>
                {ROLE_LABELS[user.role]} · <span title={user.regionCode}>{user.regionName ?? user.regionCode}</span>
              </span>
            )}
          </Space>
          <Space>
            <Suspense fallback={null}>
              <OutboxBar phone={phone} />
            </Suspense>
            <Popover
              trigger="click"
              placement="bottomRight"
              content={
                <Suspense fallback={null}>
                  <NotificationList />
                </Suspense>
              }
              title="通知"
            >
              <Badge count={unread.data?.unread ?? 0} overflowCount={99}>
                <Button
                  icon={<BellOutlined />}
                  aria-label={`通知, 未读 ${unread.data?.unread ?? 0} 条`}
                  data-testid="bell"
                />
              </Badge>
            </Popover>
            <Button
              icon={<LogoutOutlined />}
              aria-label="退出登录"
              onClick={async () => {
                // #24: signing out takes the day's data, the outbox and its photos off the phone; unsent records are named first.
                const { outboxItems } = await import('../offline/outbox');
                const pending = (await outboxItems().catch(() => [])).length;
                if (
                  pending > 0 &&
                  !(await new Promise<boolean>(
                    (resolve) =>
                      // Loaded only here: the header is in every first load.
                      void import('antd/es/modal').then(({ default: Modal }) =>
                        Modal.confirm({
                          title: `手机上还有 ${pending} 条记录未同步`,
                          content: '退出登录将从手机上删除它们及其照片。建议联网同步后再退出。',
                          okText: '仍然退出',
                          okButtonProps: { danger: true },
                          cancelText: '取消',
                          onOk: () => resolve(true),
                          onCancel: () => resolve(false),
                        }),
                      ),
                  ))
                )
                  return;
                const { clearFieldData } = await import('../offline/field-db');
                await clearFieldData().catch(() => undefined);
                qc.clear();
                session.signOut();
                const { signOutAtProvider } = await import('../auth/oidc'); // its own chunk: most sessions never need it
                const config = await registry.GET('/auth/config').then(
                  (r) => r.data?.oidc ?? null,
                  () => null,
                );
                if (!(await signOutAtProvider(config).catch(() => false))) navigate('/login');
              }}
            >
              {phone ? '' : '退出'}
            </Button>
          </Space>
        </Header>
        <Content style={{ margin: phone ? 8 : 24 }}>
          {/* antd's Content is the page's one <main> landmark; this is only its white sheet. */}
          <div style={{ background: '#fff', padding: phone ? 12 : 24, borderRadius: 8, minHeight: 360 }}>
            <PageErrorBoundary key={location.pathname}>
              <Outlet />
            </PageErrorBoundary>
          </div>
        </Content>
      </Layout>
      {phone && (
        <Suspense fallback={null}>
          <Drawer open={drawer} onClose={() => setDrawer(false)} placement="left" size={240} title="精准 · 动态管理">
            {menu}
          </Drawer>
        </Suspense>
      )}
    </Layout>
  );
}
