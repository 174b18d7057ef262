/**
 * A value for Prisma's `startsWith` / `contains`, which become SQL LIKE without escaping: `%`, `_`
 * and the escape character itself are matched literally (PostgreSQL's default escape is `\`).
 */
export function likeLiteral(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
