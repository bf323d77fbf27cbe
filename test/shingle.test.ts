import { describe, expect, it } from 'vitest';
import { JaccardTable, charShingles, jaccard, shingleSet, textShingleSet, wordShingles } from '../src/shingle.js';
import { createTokens, tokenize } from '../src/tokenize.js';
import { brownTexts, rng } from './helpers/text.js';

describe('shingles', () => {
  it('makes one word shingle per window of k tokens, and one for a text shorter than k', () => {
    const t = tokenize('one two three four five six seven', 1, createTokens());
    expect(wordShingles(t, 5).length).toBe(3);
    expect(wordShingles(tokenize('just three words', 1, createTokens()), 5).length).toBe(1);
    expect(wordShingles(tokenize('', 1, createTokens()), 5).length).toBe(0);
    // the same window of words gives the same hash wherever it occurs
    const r = wordShingles(tokenize('a b c d e x a b c d e', 1, createTokens()), 5);
    expect(r[0]).toBe(r[6]);
    expect(new Set(r).size).toBe(6);
  });

  it('makes character n-grams over the folded text', () => {
    expect(charShingles('Hello', 3, 1)).toEqual(charShingles('HELLO', 3, 1));
    expect(charShingles('Hello', 3, 1).length).toBe(3);
  });

  it('computes exact Jaccard on sorted sets', () => {
    expect(jaccard(Uint32Array.of(1, 2, 3), Uint32Array.of(2, 3, 4))).toBe(0.5);
    expect(jaccard(new Uint32Array(0), new Uint32Array(0))).toBe(0);
    expect(shingleSet(Uint32Array.of(5, 1, 5, 3, 1))).toEqual(Uint32Array.of(1, 3, 5));
  });
});

describe('JaccardTable', () => {
  const bySort = (a: Uint32Array, b: Uint32Array) => jaccard(shingleSet(a), shingleSet(b));

  it('equals Jaccard of the sorted sets, duplicates and empty sets included', () => {
    const t = new JaccardTable();
    const cases: [number[], number[]][] = [[[1, 2, 3], [2, 3, 4]], [[], []], [[7, 7, 7], [7]], [[1, 1, 2], []], [[], [3, 3]], [[0, 4294967295], [4294967295, 5, 5]]];
    for (const [a, b] of cases) {
      const A = Uint32Array.from(a), B = Uint32Array.from(b);
      t.load(A, A.length);
      expect(t.against(B, B.length)).toBe(bySort(A, B));
    }
  });

  it('compares one A with many Bs, and grows past its first table', () => {
    const rand = rng(5);
    const t = new JaccardTable();
    const pick = (n: number, range: number) => Uint32Array.from({ length: n }, () => Math.floor(rand() * range));
    for (const [n, range] of [[50, 60], [400, 1000], [5000, 8000], [20000, 1 << 30]] as const) {
      const A = pick(n, range);
      t.load(A, A.length);
      for (let r = 0; r < 4; r++) {
        const B = pick(Math.floor(n * (0.5 + rand())), range);
        expect(t.against(B, B.length)).toBe(bySort(A, B));
      }
    }
  });

  it('gives real texts the same similarity as sorted shingle sets', () => {
    const texts = brownTexts(6);
    const t = new JaccardTable();
    const sets = texts.map((x) => wordShingles(tokenize(x, 1, createTokens()), 5).slice());
    // an edited copy: every 40th word dropped
    const edited = texts[0]!.split(' ').filter((_, i) => i % 40 !== 7).join(' ');
    sets.push(wordShingles(tokenize(edited, 1, createTokens()), 5).slice());
    for (const a of sets) {
      t.load(a, a.length);
      for (const b of sets) expect(t.against(b, b.length)).toBe(bySort(a, b));
    }
    t.load(sets[0]!, sets[0]!.length);
    const s = t.against(sets[6]!, sets[6]!.length);
    expect(s).toBe(jaccard(textShingleSet(texts[0]!, 5, 1), textShingleSet(edited, 5, 1)));
    expect(s).toBeGreaterThan(0.6);
    expect(s).toBeLessThan(0.95);
  });
});
