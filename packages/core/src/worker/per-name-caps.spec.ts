import { describe, expect, it } from 'vitest';
import { PerNameCaps } from './per-name-caps.js';

const held = (...names: string[]) => names.map((task_name) => ({ task: { task_name } }));
const tasks = (...names: string[]) => names.map((task_name) => ({ task_name }));

describe('PerNameCaps', () => {
  it('allows nothing per name when there are no caps', () => {
    const caps = new PerNameCaps(new Map());
    expect(caps.limits(held('a', 'b'))).toEqual([]);
    expect(caps.readyToClaim(held())).toBe(false);
  });

  it('allows each capped name its cap minus its held tasks, running and buffered together, ignoring uncapped names', () => {
    const caps = new PerNameCaps(
      new Map([
        ['a', 2],
        ['b', 3],
      ]),
    );
    const limits = new Map(caps.limits(held('a', 'x', 'x'), held('b', 'b', 'b', 'a')));
    expect(limits).toEqual(
      new Map([
        ['a', 0],
        ['b', 0],
      ]),
    );
    expect(new Map(caps.limits(held('a'), held()))).toEqual(
      new Map([
        ['a', 1],
        ['b', 3],
      ]),
    );
  });

  it('rotates which capped name comes first, so a short room reaches each in turn', () => {
    const caps = new PerNameCaps(
      new Map([
        ['a', 1],
        ['b', 1],
        ['c', 1],
      ]),
    );
    const firsts = [0, 1, 2, 3].map(() => caps.limits(held())[0]![0]);
    expect(firsts).toEqual(['a', 'b', 'c', 'a']);
  });

  it('marks a name as likely to have more when a claim took all it was allowed, or it was allowed none', () => {
    const caps = new PerNameCaps(
      new Map([
        ['full', 2],
        ['short', 2],
        ['none', 1],
      ]),
    );
    caps.claimed(
      [
        ['full', 2],
        ['short', 2],
        ['none', 0],
      ],
      10,
      tasks('full', 'full', 'short'),
    );
    expect(caps.mayHaveMore('full')).toBe(true);
    expect(caps.mayHaveMore('short')).toBe(false);
    expect(caps.mayHaveMore('none')).toBe(true);
    expect(caps.mayHaveMore('uncapped')).toBe(false);
  });

  it('counts a name whose limit the room cut short by what the room let it have', () => {
    const caps = new PerNameCaps(
      new Map([
        ['a', 3],
        ['b', 3],
      ]),
    );
    // Room 4: a may take 3, b only 1; b taking its 1 means it may have more.
    caps.claimed(
      [
        ['a', 3],
        ['b', 3],
      ],
      4,
      tasks('a', 'b'),
    );
    expect(caps.mayHaveMore('a')).toBe(false);
    expect(caps.mayHaveMore('b')).toBe(true);
  });

  it('is ready to claim only for a name likely to have more that has a free slot now', () => {
    const caps = new PerNameCaps(new Map([['a', 1]]));
    caps.claimed([['a', 1]], 10, tasks('a'));
    expect(caps.readyToClaim(held('a'))).toBe(false);
    expect(caps.readyToClaim(held())).toBe(true);
    caps.claimed([['a', 1]], 10, tasks());
    expect(caps.readyToClaim(held())).toBe(false);
  });
});
