import { useSearchParams } from 'react-router';

/**
 * A list page's filters and page number live in the URL (a link or a reload shows the same list).
 * Changing a filter goes back to page 1.
 */
export function useUrlFilters() {
  const [params, setParams] = useSearchParams();
  const setFilter = (key: string, value: string | undefined) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (value) next.set(key, value);
      else next.delete(key);
      next.delete('page');
      return next;
    });
  const setPage = (page: number) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      next.set('page', String(page));
      return next;
    });
  return { params, page: Number(params.get('page') ?? 1), setFilter, setPage };
}
