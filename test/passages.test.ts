import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../src/errors.js';
import { Aligner, EdgeStore, FingerprintIndex, SeedTable, TokenStore, carve, createHits, createRepeats, endOf, keepTokens, mapAtoB, packOffsets, seedsOf, startOf, tokenBytes, winnow, type DocTokens, type Edge } from '../src/passages.js';
import { tokenize } from '../src/tokenize.js';
import { brownTexts, rng } from './helpers/text.js';

const opts = { minWords: 20, seedWords: 6, maxGap: 24, passageSimilarity: 0.8 };
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
  it('finds every seed seen before in the document and each fingerprint once, wanted at its first occurrence', () => {
    const table = new SeedTable();
    const out = createRepeats();
    const r = table.repeats(Uint32Array.of(5, 7, 5, 9, 7, 5), Int32Array.of(0, 2, 3, 4), out);
    expect(Array.from(r.hits.subarray(0, 2 * r.nHits))).toEqual([2, 0, 4, 1, 5, 0]);
    expect([Array.from(r.keys.subarray(0, r.n)), Array.from(r.pos.subarray(0, r.n)), Array.from(r.want.subarray(0, r.n))]).toEqual([[5, 9, 7], [0, 3, 4], [1, 1, 0]]);
    // the next document starts afresh, and a larger one grows the table
    const big = Uint32Array.from({ length: 5000 }, (_, i) => (i % 2500) * 2654435761);
    const s = table.repeats(big, Int32Array.of(0, 2500, 4999), out);
    expect(s.nHits).toBe(2500);
    expect(Array.from(s.hits.subarray(0, 4))).toEqual([2500, 0, 2501, 1]);
    expect([Array.from(s.keys.subarray(0, s.n)), Array.from(s.pos.subarray(0, s.n)), Array.from(s.want.subarray(0, s.n))]).toEqual([[0, big[4999]!], [0, 4999], [1, 0]]);
    expect(table.repeats(Uint32Array.of(5, 7), Int32Array.of(1), out).nHits).toBe(0);
  });
});

describe('FingerprintIndex', () => {
  it('keeps the earliest maxPostings documents per fingerprint and reports them to later ones', () => {
    const index = new FingerprintIndex(3);
    const hits = createHits();
    const one = (key: number, pos: number, want: boolean) => [Uint32Array.of(key), Int32Array.of(pos), Uint8Array.of(want ? 1 : 0)] as const;
    for (let d = 0; d < 10; d++) {
      index.addDocument(d, 200, ...one(42, 100 + d, true), 1, hits);
      // newest first, never more than the three kept
      const seen = Array.from(hits.list.subarray(0, 3 * hits.count));
      const expected = [2, 1, 0].filter((e) => e < d).map((e) => [e, 100 + d, 100 + e]).flat();
      expect(seen).toEqual(expected);
    }
    expect(index.postings(42)).toEqual([2, 102, 1, 101, 0, 100]);
    expect(index.postings(43)).toEqual([]);
    // a key added without `want` is kept but reports nothing
    index.addDocument(10, 200, ...one(42, 7, false), 1, hits);
    expect(hits.count).toBe(0);
    // many keys in one document, and the table grows
    const n = 20000;
    const keys = Uint32Array.from({ length: n }, (_, k) => k * 7919 + 1);
    index.addDocument(11, n, keys, Int32Array.from({ length: n }, (_, k) => k), new Uint8Array(n).fill(1), n, hits);
    expect(hits.count).toBe(0);
    expect(index.postings(7919 * 123 + 1)).toEqual([11, 123]);
    index.addDocument(12, 10, Uint32Array.of(7919 * 123 + 1), Int32Array.of(5), Uint8Array.of(1), 1, hits);
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
      index.addDocument(d, len, Uint32Array.of(7), Int32Array.of(len - 1), Uint8Array.of(1), n, hits);
      if (n) want.unshift(d, len - 1);
    });
    expect(index.postings(7)).toEqual(want);
    // a later document's hits name each earlier document and position
    index.addDocument(lengths.length, 5, Uint32Array.of(7), Int32Array.of(4), Uint8Array.of(1), 1, hits);
    expect(Array.from(hits.list.subarray(0, 3 * hits.count))).toEqual(want.flatMap((x, i) => (i % 2 ? [] : [x, 4, want[i + 1]!])));
  });

  it('keeps one posting per key in its slot under maxPostings 1', () => {
    const index = new FingerprintIndex(1);
    const hits = createHits();
    for (let d = 0; d < 3; d++) index.addDocument(d, 50, Uint32Array.of(9), Int32Array.of(d), Uint8Array.of(1), 1, hits);
    expect(Array.from(hits.list.subarray(0, 3 * hits.count))).toEqual([0, 2, 0]);
    expect(index.postings(9)).toEqual([0, 0]);
    expect(index.stats.postings).toBe(1);
  });

  it('refuses a document past the token limit before adding anything', () => {
    const index = new FingerprintIndex(4, undefined, 1000);
    const hits = createHits();
    index.addDocument(0, 600, Uint32Array.of(1), Int32Array.of(0), Uint8Array.of(1), 1, hits);
    expect(() => index.checkRoom(401)).toThrow(expect.objectContaining({ code: ErrorCode.CAPACITY, message: expect.stringMatching(/at most 1000 tokens, got 1001 with document 2/) }));
    expect(() => index.addDocument(1, 401, Uint32Array.of(1), Int32Array.of(0), Uint8Array.of(1), 1, hits)).toThrow(/at most 1000 tokens/);
    index.addDocument(1, 400, Uint32Array.of(1), Int32Array.of(399), Uint8Array.of(1), 1, hits);
    expect(index.postings(1)).toEqual([1, 399, 0, 0]);
  });
});

describe('Aligner', () => {
  const seedHits = (A: ReturnType<typeof doc>, B: ReturnType<typeof doc>, al: Aligner) => {
    const sa = seedsOf(A, 6), sb = seedsOf(B, 6);
    const pos = new Map<number, number>();
    sb.forEach((h, j) => { if (!pos.has(h)) pos.set(h, j); });
    sa.forEach((h, i) => { const j = pos.get(h); if (j !== undefined) al.hit(i, j); });
  };

  it('chains exact runs across word edits into one passage with its similarity', () => {
    const text = brownTexts(1)[0]!.split(' ').slice(0, 300);
    const edited = text.map((w, i) => (i % 25 === 10 ? 'changed' : w));
    const A = doc(edited.join(' ')), B = doc(text.join(' '));
    const al = new Aligner(A, B, opts);
    seedHits(A, B, al);
    const edges = al.edges(1, 0);
    expect(edges).toHaveLength(1);
    const e = edges[0]!;
    expect(e.aEnd - e.aStart).toBeGreaterThan(A.n - 5);
    expect(e.similarity).toBeGreaterThan(0.93);
    expect(e.similarity).toBeLessThan(1);
    expect(mapAtoB(e, e.aStart + 100)).toBeGreaterThan(e.bStart + 95);
  });

  it('drops runs shorter than minWords and stays linear on "the the the"', () => {
    const a = doc('alpha beta gamma delta epsilon zeta eta theta unrelated words follow here');
    const b = doc('alpha beta gamma delta epsilon zeta eta theta and then something else entirely');
    const al = new Aligner(a, b, opts);
    seedHits(a, b, al);
    expect(al.edges(1, 0)).toEqual([]);
    const many = doc('the '.repeat(200000));
    const self = new Aligner(many, many, opts);
    const seeds = seedsOf(many, 6);
    for (let i = 1; i < seeds.length; i++) self.hit(i, 0);
    const edges = self.edges(0, 0);
    expect(edges).toHaveLength(1);
    expect(edges[0]!.aEnd - edges[0]!.aStart).toBe(many.n - 1);
  });
});
