import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../src/errors.js';
import { FingerprintIndex, createHits } from '../src/fingerprints.js';

describe('FingerprintIndex', () => {
  it('keeps the earliest maxPostings documents per fingerprint and reports them to later ones', () => {
    const index = new FingerprintIndex(3);
    const hits = createHits();
    const one = (key: number, pos: number) => [Uint32Array.of(key), Int32Array.of(pos)] as const;
    for (let d = 0; d < 10; d++) {
      index.addDocument(d, 200, ...one(42, 100 + d), 1, hits);
      // newest first, never more than the three kept
      const seen = Array.from(hits.list.subarray(0, 3 * hits.count));
      const expected = [2, 1, 0].filter((e) => e < d).map((e) => [e, 100 + d, 100 + e]).flat();
      expect(seen).toEqual(expected);
    }
    expect(index.postings(42)).toEqual([2, 102, 1, 101, 0, 100]);
    expect(index.postings(43)).toEqual([]);
    // a full list reports its postings and keeps them as they were
    index.addDocument(10, 200, ...one(42, 7), 1, hits);
    expect(Array.from(hits.list.subarray(0, 3 * hits.count))).toEqual([2, 7, 102, 1, 7, 101, 0, 7, 100]);
    expect(index.postings(42)).toEqual([2, 102, 1, 101, 0, 100]);
    // many keys in one document, and the table grows
    const n = 20000;
    const keys = Uint32Array.from({ length: n }, (_, k) => k * 7919 + 1);
    index.addDocument(11, n, keys, Int32Array.from({ length: n }, (_, k) => k), n, hits);
    expect(hits.count).toBe(0);
    expect(index.postings(7919 * 123 + 1)).toEqual([11, 123]);
    index.addDocument(12, 10, Uint32Array.of(7919 * 123 + 1), Int32Array.of(5), 1, hits);
    expect(Array.from(hits.list.subarray(0, 3))).toEqual([11, 5, 123]);
    expect(index.postings(7919 * 123 + 1)).toEqual([12, 5, 11, 123]);
    expect(index.stats.fingerprints).toBe(n + 1);
    expect(index.stats.postings).toBe(3 + n + 1);
  });

  it('numbers tokens across documents of every size, empty ones included', () => {
    // one key per document at its last token; lengths cross the directory's 256-token blocks
    const index = new FingerprintIndex(1024);
    const hits = createHits();
    const lengths = [0, 1, 255, 256, 257, 0, 0, 3, 1000, 1, 0, 513, 2];
    const want: number[] = [];
    lengths.forEach((len, d) => {
      const n = len > 0 ? 1 : 0;
      index.addDocument(d, len, Uint32Array.of(7), Int32Array.of(len - 1), n, hits);
      if (n) want.unshift(d, len - 1);
    });
    expect(index.postings(7)).toEqual(want);
    // a later document's hits name each earlier document and position
    index.addDocument(lengths.length, 5, Uint32Array.of(7), Int32Array.of(4), 1, hits);
    expect(Array.from(hits.list.subarray(0, 3 * hits.count))).toEqual(want.flatMap((x, i) => (i % 2 ? [] : [x, 4, want[i + 1]!])));
  });

  it('keeps one posting per key in its slot under maxPostings 1', () => {
    const index = new FingerprintIndex(1);
    const hits = createHits();
    for (let d = 0; d < 3; d++) index.addDocument(d, 50, Uint32Array.of(9), Int32Array.of(d), 1, hits);
    expect(Array.from(hits.list.subarray(0, 3 * hits.count))).toEqual([0, 2, 0]);
    expect(index.postings(9)).toEqual([0, 0]);
    expect(index.stats.postings).toBe(1);
  });

  it('refuses a document past the token limit before adding anything', () => {
    const index = new FingerprintIndex(4, undefined, 1000);
    const hits = createHits();
    index.addDocument(0, 600, Uint32Array.of(1), Int32Array.of(0), 1, hits);
    expect(() => index.checkRoom(401)).toThrow(expect.objectContaining({ code: ErrorCode.CAPACITY, message: expect.stringMatching(/at most 1000 tokens, got 1001 with document 2/) }));
    expect(() => index.addDocument(1, 401, Uint32Array.of(1), Int32Array.of(0), 1, hits)).toThrow(/at most 1000 tokens/);
    index.addDocument(1, 400, Uint32Array.of(1), Int32Array.of(399), 1, hits);
    expect(index.postings(1)).toEqual([1, 399, 0, 0]);
  });
});
