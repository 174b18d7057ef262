import type { FormInstance } from 'antd';
import { ApiError } from '../api/http';

/**
 * Puts a 400's field errors on the form's fields (`data.needs` → `needs`, `members.0.idNumber` →
 * ['members', 0, 'idNumber']); returns the messages no field took.
 */
export function applyFieldErrors(form: FormInstance, error: unknown, strip: string[] = []): string[] {
  if (!(error instanceof ApiError) || error.status !== 400) return [];
  const known = new Set(Object.keys(form.getFieldsValue(true) ?? {}));
  const left: string[] = [];
  const fields = error.fieldErrors().flatMap((issue) => {
    let parts: (string | number)[] = issue.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    while (parts.length > 1 && strip.includes(String(parts[0]))) parts = parts.slice(1);
    if (!known.has(String(parts[0]))) {
      left.push(`${issue.path}: ${issue.message}`);
      return [];
    }
    return [{ name: parts, errors: [issue.message] }];
  });
  form.setFields(fields);
  return left;
}

/**
 * Runs `then` when the form is valid; when it is not, the form shows what is missing at the fields
 * and nothing else happens (no unhandled promise rejection from antd's `validateFields`).
 */
export function whenValid(form: { validateFields: () => Promise<unknown> }, then: () => void): Promise<void> {
  return form.validateFields().then(then, () => undefined);
}

/**
 * A form's raw values as antd hands them over (dayjs dates, nested lists): untyped until the page builds its
 * request from them, which the generated client's types and the API's zod schema then check.
 */
// biome-ignore lint/suspicious/noExplicitAny: antd's getFieldsValue(true) is untyped by design
export type FormValues = Record<string, any>;
