import { data, registry } from '../../api/http';

export const INBOX_PAGE_SIZE = 20;

/** The inbox's filters as the URL carries them (shareable, kept on reload). */
export function inboxFilter(params: URLSearchParams) {
  return {
    page: Number(params.get('page') ?? 1),
    kind: params.get('kind') ?? undefined,
    step: params.get('step') ?? undefined,
    villageCode: params.get('village') ?? undefined,
    overdue: params.get('overdue') === 'true' ? ('true' as const) : undefined,
  };
}

/**
 * One page of my inbox: the page's query, also started at boot when the console opens on /inbox,
 * so the request runs while the page's code loads instead of after it.
 */
export function inboxQuery(params: URLSearchParams) {
  const { page, ...filter } = inboxFilter(params);
  return {
    queryKey: ['tasks', page, filter],
    queryFn: () =>
      data(
        registry.GET('/tasks', {
          params: { query: { status: 'open', page, pageSize: INBOX_PAGE_SIZE, ...filter, kind: filter.kind as never } },
        }),
      ),
    // A task opened by another officer's decision shows up without a reload.
    refetchInterval: 30_000,
  };
}
