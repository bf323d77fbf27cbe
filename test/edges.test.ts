import { describe, expect, it } from 'vitest';
import { EdgeStore, type Edge } from '../src/edges.js';
import { rng } from './helpers/text.js';

describe('EdgeStore', () => {
  it('keeps edges in columns and gives them back in order, runs included, past its first capacity', () => {
    const next = rng(5);
    const edges: Edge[] = Array.from({ length: 700 }, (_, i) => {
      const runs = Int32Array.from({ length: 3 * (1 + (i % 7)) }, () => Math.floor(next() * 1000));
      return { a: i, aStart: i % 13, aEnd: 40 + (i % 13), b: i >> 1, bStart: i % 5, bEnd: 30 + (i % 5), similarity: 0.8 + (i % 20) / 100, runs };
    });
    const store = new EdgeStore();
    for (const e of edges) store.push(e);
    expect(store.size).toBe(700);
    const back = store.all();
    expect(back.map((e) => ({ ...e, runs: Array.from(e.runs) }))).toEqual(edges.map((e) => ({ ...e, runs: Array.from(e.runs) })));
  });
});
