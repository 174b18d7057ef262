import createClient, { type Middleware } from 'openapi-fetch';
import type { paths as RegistryPaths } from './generated/registry';
import type { paths as MonitoringPaths } from './generated/monitoring';
import type { paths as NotificationsPaths } from './generated/notifications';
import { session } from '../auth/session';

/** The API's error body: `{ error: { code, message, details? } }` (DESIGN.md). */
export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    details?: { issues?: { path: string; message: string }[]; obstacles?: string[] } & Record<string, unknown>;
  };
}

/** A refused request, with the status and the API's Chinese message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorBody['error']['details'] = {},
  ) {
    super(message);
  }

  /** Field errors of a 400, keyed by the API's field path (`members.0.idNumber`). */
  fieldErrors(): { path: string; message: string }[] {
    return this.details?.issues ?? [];
  }
}

/** A refused answer as an ApiError: the API's code, Chinese message and details; for a body not in its shape, the status. */
export async function apiErrorOf(response: Response, fallback = `请求失败 (${response.status})`): Promise<ApiError> {
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as ApiErrorBody | null;
  return new ApiError(
    response.status,
    body?.error?.code ?? `HTTP_${response.status}`,
    body?.error?.message ?? fallback,
    body?.error?.details,
  );
}

const auth: Middleware = {
  onRequest({ request }) {
    const token = session.token();
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  async onResponse({ response }) {
    if (response.status === 401 && session.token()) session.expired();
    if (!response.ok) throw await apiErrorOf(response);
    return response;
  },
};

function client<P extends {}>(prefix: string) {
  const c = createClient<P>({ baseUrl: prefix });
  c.use(auth);
  return c;
}

/** Typed clients generated from the services' OpenAPI documents (npm run gen:client). */
export const registry = client<RegistryPaths>('/api/registry');
export const monitoring = client<MonitoringPaths>('/api/monitoring');
export const notifications = client<NotificationsPaths>('/api/notifications');

/** A documented response's type; `never` where the document describes none yet (the page names the view type). */
type Documented<R> = R extends { data?: infer D } ? ([NonNullable<D>] extends [never] ? never : NonNullable<D>) : never;

/** Unwraps an openapi-fetch result: the error case already threw in the middleware. */
export async function data<R extends { data?: unknown; response: Response }>(call: Promise<R>): Promise<Documented<R>> {
  const r = await call;
  if (r.data === undefined) {
    // Routes whose response the document does not describe: the JSON body is the data.
    return (await r.response
      .clone()
      .json()
      .catch(() => null)) as Documented<R>;
  }
  return r.data as Documented<R>;
}

/** Binary downloads (PDF, XLSX) through the same origin and token. */
export async function download(path: string): Promise<Blob> {
  const res = await fetch(path, { headers: { authorization: `Bearer ${session.token() ?? ''}` } });
  if (!res.ok) throw await apiErrorOf(res, `下载失败 (${res.status})`);
  return res.blob();
}
