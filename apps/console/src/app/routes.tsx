import { Spin } from 'antd';
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { RequireSession } from '../auth/RequireSession';
import { useSessionUser } from '../auth/useSession';
import { ForbiddenPage, NotFoundPage } from '../pages/errors/ErrorPages';

import { AppLayout } from './AppLayout';
import { homeOf, rolesFor } from './menu';

// Route-level code splitting: each page is its own chunk (bundle budget, issue #8). The page the
// console opens on starts loading at boot, alongside the layout, not after the layout has rendered.
const loaders: { match: RegExp; load: () => Promise<unknown> }[] = [];
const page = (load: () => Promise<Record<string, unknown>>, name: string, match?: RegExp) => {
  if (match) loaders.push({ match, load });
  return lazy(async () => ({ default: (await load())[name] as ComponentType }));
};
export function preloadCurrentPage(pathname: string): void {
  loaders.find((l) => l.match.test(pathname))?.load();
}
const Inbox = page(() => import('../pages/inbox/InboxPage'), 'InboxPage', /^\/inbox/);
const Cases = page(() => import('../pages/cases/CasesPage'), 'CasesPage');
const CaseDetail = page(() => import('../pages/cases/CasePage'), 'CasePage', /^\/cases\/[^/]+/);
const Households = page(() => import('../pages/households/HouseholdsPage'), 'HouseholdsPage', /^\/households\/?$/);
const Household = page(() => import('../pages/households/HouseholdPage'), 'HouseholdPage');
const RegisterHousehold = page(() => import('../pages/households/RegisterHouseholdPage'), 'RegisterHouseholdPage');
const Notices = page(() => import('../pages/notices/NoticesPage'), 'NoticesPage');
const Imports = page(() => import('../pages/imports/ImportPage'), 'ImportPage');
const Monitoring = page(() => import('../pages/monitoring/TriagePage'), 'TriagePage');
const Helper = page(() => import('../pages/helper/HelperPage'), 'HelperPage', /^\/helper/);
const VillageExit = page(() => import('../pages/village-exit/VillageExitPage'), 'VillageExitPage');
const Campaigns = page(() => import('../pages/campaigns/CampaignsPage'), 'CampaignsPage', /^\/campaigns\/?$/);
const Campaign = page(() => import('../pages/campaigns/CampaignPage'), 'CampaignPage');
const Verify = page(() => import('../pages/campaigns/VerifyPage'), 'VerifyPage', /^\/campaigns\/[^/]+\/households\//);
const Problems = page(() => import('../pages/campaigns/ProblemsPage'), 'ProblemsPage');
const Login = page(() => import('../pages/login/LoginPage'), 'LoginPage', /^\/login/);
const Callback = page(() => import('../pages/login/CallbackPage'), 'CallbackPage', /^\/auth\/callback/);
const Dashboard = page(() => import('../pages/dashboard/DashboardPage'), 'DashboardPage', /^\/dashboard/);

/** A route for the roles of its menu entry; others see the 403 page, never a broken screen. */
function Guard({ path, children }: { path: string; children: ReactNode }) {
  const user = useSessionUser();
  if (!user) return <RequireSession>{null}</RequireSession>;
  if (!rolesFor(path).includes(user.role)) return <ForbiddenPage />;
  return <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: 80 }} />}>{children}</Suspense>;
}

function Home() {
  const user = useSessionUser();
  return <Navigate to={user ? homeOf(user.role) : '/login'} replace />;
}

const guarded = (path: string, menuPath: string, element: ReactNode) => ({
  path,
  element: <Guard path={menuPath}>{element}</Guard>,
});

export const router = createBrowserRouter([
  {
    path: '/login',
    element: (
      <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: 80 }} />}>
        <Login />
      </Suspense>
    ),
  },
  {
    path: '/auth/callback',
    element: (
      <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: 80 }} />}>
        <Callback />
      </Suspense>
    ),
  },
  {
    path: '/',
    element: <AppLayout />,
    children: [
      { index: true, element: <Home /> },
      guarded('dashboard', '/dashboard', <Dashboard />),
      guarded('inbox', '/inbox', <Inbox />),
      guarded('helper', '/helper', <Helper />),
      guarded('households', '/households', <Households />),
      guarded('households/new', '/households/new', <RegisterHousehold />),
      guarded('households/:id', '/households', <Household />),
      guarded('cases', '/cases', <Cases />),
      guarded('cases/:id', '/cases', <CaseDetail />),
      guarded('notices', '/notices', <Notices />),
      guarded('monitoring', '/monitoring', <Monitoring />),
      guarded('village-exit', '/village-exit', <VillageExit />),
      guarded('imports', '/imports', <Imports />),
      guarded('campaigns', '/campaigns', <Campaigns />),
      guarded('campaigns/:id', '/campaigns', <Campaign />),
      guarded('campaigns/:id/problems', '/campaigns/problems', <Problems />),
      guarded('campaigns/:id/households/:householdId/verify', '/campaigns/verify', <Verify />),
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
