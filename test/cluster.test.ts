import { describe, expect, it } from 'vitest';
import { UnionFind, components, groupEdges } from '../src/cluster.js';
import type { Edge } from '../src/passages.js';

const edge = (a: number, aStart: number, aEnd: number, b: number, bStart: number, bEnd: number): Edge =>
  ({ a, aStart, aEnd, b, bStart, bEnd, similarity: 1, runs: Int32Array.of(aStart, bStart, aEnd - aStart) });

describe('UnionFind and components', () => {
  it('joins transitively and leaves singletons out', () => {
    const uf = new UnionFind(5);
    uf.union(0, 3); uf.union(3, 4);
    expect(uf.find(4)).toBe(uf.find(0));
    expect(components(6, [[0, 3], [3, 4], [1, 5]])).toEqual([[0, 3, 4], [1, 5]]);
  });
});

describe('groupEdges', () => {
  it('splits an article+footer alignment where the footer alone is shared more widely', () => {
    // docs 0 and 1: article [0,100) + footer [100,150); doc 2: other text + the footer at [60,110)
    const groups = groupEdges([edge(1, 0, 150, 0, 0, 150), edge(2, 60, 110, 0, 100, 150)], 20);
    const shapes = groups.map((g) => g.occurrences.map((o) => [o.doc, o.start, o.end])).sort((x, y) => y.length - x.length);
    expect(shapes).toEqual([
      [[0, 100, 150], [1, 100, 150], [2, 60, 110]],
      [[0, 0, 100], [1, 0, 100]],
    ]);
  });

  it('keeps a maximal passage whole when a cut from elsewhere does not separate its copies', () => {
    const groups = groupEdges([edge(1, 0, 300, 0, 0, 300), edge(2, 0, 300, 0, 0, 300)], 20);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.occurrences.map((o) => o.end - o.start)).toEqual([300, 300, 300]);
  });

  it('keeps a repeat next to its own copy as two occurrences, and periodic overlaps as one group', () => {
    const adjacent = groupEdges([edge(0, 100, 200, 0, 0, 100)], 20);
    expect(adjacent[0]!.occurrences).toEqual([{ doc: 0, start: 0, end: 100 }, { doc: 0, start: 100, end: 200 }]);
    const periodic = groupEdges([edge(0, 12, 60, 0, 0, 48)], 20);
    expect(periodic).toHaveLength(1);
    expect(periodic[0]!.occurrences).toHaveLength(2);
  });
});
