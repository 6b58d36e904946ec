import { PAGE_SIZES } from '../../lib/task-list-query';

interface TaskPagerProps {
  page: number;
  hasNext: boolean;
  limit: number;
  onFirst: () => void;
  onPrevious: () => void;
  onNext: () => void;
  onLimit: (limit: number) => void;
}

/** First / Previous / Next through keyset pages, and how many tasks a page holds. */
export function TaskPager({ page, hasNext, limit, onFirst, onPrevious, onNext, onLimit }: TaskPagerProps) {
  return (
    <nav class="pager" aria-label="Pages of tasks">
      <button type="button" onClick={onFirst} disabled={page === 1}>
        First
      </button>
      <button type="button" onClick={onPrevious} disabled={page === 1}>
        Previous
      </button>
      <span aria-live="polite" data-testid="page-number">
        Page {page}
      </span>
      <button type="button" onClick={onNext} disabled={!hasNext}>
        Next
      </button>
      <span class="pager-size">
        <label for="page-size">Per page</label>
        <select id="page-size" value={String(limit)} onChange={(event) => onLimit(Number(event.currentTarget.value))}>
          {PAGE_SIZES.map((size) => (
            <option key={size} value={String(size)}>
              {size}
            </option>
          ))}
        </select>
      </span>
    </nav>
  );
}
