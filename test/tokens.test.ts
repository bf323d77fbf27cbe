import { describe, expect, it } from 'vitest';
import { TokenStore, carve, endOf, keepTokens, packOffsets, startOf, tokenBytes, type DocTokens } from '../src/tokens.js';
import { tokenize } from '../src/tokenize.js';
import { brownTexts, rng } from './helpers/text.js';

const doc = (text: string) => keepTokens(text, tokenize(text, 1));

describe('keepTokens', () => {
  it('extends token offsets over attached punctuation, never over spaces', () => {
    const text = '"Hello," she said (twice). Done.';
    const t = doc(text);
    const spans = Array.from({ length: t.n }, (_, i) => text.slice(startOf(t, i), endOf(t, i)));
    expect(spans).toEqual(['"Hello,"', 'she', 'said', '(twice).', 'Done.']);
  });
});

describe('packOffsets', () => {
  it('reads back every start and end, with escapes for long tokens and wide or negative gaps', () => {
    const next = rng(3);
    for (const n of [0, 1, 15, 16, 17, 500]) {
      const xs = new Int32Array(n), xe = new Int32Array(n);
      let at = Math.floor(next() * 300);
      for (let i = 0; i < n; i++) {
        const r = next();
        // mostly short words one space apart; some long ones, long gaps, overlaps ("a--b"), and
        // gaps and lengths at the edges of what a byte holds (gaps -1 to 5, lengths up to 30)
        at += i === 0 ? 0 : r < 0.05 ? 130 + Math.floor(next() * 5000) : r < 0.1 ? -Math.floor(next() * 3) : r < 0.2 ? 4 + Math.floor(next() * 4) : 1;
        xs[i] = at;
        at += r > 0.95 ? 255 + Math.floor(next() * 1000) : r > 0.85 ? 29 + Math.floor(next() * 4) : 1 + Math.floor(next() * 12);
        xe[i] = at;
      }
      const src = Int32Array.from([...xs, ...xe]);
      const t: DocTokens = { n, hashes: new Uint32Array(n), anchors: new Int32Array(Math.ceil(n / 16)), bytes: new Uint8Array(n), escapes: null };
      packOffsets(src, 0, n, n, t);
      expect(Array.from({ length: n }, (_, i) => startOf(t, i))).toEqual(Array.from(xs));
      expect(Array.from({ length: n }, (_, i) => endOf(t, i))).toEqual(Array.from(xe));
      if (n === 500) expect(t.escapes!.length).toBeGreaterThan(20);
    }
  });
});

describe('TokenStore', () => {
  const spans = (t: DocTokens) => Array.from({ length: t.n }, (_, i) => [startOf(t, i), endOf(t, i)]);

  it('numbers documents and gives back their tokens, from its chunks, from other buffers, or copied', () => {
    // a tiny chunk, so documents spread over several; one text with escaped offsets
    const store = new TokenStore(256);
    const texts = [...brownTexts(3), `gap${' '.repeat(300)}after ${'x'.repeat(400)} end`, ''];
    const ref = texts.map((t) => doc(t));
    const kept = texts.map((t) => store.keep(keepTokens(t, tokenize(t, 1), store)));
    // arrays laid out by carve in a buffer of their own (a worker's batch) stay where they are
    const r0 = ref[0]!, own = carve(new ArrayBuffer(tokenBytes(r0.n)), 0, r0.n);
    own.hashes.set(r0.hashes); own.anchors.set(r0.anchors); own.bytes.set(r0.bytes);
    kept.push(store.keep(own));
    // arrays that are not (separate buffers) are copied in
    const r1 = ref[1]!;
    kept.push(store.keep({ n: r1.n, hashes: r1.hashes.slice(), anchors: r1.anchors.slice(), bytes: r1.bytes.slice(), escapes: r1.escapes }));
    expect(kept).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(store.size).toBe(7);
    expect(ref[3]!.escapes).not.toBeNull();
    [...ref, r0, r1].forEach((r, d) => {
      const t = store.get(d);
      expect(store.count(d)).toBe(r.n);
      expect(Array.from(t.hashes)).toEqual(Array.from(r.hashes.subarray(0, r.n)));
      expect(spans(t)).toEqual(spans(r));
      // offsets read in place give the same
      expect(Array.from({ length: r.n }, (_, i) => [store.startOf(d, i), store.endOf(d, i)])).toEqual(spans(r));
    });
    expect(store.get(5).hashes.buffer).toBe(own.hashes.buffer);
    expect(store.get(6).hashes.buffer).not.toBe(r1.hashes.buffer);
    // escapes are counted once per document that has them (the copy `own` carries none: r0 has none)
    expect(r0.escapes).toBeNull();
    expect(store.bytes()).toBe([...ref, r0, r1].reduce((s, r) => s + tokenBytes(r.n), 0) + [...ref, r1].reduce((s, r) => s + (r.escapes?.byteLength ?? 0), 0));
  });
});
