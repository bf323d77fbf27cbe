import { describe, expect, it } from 'vitest';
import { UnionFind, components, groupColumns, groupColumnsJs, groupEdges } from '../src/cluster.js';
import { kernelAvailable, kernelGroup, useKernel } from '../src/kernel.js';
import { EdgeStore, type Edge } from '../src/passages.js';
import { rng } from './helpers/text.js';

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

  it('keeps every group and its similarity past the output arrays\' first sizes', () => {
    // 700 separate pairs (2i, 2i + 1), each its own group with its own similarity
    const edges = Array.from({ length: 700 }, (_, i) => ({ ...edge(2 * i + 1, 0, 50, 2 * i, 10, 60), similarity: 0.5 + i / 2000 }));
    const groups = groupEdges(edges, 20);
    expect(groups).toEqual(edges.map((e, i) => ({ occurrences: [{ doc: 2 * i, start: 10, end: 60 }, { doc: 2 * i + 1, start: 0, end: 50 }], similarity: e.similarity })));
  });

  it('collects many cuts in one document (its cut list and the arena grow)', () => {
    // document 0 shares 300 disjoint 25-word spans, one with each of documents 1..300: 600 cuts in it
    const edges = Array.from({ length: 300 }, (_, i) => edge(i + 1, 0, 25, 0, 30 * i, 30 * i + 25));
    const groups = groupEdges(edges, 20);
    expect(groups.map((g) => g.occurrences.map((o) => [o.doc, o.start, o.end]))).toEqual(edges.map((_, i) => [[0, 30 * i, 30 * i + 25], [i + 1, 0, 25]]));
  });

  it('groups edge columns as it groups edge objects, occurrences in document and position order, cuts carried across', () => {
    const edges = [edge(1, 0, 150, 0, 0, 150), edge(2, 60, 110, 0, 100, 150), edge(3, 5, 305, 2, 200, 500), edge(3, 400, 450, 3, 300, 350)];
    const store = new EdgeStore();
    for (const e of edges) store.push(e);
    const g = groupColumns(store.columns(), 20);
    const fromColumns = Array.from({ length: g.count }, (_, i) => ({
      occurrences: Array.from({ length: g.at[i + 1]! - g.at[i]! }, (_, j) => { const o = 3 * (g.at[i]! + j); return { doc: g.occ[o]!, start: g.occ[o + 1]!, end: g.occ[o + 2]! }; }),
      similarity: g.sim[i]!,
    }));
    expect(fromColumns).toEqual(groupEdges(edges, 20));
    // the cut at 300 in document 3 (from its self-repeat) is carried into document 2
    expect(fromColumns.map((x) => x.occurrences.map((o) => [o.doc, o.start, o.end]))).toEqual([
      [[0, 0, 100], [1, 0, 100]],
      [[0, 100, 150], [1, 100, 150], [2, 60, 110]],
      [[2, 200, 495], [3, 5, 300]],
      [[3, 305, 350], [3, 405, 450]],
    ]);
  });
});

describe('grouping in the kernel', () => {
  // edges as the aligner makes them: runs increasing on both sides with small gaps (so positions
  // in gaps are interpolated and rounded), some inside one document (the later copy on the a side,
  // some overlapping their copy), similarities of all sorts
  function randomEdges(seed: number, count: number, docs: number): Edge[] {
    // seeded, so a failure can be replayed
    const r = rng(seed), int = (n: number) => Math.floor(r() * n);
    const edges: Edge[] = [];
    for (let i = 0; i < count; i++) {
      const a = int(docs), self = r() < 0.2, b = self ? a : int(docs);
      let pa = int(400), pb = self ? Math.max(0, pa - 1 - int(120)) : int(400);
      const runs: number[] = [];
      for (let k = 1 + int(5); k > 0; k--) {
        const len = 3 + int(60);
        runs.push(pa, pb, len);
        pa += len + int(7); pb += len + int(7);
      }
      const last = runs.length - 3;
      edges.push({ a, aStart: runs[0]!, aEnd: runs[last]! + runs[last + 2]!, b, bStart: runs[1]!, bEnd: runs[last + 1]! + runs[last + 2]!, similarity: 0.5 + r() / 2, runs: Int32Array.from(runs) });
    }
    return edges;
  }

  it.runIf(kernelAvailable())('gives what groupColumnsJs gives, group for group, on random edges', () => {
    let groups = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const store = new EdgeStore();
      for (const e of randomEdges(seed, 5 + seed * 4, 2 + (seed % 13))) store.push(e);
      const E = store.columns(), k = kernelGroup(E.count, E.cols, E.sims, E.runs, 10 + (seed % 3) * 10);
      const js = groupColumnsJs(E, 10 + (seed % 3) * 10);
      expect(k).toBeDefined();
      expect({ seed, count: k!.count, at: [...k!.at], occ: [...k!.occ], sim: [...k!.sim] }).toEqual({ seed, count: js.count, at: [...js.at], occ: [...js.occ], sim: [...js.sim] });
      groups += js.count;
    }
    // the edges make real groups, not only empty outcomes
    expect(groups).toBeGreaterThan(300);
  });

  it.runIf(kernelAvailable())('grows its memory when the room made for it is short', () => {
    const store = new EdgeStore();
    for (const e of randomEdges(11, 3000, 40)) store.push(e);
    const E = store.columns(), js = groupColumnsJs(E, 20);
    // no room beyond the inputs: the scratch (about 300 bytes an edge) grows the memory many times
    const k = kernelGroup(E.count, E.cols, E.sims, E.runs, 20, 0)!;
    expect(js.count).toBeGreaterThan(100);
    expect({ count: k.count, at: [...k.at], occ: [...k.occ], sim: [...k.sim] }).toEqual({ count: js.count, at: [...js.at], occ: [...js.occ], sim: [...js.sim] });
  });

  it('falls back to JavaScript with the kernel off, with the same groups', () => {
    const store = new EdgeStore();
    for (const e of randomEdges(7, 80, 9)) store.push(e);
    const on = groupColumns(store.columns(), 20);
    useKernel(false);
    try {
      expect(kernelGroup(store.size, store.columns().cols, store.columns().sims, store.columns().runs, 20)).toBeUndefined();
      expect(groupColumns(store.columns(), 20)).toEqual(on);
    } finally { useKernel(true); }
  });
});
