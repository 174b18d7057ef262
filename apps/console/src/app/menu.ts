import type { Role } from '../auth/session';

export interface MenuEntry {
  path: string;
  label: string;
  roles: Role[];
  /** A page reached from another (the inbox), with its own roles but no menu entry. */
  hidden?: boolean;
}

/** What each role may open; the routes use the same table, so a menu never shows a 403. */
export const MENU: MenuEntry[] = [
  { path: '/dashboard', label: '工作台', roles: ['township', 'county', 'admin'] },
  { path: '/inbox', label: '待办', roles: ['village', 'helper', 'township', 'county'] },
  { path: '/helper', label: '我的帮扶', roles: ['helper'] },
  { path: '/households', label: '农户', roles: ['village', 'helper', 'township', 'county', 'admin'] },
  { path: '/households/new', label: '登记农户', roles: ['village', 'county', 'admin'] },
  { path: '/cases', label: '案件', roles: ['village', 'helper', 'township', 'county', 'admin'] },
  { path: '/notices', label: '公示', roles: ['village', 'helper', 'township', 'county', 'admin'] },
  { path: '/monitoring', label: '监测研判', roles: ['township', 'county', 'admin'] },
  { path: '/village-exit', label: '贫困村退出', roles: ['township', 'county'] },
  { path: '/campaigns', label: '年度动态调整', roles: ['township', 'county', 'admin'] },
  { path: '/campaigns/problems', label: '数据清洗', roles: ['village', 'township', 'county', 'admin'], hidden: true },
  { path: '/campaigns/verify', label: '逐户核查', roles: ['village', 'helper', 'township', 'county'], hidden: true },
  { path: '/imports', label: '数据导入', roles: ['county', 'admin'] },
];

export function homeOf(role: Role): string {
  if (role === 'helper') return '/helper';
  if (role === 'township' || role === 'county') return '/dashboard';
  if (role === 'village') return '/inbox';
  return '/households';
}

export const rolesFor = (path: string): Role[] => MENU.find((m) => m.path === path)?.roles ?? [];
