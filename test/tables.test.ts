import { describe, expect, it } from 'vitest';
import { Spare, growPairs, grown } from '../src/tables.js';
import { LshIndex } from '../src/lsh.js';
import { FingerprintIndex, createHits } from '../src/fingerprints.js';
import { TokenStore, endOf, keepTokens, startOf, tokenBytes } from '../src/tokens.js';
import { tokenize } from '../src/tokenize.js';
import { brownTexts } from './helpers/text.js';

/** A table of 2^bits slots holding the given (key, head) pairs, placed as growPairs would. */
function tableOf(bits: number, pairs: [number, number][]): Int32Array<ArrayBuffer> {
  const t = new Int32Array(2 << bits).fill(-1), mask = (1 << bits) - 1;
  for (const [k, h] of pairs) {
    let i = k & mask;
    while (t[2 * i + 1] !== -1) i = (i + 1) & mask;
    t[2 * i] = k; t[2 * i + 1] = h;
  }
  return t;
}

/** Head of a key in a table, or -1, by linear probing. */
function lookup(t: Int32Array, key: number): number {
  const mask = (t.length >> 1) - 1;
  for (let i = key & mask; ; i = (i + 1) & mask) {
    if (t[2 * i + 1] === -1) return -1;
    if (t[2 * i] === key) return t[2 * i + 1]!;
  }
}

describe('grown', () => {
  it('keeps an array that is big enough, else doubles it and copies what is used', () => {
    const a = Int32Array.of(1, 2, 3, 4);
    expect(grown(a, 4)).toBe(a);
    const b = grown(a, 5);
    expect(b).toBeInstanceOf(Int32Array);
    expect(Array.from(b)).toEqual([1, 2, 3, 4, 0, 0, 0, 0]);
    const c = grown(new Float64Array([0.5, 1.5]), 9, 1);
    expect(c).toBeInstanceOf(Float64Array);
    expect(c.length).toBe(16);
    expect(Array.from(c.subarray(0, 3))).toEqual([0.5, 0, 0]);
    expect(grown(new Uint32Array(0), 3).length).toBe(4);
  });
});

describe('growPairs', () => {
  it('doubles a table and finds every key again, colliding keys included', () => {
    // keys 5, 13 and 21 share a home slot at 8 slots (5 and 21 still do at 16), as do 7 and -9
    const pairs: [number, number][] = [[5, 0], [13, 1], [21, 2], [7, 3], [-9, 4]];
    const grown = growPairs(tableOf(3, pairs));
    expect(grown.length).toBe(32);
    for (const [k, h] of pairs) expect(lookup(grown, k)).toBe(h);
    expect(lookup(grown, 6)).toBe(-1);
    expect(grown.filter((x, i) => i % 2 === 1 && x !== -1).length).toBe(pairs.length);
  });

  it('grows in one step to hold a number of keys at load factor 3/4', () => {
    const pairs: [number, number][] = [[5, 0], [13, 1], [21, 2], [7, 3], [-9, 4]];
    // 8 slots: 100 keys need 134 slots or more, so 256 (at least a doubling, whatever the keys)
    const t = growPairs(tableOf(3, pairs), undefined, 100);
    expect(t.length).toBe(2 * 256);
    for (const [k, h] of pairs) expect(lookup(t, k)).toBe(h);
    expect(growPairs(tableOf(3, pairs), undefined, 12).length).toBe(2 * 16);
    expect(growPairs(tableOf(3, pairs), undefined, 13).length).toBe(2 * 32);
  });

  it('hands the outgrown buffer to a Spare when it is large enough to be worth keeping', () => {
    const spare = new Spare();
    const big = tableOf(13, [[1, 1]]), small = tableOf(12, [[1, 1]]);
    growPairs(small, spare);
    growPairs(big, spare);
    // 2^12 slots are 32 KB: not kept; 2^13 slots are 64 KB: kept
    expect(spare.take(1)).toBe(big.buffer);
    expect(spare.take(1)).toBeUndefined();
  });
});

describe('Spare', () => {
  it('gives back a buffer of at least the size asked for, once', () => {
    const spare = new Spare();
    const a = new ArrayBuffer(1 << 16), b = new ArrayBuffer(1 << 18);
    spare.give(new ArrayBuffer(1 << 10));
    spare.give(a); spare.give(b);
    expect(spare.take((1 << 18) + 1)).toBeUndefined();
    expect(spare.take(1 << 17)).toBe(b);
    expect(spare.take(1 << 17)).toBeUndefined();
    expect(spare.take(1)).toBe(a);
    expect(spare.take(1)).toBeUndefined();
  });

  it('feeds a TokenStore, whose documents read back whole over the leftover bytes', () => {
    const spare = new Spare();
    const left = new ArrayBuffer(1 << 16);
    new Uint8Array(left).fill(0xa5);
    spare.give(left);
    const store = new TokenStore(256, spare);
    const texts = brownTexts(2).map((t) => t.slice(0, 3000));
    for (const t of texts) store.keep(keepTokens(t, tokenize(t, 1), store));
    texts.forEach((text, d) => {
      const ref = keepTokens(text, tokenize(text, 1)), t = store.get(d);
      expect(t.hashes.buffer).toBe(left);
      expect(Array.from(t.hashes)).toEqual(Array.from(ref.hashes));
      expect(Array.from({ length: t.n }, (_, i) => [startOf(t, i), endOf(t, i)])).toEqual(Array.from({ length: ref.n }, (_, i) => [startOf(ref, i), endOf(ref, i)]));
    });
    // past the spare buffer, a new chunk
    const big = store.alloc(20000).hashes.buffer;
    expect(big).not.toBe(left);
    expect(big.byteLength).toBe(tokenBytes(20000));
  });

  it('is dropped once the store keeps tokens in buffers of their own (workers\' batches)', () => {
    const spare = new Spare();
    const store = new TokenStore(256, spare);
    const text = brownTexts(1)[0]!.slice(0, 2000);
    // the store's own chunk: the spare stays open
    store.keep(keepTokens(text, tokenize(text, 1), store));
    spare.give(new ArrayBuffer(1 << 16));
    const held = spare.take(1);
    expect(held?.byteLength).toBe(1 << 16);
    spare.give(held!);
    // a batch buffer: what the spare holds is dropped, and it takes nothing more
    store.keep(keepTokens(text, tokenize(text, 1)));
    expect(spare.take(1)).toBeUndefined();
    spare.give(new ArrayBuffer(1 << 16));
    expect(spare.take(1)).toBeUndefined();
    expect(store.size).toBe(2);
  });

  it('takes the tables a FingerprintIndex outgrows', () => {
    const spare = new Spare();
    const index = new FingerprintIndex(3, spare);
    // 5,000 keys grow the table from 2^12 slots to 2^13 (too small to hand on); 15,000 more grow
    // it in one step to 2^15, handing on 2^13 slots (2^14 is never made)
    const add = (doc: number, from: number, n: number) => index.addDocument(doc, n, Uint32Array.from({ length: n }, (_, k) => (from + k) * 7919 + 1), Int32Array.from({ length: n }, (_, k) => k), n, createHits());
    add(0, 0, 5000);
    expect(spare.take(1)).toBeUndefined();
    add(1, 5000, 15000);
    expect(spare.take(1)?.byteLength).toBe(8 << 13);
    expect(spare.take(1)).toBeUndefined();
  });

  it('takes the bucket tables an LshIndex outgrows', () => {
    const spare = new Spare();
    const lsh = new LshIndex({ numPerm: 16, bands: 16, rows: 1 }, spare);
    // 16 new band keys a document: 1,000 documents grow the table from 2^10 slots to 2^15
    for (let d = 0; d < 1000; d++) lsh.addAndQueryIndex(Uint32Array.from({ length: 16 }, (_, i) => d * 16 + i + 1), false);
    expect([spare.take(1), spare.take(1), spare.take(1), spare.take(1)].map((b) => b?.byteLength)).toEqual([8 << 14, 8 << 13, undefined, undefined]);
  });
});
