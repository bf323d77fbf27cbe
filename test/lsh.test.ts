import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../src/errors.js';
import { LshIndex, bandKeys, candidateProbability, optimalParams } from '../src/lsh.js';
import { MinHasher } from '../src/hasher.js';
import { jaccard, shingleSet } from '../src/shingle.js';
import { brownTexts, rng } from './helpers/text.js';

describe('optimalParams', () => {
  it("re-derives datasketch's bands and rows", () => {
    expect(optimalParams(0.5, 128)).toEqual({ bands: 25, rows: 5 });
    expect(optimalParams(0.7, 128)).toEqual({ bands: 14, rows: 9 });
    expect(optimalParams(0.8, 128)).toEqual({ bands: 9, rows: 13 });
    expect(optimalParams(0.9, 128)).toEqual({ bands: 5, rows: 25 });
    expect(optimalParams(0.8, 256)).toEqual({ bands: 17, rows: 15 });
  });

  it('puts the S-curve threshold near the requested one', () => {
    for (const t of [0.5, 0.7, 0.8, 0.9]) {
      const { bands, rows } = optimalParams(t, 128);
      expect(candidateProbability(t + 0.1 > 1 ? 1 : t + 0.1, bands, rows)).toBeGreaterThan(0.8);
      expect(candidateProbability(t - 0.2, bands, rows)).toBeLessThan(0.3);
    }
  });
});

describe('LshIndex', () => {
  const h = new MinHasher();
  const texts = brownTexts(40);
  const edit = (text: string, every: number) => text.split(' ').map((w, i) => (i % every === 3 ? 'zz' : w)).join(' ');

  it('finds near-duplicates above the threshold, verified, and not unrelated documents', () => {
    const index = new LshIndex({ threshold: 0.8 });
    texts.forEach((t, i) => index.add(`doc-${i}`, h.signature(t), shingleSet(h.shingleHashes(t))));
    expect(index.size).toBe(40);
    for (let i = 0; i < texts.length; i++) {
      const copy = edit(texts[i]!, 200);
      const sig = h.signature(copy);
      const set = shingleSet(h.shingleHashes(copy));
      expect(index.query(sig)).toContain(`doc-${i}`);
      const matches = index.similar(sig, set);
      expect(matches.map((m) => m.id)).toEqual([`doc-${i}`]);
      expect(matches[0]!.similarity).toBeCloseTo(jaccard(set, shingleSet(h.shingleHashes(texts[i]!))), 10);
    }
    // a heavy edit (J about 0.4) is not a match
    expect(index.similar(h.signature(edit(texts[0]!, 4))).map((m) => m.id)).not.toContain('doc-0');
  });

  it('removes documents and lets ids be added again', () => {
    const index = new LshIndex({ threshold: 0.5 });
    const sig = h.signature(texts[0]!);
    index.add('a', sig);
    index.add('b', sig);
    expect(index.query(sig).sort()).toEqual(['a', 'b']);
    index.remove('a');
    expect(index.query(sig)).toEqual(['b']);
    expect(index.has('a')).toBe(false);
    index.add('a', sig);
    expect(index.query(sig).sort()).toEqual(['a', 'b']);
    expect(() => index.add('a', sig)).toThrow(expect.objectContaining({ code: ErrorCode.DUPLICATE_ID }));
    expect(() => index.remove('zzz')).toThrow(expect.objectContaining({ code: ErrorCode.UNKNOWN_ID }));
  });

  it('keeps a lone document in its bucket slot and moves it into a list when a second comes', () => {
    const index = new LshIndex({ threshold: 0.5 });
    const sig = h.signature(texts[0]!), other = h.signature(texts[1]!);
    index.add('a', sig);
    index.add('x', other);
    expect(index.query(sig)).toEqual(['a']);
    index.add('b', sig);
    index.add('c', sig);
    expect(index.query(sig).sort()).toEqual(['a', 'b', 'c']);
    // the middle, the head, then the first document (moved out of the slot) of a list
    index.remove('b');
    expect(index.query(sig).sort()).toEqual(['a', 'c']);
    index.remove('c');
    expect(index.query(sig)).toEqual(['a']);
    index.remove('a');
    expect(index.query(sig)).toEqual([]);
    // an emptied bucket takes a lone document again, and a removed lone document leaves it empty
    index.add('d', sig);
    expect(index.query(sig)).toEqual(['d']);
    index.remove('x');
    expect(index.query(other)).toEqual([]);
    index.add('x', other);
    expect(index.query(other)).toEqual(['x']);
  });

  it('grows its typed-array buckets without losing entries', () => {
    const index = new LshIndex({ threshold: 0.9, numPerm: 32 });
    const next = rng(5);
    const sigs: Uint32Array[] = [];
    for (let i = 0; i < 3000; i++) {
      const sig = Uint32Array.from({ length: 32 }, () => (next() * 2 ** 32) >>> 0);
      sigs.push(sig);
      index.add(String(i), sig);
    }
    for (let i = 0; i < 3000; i += 97) expect(index.query(sigs[i]!)).toEqual([String(i)]);
  });

  it('takes explicit bands and rows, and rejects bad ones', () => {
    const index = new LshIndex({ bands: 16, rows: 8 });
    expect([index.bands, index.rows]).toEqual([16, 8]);
    expect(() => new LshIndex({ bands: 16 })).toThrow('rows must be given together with bands, got rows undefined');
    expect(() => new LshIndex({ bands: 20, rows: 8 })).toThrow('bands * rows must be at most numPerm 128, got 20 * 8 = 160');
    expect(() => new LshIndex({ threshold: 1.5 })).toThrow('threshold must be in [0, 1], got 1.5');
    expect(() => new LshIndex({ thresh: 0.5 } as object)).toThrow('unknown option "thresh"');
  });

  it('computes band keys that depend on every row of the band', () => {
    const sig = h.signature(texts[1]!);
    const a = bandKeys(sig, 8, 16);
    const changed = sig.slice(); changed[17] = changed[17]! ^ 1;
    const b = bandKeys(changed, 8, 16);
    expect(Array.from(a).filter((x, i) => x !== b[i])).toHaveLength(1);
    expect(a[1]).not.toBe(b[1]);
  });
});

describe('LshIndex.addAndQuery', () => {
  it('returns what query would have, then holds the new signature', () => {
    const h = new MinHasher();
    const texts = brownTexts(12);
    const a = new LshIndex({ threshold: 0.5 }), b = new LshIndex({ threshold: 0.5 });
    texts.forEach((t, i) => {
      const text = i % 3 === 2 ? texts[i - 1]! : t;
      const sig = h.signature(text);
      const expected = a.query(sig).sort();
      a.add(String(i), sig);
      expect(b.addAndQuery(String(i), sig).sort()).toEqual(expected);
    });
    expect(b.query(h.signature(texts[1]!)).sort()).toEqual(['1', '2']);
    expect(b.size).toBe(12);
  });

  it('keeps every stored signature across its chunks', () => {
    const ix = new LshIndex({ threshold: 0.8, numPerm: 16 });
    const sigs = Array.from({ length: 600 }, (_, i) => Uint32Array.from({ length: 16 }, (_, j) => (i * 7919 + j * 104729) >>> 0));
    sigs.forEach((s, i) => ix.add(`d${i}`, s));
    for (const i of [0, 255, 256, 511, 599]) {
      expect(ix.signatureOf(`d${i}`)).toEqual(sigs[i]);
      expect(ix.similarityAt(sigs[i]!, i)).toBe(1);
      expect(ix.query(sigs[i]!)).toEqual([`d${i}`]);
    }
    ix.remove('d300');
    expect(ix.query(sigs[300]!)).toEqual([]);
  });

  it('numbers documents by insertion when added by index, with estimated similarity', () => {
    const h = new MinHasher();
    const texts = brownTexts(6);
    const ix = new LshIndex({ threshold: 0.5 });
    const sigs = texts.map((t) => h.signature(t));
    sigs.forEach((s) => expect(ix.addAndQueryIndex(s)).toEqual([]));
    // copies of documents 4 and 1 come back as those indices, ascending
    expect(ix.addAndQueryIndex(sigs[4]!)).toEqual([4]);
    expect(ix.addAndQueryIndex(sigs[1]!)).toEqual([1]);
    expect(ix.similarityAt(sigs[1]!, 1)).toBe(1);
    expect(ix.similarityAt(sigs[1]!, 4)).toBe(h.similarity(sigs[1]!, sigs[4]!));
    expect(ix.size).toBe(8);
  });

  it('keeps no signature for a document added by index with keep: false, beside documents added by id', () => {
    const h = new MinHasher();
    const texts = brownTexts(6);
    const ix = new LshIndex({ threshold: 0.5 });
    const sigs = texts.map((t) => h.signature(t));
    ix.add('first', sigs[0]!);
    expect(ix.addAndQueryIndex(sigs[1]!, false)).toEqual([]);
    ix.add('third', sigs[2]!);
    // candidates are found as before; only the estimate needs the stored signature
    expect(ix.addAndQueryIndex(sigs[1]!, false)).toEqual([1]);
    expect(ix.similarityAt(sigs[1]!, 1)).toBeNaN();
    expect(ix.similarityAt(sigs[2]!, 2)).toBe(1);
    expect(ix.signatureOf('third')).toEqual(sigs[2]);
    // an unverifiable candidate is left out of `similar`, the others stay
    expect(ix.similar(sigs[1]!).map((m) => m.id)).toEqual([]);
    expect(ix.similar(sigs[2]!).map((m) => m.id)).toEqual(['third']);
    ix.remove('third');
    expect(ix.query(sigs[2]!)).toEqual([]);
    expect(ix.addAndQueryIndex(sigs[0]!)).toEqual([0]);
  });
});

describe('LshIndex.addAndQueryIndex with a limit', () => {
  // 4 bands of 2 rows: a signature of 8 values whose bands can be shared one at a time
  const sig = (bands: number[]) => Uint32Array.from(bands.flatMap((v) => [v, v + 1]));

  it('returns the candidates sharing the most bands, the newest first among equals, ascending', () => {
    const ix = new LshIndex({ bands: 4, rows: 2, numPerm: 8 });
    // documents 0-5 share 1, 2, 3, 4, 1, 2 bands with [10, 20, 30, 40]
    const docs = [[10, 91, 92, 93], [10, 20, 94, 95], [10, 20, 30, 96], [10, 20, 30, 40], [97, 98, 99, 40], [10, 20, 100, 101]];
    for (const d of docs) ix.addAndQueryIndex(sig(d));
    const q = sig([10, 20, 30, 40]);
    // (each call also adds q: as document 6, 7, 8)
    expect(ix.addAndQueryIndex(q, true, 3)).toEqual([2, 3, 5]);
    // without a limit, every document sharing a band
    expect(ix.addAndQueryIndex(q)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(ix.addAndQueryIndex(q, true, 1)).toEqual([7]);
  });

  it('reads only the newest 2 * limit entries of a bucket', () => {
    const ix = new LshIndex({ bands: 4, rows: 2, numPerm: 8 });
    // document 0 shares bands A and B with the query; three newer ones share only A, three only B
    ix.addAndQueryIndex(sig([10, 20, 90, 91]));
    for (let i = 0; i < 3; i++) ix.addAndQueryIndex(sig([10, 200 + 10 * i, 92, 93]));
    for (let i = 0; i < 3; i++) ix.addAndQueryIndex(sig([300 + 10 * i, 20, 94, 95]));
    const q = sig([10, 20, 30, 40]);
    // limit 1 reads two entries a bucket: document 0 is not reached, the newest one-band document wins
    expect(ix.addAndQueryIndex(q, false, 1)).toEqual([6]);
    // limit 3 reads six: document 0 (two bands) is reached, after the query's first copy (7, four)
    expect(ix.addAndQueryIndex(q, false, 3)).toEqual([0, 6, 7]);
  });

  it('reads a bounded part of crowded buckets: copies of one signature give the newest copies', () => {
    const ix = new LshIndex({ threshold: 0.8 });
    const h = new MinHasher();
    const s = h.signature(brownTexts(1)[0]!);
    for (let i = 0; i < 5000; i++) {
      const found = ix.addAndQueryIndex(s, false, 16);
      expect(found).toEqual(Array.from({ length: Math.min(i, 16) }, (_, k) => i - Math.min(i, 16) + k));
    }
    expect(ix.size).toBe(5000);
  });
});
