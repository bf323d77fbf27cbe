import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../src/errors.js';
import { MinHasher } from '../src/hasher.js';
import { EMPTY, isEmpty } from '../src/minhash.js';
import { jaccard, shingleSet, textShingleSet } from '../src/shingle.js';
import { brownTexts, fixture, rng } from './helpers/text.js';

const require = createRequire(import.meta.url);

/** Two random sets of 32-bit hashes with |A| = |B| = size and exact Jaccard common / (common + 2 * (size - common)). */
function pair(size: number, common: number, next: () => number): [Uint32Array, Uint32Array, number] {
  const u = () => (next() * 4294967296) >>> 0;
  const c = Array.from({ length: common }, u);
  const a = Uint32Array.from([...c, ...Array.from({ length: size - common }, u)]);
  const b = Uint32Array.from([...c, ...Array.from({ length: size - common }, u)]);
  return [a, b, jaccard(shingleSet(a), shingleSet(b))];
}

describe('MinHasher', () => {
  it('matches the golden signature for a fixed text and seed', () => {
    const h = new MinHasher({ numPerm: 16, seed: 42 });
    const sig = h.signature('The quick brown fox jumps over the lazy dog, and the lazy dog sleeps on.');
    expect(Array.from(sig)).toEqual(GOLDEN);
  });

  it('is deterministic, seeded, and the same from a string or its UTF-8 bytes', () => {
    const text = fixture('menafn-doubled.txt');
    const a = new MinHasher({ seed: 3 }).signature(text);
    expect(new MinHasher({ seed: 3 }).signature(text)).toEqual(a);
    expect(new MinHasher({ seed: 3 }).signature(Buffer.from(text))).toEqual(a);
    expect(new MinHasher({ seed: 4 }).signature(text)).not.toEqual(a);
    expect(a.length).toBe(128);
    expect(a).toBeInstanceOf(Uint32Array);
  });

  for (const mode of ['oph', 'classic'] as const) {
    for (const size of [10, 100, 3000]) {
      it(`${mode}: unbiased with RMSE near sqrt(J(1-J)/k) on sets of ${size}`, () => {
        const k = 128;
        const next = rng(size * 31 + (mode === 'oph' ? 1 : 2));
        const trials = size >= 3000 ? 150 : 400;
        for (const frac of [0.5, 0.8, 0.9]) {
          const common = Math.round(size * frac);
          let sumErr = 0, sumSq = 0, jTrue = 0;
          for (let t = 0; t < trials; t++) {
            const h = new MinHasher({ numPerm: k, seed: t + 1, mode });
            const [a, b, j] = pair(size, common, next);
            const est = h.similarity(h.densify(h.sketchShingles(a)), h.densify(h.sketchShingles(b)));
            sumErr += est - j;
            sumSq += (est - j) ** 2;
            jTrue = j;
          }
          const bias = sumErr / trials;
          const rmse = Math.sqrt(sumSq / trials);
          const binomial = Math.sqrt((jTrue * (1 - jTrue)) / k);
          expect(Math.abs(bias)).toBeLessThan(0.02);
          expect(rmse).toBeLessThan(1.25 * binomial);
        }
      });
    }
  }

  it('estimates real-text similarity close to exact Jaccard', () => {
    const texts = brownTexts(4);
    const h = new MinHasher({ numPerm: 256 });
    for (const base of texts) {
      const words = base.split(' ');
      const edited = words.map((w, i) => (i % 17 === 0 ? 'edited' : w)).join(' ');
      const exact = jaccard(textShingleSet(base, 5, 1), textShingleSet(edited, 5, 1));
      const est = h.similarity(h.signature(base), h.signature(edited));
      expect(Math.abs(est - exact)).toBeLessThan(0.1);
    }
  });

  it('agrees with the npm minhash package on real text', () => {
    const { Minhash } = require('minhash') as { Minhash: new (o?: object) => { update(s: string): void; jaccard(o: unknown): number } };
    const texts = brownTexts(6).map((t) => t.slice(0, 6000));
    const h = new MinHasher({ numPerm: 256 });
    const theirs = (text: string) => {
      const m = new Minhash({ numPerm: 256 });
      const w = text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
      for (let i = 0; i + 5 <= w.length; i++) m.update(w.slice(i, i + 5).join(' '));
      return m;
    };
    let diff = 0, n = 0;
    for (const base of texts) {
      const words = base.split(' ');
      for (const every of [5, 11, 40]) {
        const edited = words.map((w, i) => (i % every === 0 ? 'xx' : w)).join(' ');
        const ours = h.similarity(h.signature(base), h.signature(edited));
        const peer = theirs(base).jaccard(theirs(edited));
        diff += Math.abs(ours - peer); n++;
      }
    }
    expect(diff / n).toBeLessThan(0.06);
  });

  it('merges sketches into the sketch of the union', () => {
    const h = new MinHasher({ numPerm: 64, seed: 9 });
    const [a, b] = brownTexts(2);
    const both = `${a}\n${b}`;
    const merged = h.densify(h.merge(h.sketch(a!), h.sketch(b!)));
    const direct = h.signature(both);
    // the union's shingles are a's, b's and the few that straddle the join
    expect(h.similarity(merged, direct)).toBeGreaterThan(0.95);
    const ha = h.shingleHashes(a!), hb = h.shingleHashes(b!);
    const union = new Uint32Array(ha.length + hb.length); union.set(ha); union.set(hb, ha.length);
    expect(h.merge(h.sketchShingles(ha), h.sketchShingles(hb))).toEqual(h.sketchShingles(union));
  });

  it('serializes to bytes and back, and refuses bytes from other options', () => {
    const h = new MinHasher({ seed: 5 });
    const sig = h.signature('some words that make a few shingles for the test here');
    const bytes = h.toBytes(sig);
    expect(bytes.length).toBe(16 + 4 * 128);
    expect(h.fromBytes(bytes)).toEqual(sig);
    expect(() => new MinHasher({ seed: 6 }).fromBytes(bytes)).toThrow(expect.objectContaining({ code: ErrorCode.SIGNATURE_MISMATCH }));
    expect(() => h.fromBytes(new Uint8Array(10))).toThrow(expect.objectContaining({ code: ErrorCode.BAD_BYTES }));
  });

  it('gives empty and very short texts sensible signatures', () => {
    const h = new MinHasher();
    const empty = h.signature('');
    expect(isEmpty(empty)).toBe(true);
    expect(empty[0]).toBe(EMPTY);
    expect(h.similarity(empty, empty)).toBe(0);
    const short = h.signature('two words');
    expect(isEmpty(short)).toBe(false);
    expect(h.similarity(short, h.signature('Two, WORDS!'))).toBe(1);
    expect(h.similarity(short, h.signature('two birds'))).toBeLessThan(0.2);
  });

  it('supports character n-gram shingles', () => {
    const h = new MinHasher({ shingle: 'char', charNgram: 4 });
    const a = h.signature('東京は今日も晴れています');
    const b = h.signature('東京は今日も晴れていました');
    expect(h.similarity(a, b)).toBeGreaterThan(0.4);
    expect(h.similarity(a, h.signature('completely different text'))).toBeLessThan(0.1);
  });

  it('rejects bad options with the option, the rule and the value', () => {
    expect(() => new MinHasher({ numPerm: 0 })).toThrow('numPerm must be an integer in [1, 4096], got 0');
    expect(() => new MinHasher({ mode: 'fast' as 'oph' })).toThrow("mode must be 'oph' or 'classic', got \"fast\"");
    expect(() => new MinHasher({ numPerm: 1.5 })).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_OPTION }));
  });
});

const GOLDEN = [25475622, 278687, 35319119, 6043427, 21527252, 56395065, 29353255, 14006262, 18590368, 38968883, 30783194, 13558407, 10200344, 115150964, 12800724, 25804097];
