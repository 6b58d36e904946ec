import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PAGE_SIZE,
  firstPage,
  nextPage,
  pageNumber,
  previousPage,
  readTaskListState,
  taskListApiQuery,
  taskListHashQuery,
  withFilters,
} from './task-list-query';

const empty = () => readTaskListState(new URLSearchParams());

describe('task list state in the URL', () => {
  it('reads filters, page size and position back from the hash query it wrote', () => {
    const state = {
      ...empty(),
      statuses: ['failed', 'pending'] as const,
      taskName: 'send-email',
      createdAfter: '2030-01-01T08:00:00.000Z',
      createdBefore: '2030-01-02T08:00:00.000Z',
      limit: 25,
      cursor: 'c2',
      back: ['c1'],
    };
    const written = new URLSearchParams(taskListHashQuery({ ...state, statuses: [...state.statuses] }));
    expect(written.get('status')).toBe('pending,failed');
    expect(readTaskListState(written)).toEqual({ ...state, statuses: ['pending', 'failed'] });
  });

  it('leaves defaults out of the URL and falls back to them for unknown page sizes', () => {
    expect(taskListHashQuery(empty())).toEqual({});
    expect(readTaskListState(new URLSearchParams('limit=7')).limit).toBe(DEFAULT_PAGE_SIZE);
  });

  it('asks the API for the page on screen, without empty filters', () => {
    const state = readTaskListState(new URLSearchParams('status=pending,running&task_name=%20noop%20&cursor=c1'));
    expect(taskListApiQuery(state)).toEqual({
      status: ['pending', 'running'],
      task_name: 'noop',
      created_after: undefined,
      created_before: undefined,
      limit: DEFAULT_PAGE_SIZE,
      cursor: 'c1',
    });
  });
});

describe('keyset paging', () => {
  it('walks forward and back through pages, keeping the way back', () => {
    const page1 = empty();
    const page2 = nextPage(page1, 'c1');
    const page3 = nextPage(page2, 'c2');
    expect([page1, page2, page3].map(pageNumber)).toEqual([1, 2, 3]);
    expect(page3).toMatchObject({ cursor: 'c2', back: ['c1'] });
    expect(previousPage(page3)).toEqual(page2);
    expect(previousPage(page2)).toEqual(page1);
    expect(firstPage(page3)).toEqual(page1);
  });

  it('starts again on the first page when filters or the page size change', () => {
    const page3 = nextPage(nextPage(empty(), 'c1'), 'c2');
    expect(withFilters(page3, { taskName: 'noop' })).toMatchObject({ taskName: 'noop', cursor: '', back: [] });
    expect(withFilters(page3, { limit: 100 })).toMatchObject({ limit: 100, cursor: '', back: [] });
  });
});
