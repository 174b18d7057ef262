import { users } from './fixtures';

/** For authorization matrices: each role's user inside county A's first village, and one outside it. */
export type Role = 'village' | 'helper' | 'township' | 'county' | 'admin' | 'department';
export const ROLES: Role[] = ['village', 'helper', 'township', 'county', 'admin', 'department'];

export const INSIDE: Record<Role, string> = {
  village: users.villageA,
  helper: users.helperA,
  township: users.townshipA,
  county: users.countyA,
  admin: users.admin,
  department: users.departmentA,
};

/** Admins have national scope: there is no outside for them. */
export const OUTSIDE: Record<Exclude<Role, 'admin'>, string> = {
  village: users.villageB,
  helper: users.helperB,
  township: users.townshipB,
  county: users.countyB,
  department: users.departmentB,
};
