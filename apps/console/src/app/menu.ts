import type { Role } from '../auth/session';
import { ROUTES } from './routeTable';

export interface MenuEntry {
  path: string;
  label: string;
  roles: readonly Role[];
}

/** The menu: the route table's entries that have a label, in the table's order. */
export const MENU: MenuEntry[] = ROUTES.flatMap((r) =>
  r.label ? [{ path: `/${r.path}`, label: r.label, roles: r.roles }] : [],
);

export function homeOf(role: Role): string {
  if (role === 'helper') return '/helper';
  if (role === 'township' || role === 'county') return '/dashboard';
  if (role === 'village') return '/inbox';
  return '/households';
}
