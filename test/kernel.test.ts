import { afterEach, describe, expect, it } from 'vitest';
import { createFingerprints, kernelAvailable, kernelJaccard, useKernel } from '../src/kernel.js';
import { rollingHashes } from '../src/hash.js';
import { MinHasher } from '../src/hasher.js';
import { planOf, prepare } from '../src/prepare.js';
import { parseOptions, scanOptionsSchema } from '../src/options.js';
import { SeedTable, createRepeats } from '../src/seeds.js';
import { endOf, startOf, type DocTokens } from '../src/tokens.js';
import { JaccardTable } from '../src/shingle.js';
import { createTokens, tokenize, tokenizeBytes, type Tokens } from '../src/tokenize.js';
import { scan } from '../src/scan.js';
import { brownTexts, fixture, newsSlice, rng } from './helpers/text.js';

const spans = (t: DocTokens) => Array.from({ length: t.n }, (_, i) => [startOf(t, i), endOf(t, i)]);
const view = (t: Tokens) => ({
  hashes: Array.from(t.hashes.subarray(0, t.count)),
  starts: Array.from(t.starts.subarray(0, t.count)),
  ends: Array.from(t.ends.subarray(0, t.count)),
});

// The WASM kernel must be bit-identical to the JavaScript reference, and fall back where it cannot.
describe('WASM kernel', () => {
  afterEach(() => useKernel(true));
  const texts = [
    fixture('menafn-doubled.txt'),
    fixture('cjk-doubled.txt').repeat(3),
    fixture('cyrillic-repeat.txt'),
    'Ünïcödé 東京 𝒳y ﬁne « » \u0000 end, Straße, İstanbul, ½ cup. '.repeat(20), // astral and multi-unit folds: fallback
    'Café naïve – “quoted” — ‘single’ … résumé; Ελληνικά Русский עברית العربية हिन्दी '.repeat(20),
    'lone \uD800 surrogate \uDC00 halves '.repeat(30),
    ...brownTexts(12),
  ];

  it('loads', () => {
    expect(kernelAvailable()).toBe(true);
  });

  it('gives the same tokens and signatures as the JavaScript paths, from strings and bytes', () => {
    const h = new MinHasher({ seed: 11 });
    for (const text of texts) {
      useKernel(false);
      const ref = view(tokenize(text, 11, createTokens()));
      const refBytes = view(tokenizeBytes(Buffer.from(text), 11, createTokens()));
      const refSig = h.signature(text);
      useKernel(true);
      expect(view(tokenize(text, 11, createTokens()))).toEqual(ref);
      expect(view(tokenizeBytes(Buffer.from(text), 11, createTokens()))).toEqual(refBytes);
      expect(refBytes).toEqual(ref);
      expect(h.signature(text)).toEqual(refSig);
      expect(h.signature(Buffer.from(text))).toEqual(refSig);
    }
  });

  it('folds digits or keeps them as the JavaScript paths do, in tokens and signatures', () => {
    const text = 'Figures: 2025, ２０２５ and ٣ rose 12% to 1,250.5 in Q3; 24/7 support, v1.2.3 released. '.repeat(12);
    for (const foldDigits of [false, true]) {
      const h = new MinHasher({ seed: 3, foldDigits });
      useKernel(false);
      const ref = view(tokenize(text, 3, createTokens(), foldDigits)), refSig = h.signature(text);
      useKernel(true);
      expect(view(tokenize(text, 3, createTokens(), foldDigits))).toEqual(ref);
      expect(view(tokenizeBytes(Buffer.from(text), 3, createTokens(), foldDigits))).toEqual(ref);
      expect(h.signature(text)).toEqual(refSig);
    }
    // kept digits tell figures apart; folded ones do not
    const kept = view(tokenize('in 2025 and 2026', 3, createTokens(), false)).hashes, folded = view(tokenize('in 2025 and 2026', 3, createTokens(), true)).hashes;
    expect(kept[1]).not.toBe(kept[3]);
    expect(folded[1]).toBe(folded[3]);
  });

  it('agrees with the JavaScript tokenizer on random mixes of scripts, marks and separators', () => {
    // every transition of the kernel's state: ASCII runs of 8+ bytes and shorter, words that start
    // or end in non-ASCII letters, combining marks inside and outside words, CJK next to Latin
    const parts = ['a', 'Zq', 'word', 'longerwords', '7', ' ', '  ', ',', '.\n', '-', '\u0301', 'é', 'ß', 'я', 'Ж', '東', 'は', '\u00a0', '—', '\u3000', 'x\u0301y', '\t'];
    let state = 12345;
    const next = () => { state = (Math.imul(state, 1103515245) + 12345) >>> 0; return state >>> 8; };
    const h = new MinHasher({ seed: 3 });
    for (let t = 0; t < 200; t++) {
      let text = '';
      while (text.length < 256 + (next() % 300)) text += parts[next() % parts.length];
      useKernel(false);
      const ref = view(tokenize(text, 3, createTokens()));
      const refSig = h.signature(text);
      useKernel(true);
      expect(view(tokenize(text, 3, createTokens()))).toEqual(ref);
      expect(view(tokenizeBytes(Buffer.from(text), 3, createTokens()))).toEqual(ref);
      // signatures take the kernel's tokenizer without offsets
      expect(h.signature(text)).toEqual(refSig);
    }
  });

  it('gives a corpus the same kept tokens (extended offsets) and signature as the JavaScript path', () => {
    const o = parseOptions(scanOptionsSchema, {});
    const plan = planOf(o);
    const extra = ['"Quoted," she said -- (twice). Done!\n\n\u00a0 [x] — y; z…\u3000end. '.repeat(20), 'tabs\tand\u2003em spaces\u2028line\ufeffbom '.repeat(20),
      // offsets that do not fit a byte: gaps of 128 or more, tokens of 255 or more characters, in
      // ASCII and not
      `start ${' '.repeat(130)}gap ${'w'.repeat(300)} ${'('.repeat(200)}x ${'word '.repeat(60)}`,
      `été ${' '.repeat(140)}ü ${'é'.repeat(260)} ${'word '.repeat(60)}`];
    // ASCII texts (the kernel's in-place gap scan): punctuation on both sides, no space, many spaces, edges
    const parts = ['word', 'x', '(', ')', '"', ',', '.', '--', ' ', '   ', '\n', '\t', '...', "'s", '7'];
    let state = 99;
    const next = () => { state = (Math.imul(state, 1103515245) + 12345) >>> 0; return state >>> 8; };
    const ascii = Array.from({ length: 40 }, () => { let t = ''; while (t.length < 256 + (next() % 400)) t += parts[next() % parts.length]; return t; });
    const repeated = [`${texts[0]!.slice(0, 1500)}\n\n${texts[0]!.slice(200, 1500)}`, 'the '.repeat(600), 'a b c d e f g '.repeat(80)];
    let hits = 0, kernelled = 0;
    for (const text of [...texts, ...extra, ...ascii, ...repeated]) {
      useKernel(false);
      const ref = prepare(text, o, plan, createTokens(), createFingerprints());
      useKernel(true);
      const got = prepare(text, o, plan, createTokens(), createFingerprints(true));
      expect(got.tokens.n).toBe(ref.tokens.n);
      expect(Array.from(got.tokens.hashes)).toEqual(Array.from(ref.tokens.hashes));
      expect(spans(got.tokens)).toEqual(spans(ref.tokens));
      // the kernel's packed layout is byte for byte the JavaScript one
      expect(got.tokens.bytes).toEqual(ref.tokens.bytes);
      expect(got.tokens.anchors).toEqual(ref.tokens.anchors);
      expect(got.tokens.escapes).toEqual(ref.tokens.escapes);
      expect(got.signature).toEqual(ref.signature);
      expect(got.signature).toEqual(plan.hasher.signature(text));
      expect(Array.from(got.seeds)).toEqual(Array.from(ref.seeds));
      expect(Array.from(got.marks)).toEqual(Array.from(ref.marks));
      // the kernel's repeats are the seed table's (a text the kernel leaves to JavaScript has none)
      expect(ref.repeats).toBeUndefined();
      const r = got.repeats;
      if (!r) continue;
      kernelled++;
      const want = new SeedTable().repeats(ref.seeds, ref.marks, createRepeats());
      expect(Array.from(r.hits.subarray(0, 2 * r.nHits))).toEqual(Array.from(want.hits.subarray(0, 2 * want.nHits)));
      expect([Array.from(r.keys.subarray(0, r.n)), Array.from(r.pos.subarray(0, r.n))])
        .toEqual([Array.from(want.keys.subarray(0, want.n)), Array.from(want.pos.subarray(0, want.n))]);
      hits += r.nHits;
    }
    // the texts include repeats (a doubled paragraph, one word over and over)
    expect(hits).toBeGreaterThan(1000);
    expect(kernelled).toBeGreaterThan(40);
  });

  it('handles invalid UTF-8 as the JavaScript path does', () => {
    const bytes = Buffer.concat([Buffer.from('abc '.repeat(100)), Buffer.from([0xff, 0x61, 0xc3, 0x28, 0xe2, 0x82, 0x20, 0xed, 0xa0, 0x80, 0x62]), Buffer.from(' xyz'.repeat(100))]);
    useKernel(false);
    const ref = view(tokenizeBytes(bytes, 3, createTokens()));
    useKernel(true);
    expect(view(tokenizeBytes(bytes, 3, createTokens()))).toEqual(ref);
  });

  it('gives the signature of the JavaScript path wherever a text is cut into two streams', () => {
    // without offsets the kernel tokenizes a text of 512 bytes or more as two halves, cut at the
    // first ASCII separator from the middle on: put words, non-ASCII letters, invalid bytes and no
    // separator at all around that point
    const h = new MinHasher({ seed: 5 });
    const around = ['word', 'été', '東京', '\u0301x', ' ', ',', '—'];
    const tails = [Buffer.from(' end of it all '.repeat(20)), Buffer.from('x'.repeat(300)), Buffer.from('é'.repeat(150))];
    for (const head of [' lead '.repeat(43), 'a'.repeat(256), 'ü'.repeat(128)]) {
      for (const mid of [...around.map((t) => Buffer.from(t)), Buffer.from([0xff, 0x61, 0xe2, 0x82, 0x20])]) {
        for (const tail of tails) {
          const bytes = Buffer.concat([Buffer.from(head), mid, tail]);
          useKernel(false);
          const ref = h.signature(bytes);
          useKernel(true);
          expect(h.signature(bytes)).toEqual(ref);
        }
      }
    }
  });

  it('sketches as the JavaScript path does for any shingle size and number of bins', () => {
    const texts = [...brownTexts(3), `${' '.repeat(300)}a b`, `${'- '.repeat(150)}one two three four`];
    for (const shingleSize of [1, 2, 3, 5, 9]) {
      for (const numPerm of [16, 128, 200]) {
        const h = new MinHasher({ seed: 7, shingleSize, numPerm });
        for (const text of texts) {
          useKernel(false);
          const ref = h.signature(text);
          useKernel(true);
          expect(h.signature(text)).toEqual(ref);
        }
      }
    }
  });

  it('grows its memory for a large text', () => {
    const text = brownTexts(40).join('\n');
    useKernel(false);
    const ref = view(tokenize(text, 1, createTokens()));
    useKernel(true);
    expect(view(tokenize(text, 1, createTokens()))).toEqual(ref);
  });

  it('gives the exact Jaccard of word shingle sets that the JavaScript table gives', () => {
    // the JavaScript reference: JaccardTable over rollingHashes (a text shorter than k is one shingle)
    const shingles = (h: Uint32Array, n: number, k: number) => { const out = new Uint32Array(Math.max(1, n)); return out.subarray(0, rollingHashes(h, n, k, out)); };
    const table = new JaccardTable();
    const ref = (a: Uint32Array, b: Uint32Array, k: number) => { const sa = shingles(a, a.length, k), sb = shingles(b, b.length, k); table.load(sa, sa.length); return table.against(sb, sb.length); };
    // token hashes over a small vocabulary (repeated shingles), edited copies, texts shorter than a shingle, empty ones
    const random = rng(7), next = () => Math.floor(random() * 2 ** 31);
    const words = (n: number, vocab: number) => Uint32Array.from({ length: n }, () => next() % vocab);
    const cases: [Uint32Array, Uint32Array][] = [[new Uint32Array(0), new Uint32Array(0)], [words(3, 50), words(3, 50)], [new Uint32Array(0), words(40, 9)]];
    for (let i = 0; i < 40; i++) {
      const a = words(1 + (next() % 600), 2 + (next() % 300));
      const b = a.slice();
      for (let e = next() % 30; e > 0; e--) b[next() % b.length] = next() % 1000;
      cases.push([a, i % 3 === 0 ? b.subarray(next() % b.length) : b]);
    }
    let fractional = 0;
    for (const [a, b] of cases) for (const k of [1, 5, 9]) {
      const want = ref(a, b, k), got = kernelJaccard(a, a.length, b, b.length, k);
      expect(got).toBe(want);
      if (want > 0 && want < 1) fractional++;
    }
    expect(fractional).toBeGreaterThan(60);
    useKernel(false);
    expect(kernelJaccard(cases[4]![0], cases[4]![0].length, cases[4]![1], cases[4]![1].length, 5)).toBeUndefined();
  });

  it('gives a scan the same report as the JavaScript paths', async () => {
    // the news slice (syndicated copies, boilerplate, near-duplicates): tokens, repeats, exact
    // Jaccard of candidates and the grouping all run in the kernel, or all in JavaScript
    const docs = newsSlice();
    const on = await scan(docs);
    useKernel(false);
    const off = await scan(docs);
    expect(on.nearDuplicates.length).toBeGreaterThan(0);
    expect(on.passages.length).toBeGreaterThan(0);
    expect(on).toEqual(off);
  });

  it('takes a text whose buffers take its memory past 2 GB', () => {
    // TextEncoder.encodeInto writes nothing into a view of 2^31 bytes or more: such a text once
    // came out with no tokens at all
    const text = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(1_000_000);
    const o = parseOptions(scanOptionsSchema, {});
    useKernel(false);
    const ref = tokenize(text, 1, createTokens());
    useKernel(true);
    const got = prepare(text, o, planOf(o), createTokens(), createFingerprints(true));
    expect(got.tokens.n).toBe(ref.count);
    expect(ref.count).toBe(8_000_000);
    for (const at of [0, 4_000_000, 7_999_000]) expect(Array.from(got.tokens.hashes.subarray(at, at + 1000))).toEqual(Array.from(ref.hashes.subarray(at, at + 1000)));
    // one sentence over and over: every seed after the first sentence's repeats an earlier one.
    // The repeats' buffers lie past 2 GB in the kernel's memory, and come out as the seed table's
    const r = got.repeats!, want = new SeedTable().repeats(got.seeds, got.marks, createRepeats());
    expect([r.nHits, r.n]).toEqual([got.seeds.length - 8, want.n]);
    expect(want.nHits).toBe(r.nHits);
    let differ = 0;
    for (let x = 0; x < 2 * r.nHits; x++) if (r.hits[x] !== want.hits[x]) differ++;
    for (let x = 0; x < r.n; x++) if (r.keys[x] !== want.keys[x] || r.pos[x] !== want.pos[x]) differ++;
    expect(differ).toBe(0);
  });
});
