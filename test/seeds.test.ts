import { describe, expect, it } from 'vitest';
import { SeedTable, createRepeats, seedsOf, winnow } from '../src/seeds.js';
import { keepTokens } from '../src/tokens.js';
import { tokenize } from '../src/tokenize.js';
import { brownTexts, rng } from './helpers/text.js';

const doc = (text: string) => keepTokens(text, tokenize(text, 1));

describe('winnow', () => {
  it('keeps a fingerprint in every window, and one per window on constant input', () => {
    const next = rng(1);
    const seeds = Uint32Array.from({ length: 500 }, () => (next() * 2 ** 32) >>> 0);
    const marks = winnow(seeds, 8);
    for (let start = 0; start + 8 <= seeds.length; start++) {
      expect(Array.from(marks).some((m) => m >= start && m < start + 8)).toBe(true);
    }
    expect(marks.length).toBeLessThan(500 * 0.35);
    const constant = winnow(new Uint32Array(800).fill(7), 8);
    expect(constant.length).toBe(100);
  });

  it('selects the same fingerprints from a shared run in two documents', () => {
    const [a, b] = brownTexts(2);
    const shared = a!.slice(0, 2000);
    const x = doc(`${b!.slice(0, 500)} ${shared}`), y = doc(`${shared} ${b!.slice(600, 900)}`);
    const fx = new Set(Array.from(winnow(seedsOf(x, 6), 8)).map((i) => seedsOf(x, 6)[i]));
    const fy = Array.from(winnow(seedsOf(y, 6), 8)).map((i) => seedsOf(y, 6)[i]);
    expect(fy.filter((f) => fx.has(f)).length).toBeGreaterThan(40);
  });
});

describe('SeedTable', () => {
  it('finds every seed seen before in the document, and each fingerprint once', () => {
    const table = new SeedTable();
    const out = createRepeats();
    const r = table.repeats(Uint32Array.of(5, 7, 5, 9, 7, 5), Int32Array.of(0, 2, 3, 4), out);
    expect(Array.from(r.hits.subarray(0, 2 * r.nHits))).toEqual([2, 0, 4, 1, 5, 0]);
    expect([Array.from(r.keys.subarray(0, r.n)), Array.from(r.pos.subarray(0, r.n))]).toEqual([[5, 9, 7], [0, 3, 4]]);
    // the next document starts afresh, and a larger one grows the table
    const big = Uint32Array.from({ length: 5000 }, (_, i) => (i % 2500) * 2654435761);
    const s = table.repeats(big, Int32Array.of(0, 2500, 4999), out);
    expect(s.nHits).toBe(2500);
    expect(Array.from(s.hits.subarray(0, 4))).toEqual([2500, 0, 2501, 1]);
    expect([Array.from(s.keys.subarray(0, s.n)), Array.from(s.pos.subarray(0, s.n))]).toEqual([[0, big[4999]!], [0, 4999]]);
    expect(table.repeats(Uint32Array.of(5, 7), Int32Array.of(1), out).nHits).toBe(0);
  });
});
