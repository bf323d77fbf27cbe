import { describe, expect, it } from 'vitest';
import { unionChars } from '../src/assemble.js';
import { rng } from './helpers/text.js';

/** The characters the spans cover, counted one by one. */
function covered(spans: Int32Array, count: number): number {
  const seen = new Set<number>();
  for (let i = 0; i < count; i++) for (let c = spans[3 * i + 1]!; c < spans[3 * i + 2]!; c++) seen.add(spans[3 * i]! * 1e6 + c);
  return seen.size;
}

describe('unionChars', () => {
  it('counts each character of overlapping, nested and touching spans once, per document', () => {
    const spans = Int32Array.of(0, 10, 20, 0, 15, 30, 0, 30, 35, 0, 40, 50, 0, 42, 45, 2, 0, 5, 2, 0, 5, 1, 7, 7);
    expect(unionChars(spans, 8, 3)).toBe(25 + 10 + 5);
    expect(unionChars(spans, 0, 3)).toBe(0);
  });

  it('agrees with a count character by character on random spans, with documents of few spans and of many', () => {
    const next = rng(7);
    for (const [docs, count, len] of [[50, 200, 40], [3, 2000, 300], [1000, 500, 10]] as const) {
      const spans = new Int32Array(3 * count);
      for (let i = 0; i < count; i++) {
        const s = Math.floor(next() * 5000);
        spans[3 * i] = Math.floor(next() * docs); spans[3 * i + 1] = s; spans[3 * i + 2] = s + Math.floor(next() * len);
      }
      expect(unionChars(spans, count, docs)).toBe(covered(spans, count));
    }
  });
});
