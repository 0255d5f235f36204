// A virtualised list that pulls pages from main as the user scrolls: only visible rows are in the DOM and
// only the pages scrolled to are in memory, so a 100k-record archive never loads whole into the renderer.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo, Result } from '../../../shared/errors';
import { ErrorMessage } from './ErrorMessage';

export type Page<T> = { items: T[]; nextCursor: string | null };

type Props<T> = {
  /** Accessible name of the list. */
  label: string;
  /** Fetches one page; a new function (new filters) starts the list again from the top. */
  fetchPage: (cursor: string | null) => Promise<Result<Page<T>>>;
  itemKey: (item: T) => string;
  renderItem: (item: T) => ReactNode;
  /** Estimated row height in px (rows are measured once rendered). */
  estimateSize?: number;
  empty: string;
};

export function PagedList<T>({ label, fetchPage, itemKey, renderItem, estimateSize = 64, empty }: Props<T>) {
  const { t } = useTranslation();
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const generation = useRef(0);
  const scrollRef = useRef<HTMLDivElement>(null);

  const load = useCallback(
    async (from: string | null, gen: number) => {
      setLoading(true);
      const r = await fetchPage(from);
      if (gen !== generation.current) return;
      setLoading(false);
      if (!r.ok) {
        setError(r.error);
        setDone(true);
        return;
      }
      setItems((old) => (from === null ? r.value.items : [...old, ...r.value.items]));
      setCursor(r.value.nextCursor);
      setDone(r.value.nextCursor === null);
    },
    [fetchPage],
  );

  useEffect(() => {
    const gen = ++generation.current;
    setItems([]);
    setCursor(null);
    setDone(false);
    setError(null);
    void load(null, gen);
  }, [load]);

  const virtualizer = useVirtualizer({ count: items.length, getScrollElement: () => scrollRef.current, estimateSize: () => estimateSize, overscan: 8 });
  const virtualItems = virtualizer.getVirtualItems();
  const last = virtualItems.at(-1);

  useEffect(() => {
    if (!loading && !done && cursor !== null && last && last.index >= items.length - 10) void load(cursor, generation.current);
  }, [last, loading, done, cursor, items.length, load]);

  return (
    <>
      <ErrorMessage error={error} />
      {!loading && items.length === 0 && !error ? <p className="empty">{empty}</p> : null}
      <div ref={scrollRef} className="paged-list" tabIndex={items.length > 0 ? 0 : -1} aria-label={label} role="region">
        <ul style={{ height: virtualizer.getTotalSize(), position: 'relative' }} aria-label={label} aria-busy={loading}>
          {virtualItems.map((v) => {
            const item = items[v.index];
            if (item === undefined) return null;
            return (
              <li
                key={itemKey(item)}
                data-index={v.index}
                ref={virtualizer.measureElement}
                aria-setsize={done ? items.length : -1}
                aria-posinset={v.index + 1}
                style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${v.start}px)` }}
              >
                {renderItem(item)}
              </li>
            );
          })}
        </ul>
      </div>
      <p className="hint" aria-live="polite">
        {loading ? t('list.loading') : t(done ? 'list.countDone' : 'list.countMore', { count: items.length })}
      </p>
    </>
  );
}
