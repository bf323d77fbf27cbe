import { describe, expect, it } from 'vitest';
import { UnionFind, components } from '../src/cluster.js';

describe('UnionFind and components', () => {
  it('joins transitively and leaves singletons out', () => {
    const uf = new UnionFind(5);
    uf.union(0, 3); uf.union(3, 4);
    expect(uf.find(4)).toBe(uf.find(0));
    expect(components(6, [[0, 3], [3, 4], [1, 5]])).toEqual([[0, 3, 4], [1, 5]]);
  });
});
