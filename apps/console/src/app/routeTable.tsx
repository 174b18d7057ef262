import { lazy, type ComponentType } from 'react';
import type { Role } from '../auth/session';

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
export const Login = page(() => import('../pages/login/LoginPage'), 'LoginPage', /^\/login/);
export const Callback = page(() => import('../pages/login/CallbackPage'), 'CallbackPage', /^\/auth\/callback/);
const Dashboard = page(() => import('../pages/dashboard/DashboardPage'), 'DashboardPage', /^\/dashboard/);

const ALL: Role[] = ['village', 'helper', 'township', 'county', 'admin'];

export interface AppRoute {
  /** Under the layout, without the leading slash (react-router's child path). */
  path: string;
  /** The menu's label, for an entry of the menu. */
  label?: string;
  /** Who may open it: the menu shows it to them, the route answers everyone else with the 403 page. */
  roles: readonly Role[];
  Page: ComponentType;
}

/**
 * The console's one route table: every page with the roles that may open it. The router and the menu
 * both read it, so a menu never offers a page that answers 403, and a page reached from another (a
 * household from the list, a verification from the inbox) keeps its own roles.
 */
export const ROUTES: AppRoute[] = [
  { path: 'dashboard', label: '工作台', roles: ['township', 'county', 'admin'], Page: Dashboard },
  { path: 'inbox', label: '待办', roles: ['village', 'helper', 'township', 'county'], Page: Inbox },
  { path: 'helper', label: '我的帮扶', roles: ['helper'], Page: Helper },
  { path: 'households', label: '农户', roles: ALL, Page: Households },
  { path: 'households/new', label: '登记农户', roles: ['village', 'county', 'admin'], Page: RegisterHousehold },
  { path: 'households/:id', roles: ALL, Page: Household },
  { path: 'cases', label: '案件', roles: ALL, Page: Cases },
  { path: 'cases/:id', roles: ALL, Page: CaseDetail },
  { path: 'notices', label: '公示', roles: ALL, Page: Notices },
  { path: 'monitoring', label: '监测研判', roles: ['township', 'county', 'admin'], Page: Monitoring },
  { path: 'village-exit', label: '贫困村退出', roles: ['township', 'county'], Page: VillageExit },
  { path: 'campaigns', label: '年度动态调整', roles: ['township', 'county', 'admin'], Page: Campaigns },
  { path: 'campaigns/:id', roles: ['township', 'county', 'admin'], Page: Campaign },
  { path: 'campaigns/:id/problems', roles: ['village', 'township', 'county', 'admin'], Page: Problems },
  {
    path: 'campaigns/:id/households/:householdId/verify',
    roles: ['village', 'helper', 'township', 'county'],
    Page: Verify,
  },
  { path: 'imports', label: '数据导入', roles: ['county', 'admin'], Page: Imports },
];
