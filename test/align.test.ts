import { describe, expect, it } from 'vitest';
import { Aligner, maximalSegments, spanSimilarity } from '../src/align.js';
import { seedsOf } from '../src/seeds.js';
import { keepTokens } from '../src/tokens.js';
import { tokenize } from '../src/tokenize.js';
import { brownTexts, rng } from './helpers/text.js';
import { lcsLength } from './helpers/similarity.js';

const opts = { minWords: 20, seedWords: 5, maxGap: 24, passageSimilarity: 0.8 };
const doc = (text: string) => keepTokens(text, tokenize(text, 1));
// words that are one token each (no hyphens, apostrophes or figures)
const words = brownTexts(1)[0]!.split(/\s+/).filter((w) => /^[A-Za-z]+$/.test(w));

/** Hits of every seed of A at the first position of the same seed in B. */
function align(A: ReturnType<typeof doc>, B: ReturnType<typeof doc>, o = opts) {
  const al = new Aligner(A, B, o);
  const sa = seedsOf(A, o.seedWords), sb = seedsOf(B, o.seedWords);
  const pos = new Map<number, number>();
  sb.forEach((h, j) => { if (!pos.has(h)) pos.set(h, j); });
  sa.forEach((h, i) => { const j = pos.get(h); if (j !== undefined) al.hit(i, j); });
  return al.edges(1, 0);
}

describe('Aligner', () => {
  it('chains exact runs across word edits into one passage with its similarity', () => {
    const text = words.slice(0, 300);
    const edited = text.map((w, i) => (i % 25 === 10 ? 'changed' : w));
    const edges = align(doc(edited.join(' ')), doc(text.join(' ')));
    expect(edges).toHaveLength(1);
    expect(edges[0]!.aEnd - edges[0]!.aStart).toBeGreaterThan(295);
    expect(edges[0]!.similarity).toBeGreaterThan(0.93);
    expect(edges[0]!.similarity).toBeLessThan(1);
  });

  it('keeps a run when a chain on another diagonal lies ahead of it: a doubled body against one copy', () => {
    const body = words.slice(0, 120).join(' ');
    const edges = align(doc(`${body} ${body}`), doc(body));
    expect(edges.map((e) => [e.aStart, e.aEnd, e.bStart, e.bEnd, e.similarity])).toEqual([[0, 120, 0, 120, 1], [120, 240, 0, 120, 1]]);
  });

  it('keeps two exact runs of minWords across a one-sided 15-word gap (the chain alone would fail)', () => {
    const r1 = words.slice(0, 20), r2 = words.slice(20, 40), gap = words.slice(500, 515);
    const edges = align(doc([...r1, ...gap, ...r2].join(' ')), doc([...r1, ...r2].join(' ')));
    // as one chain: 40 matched words over 55 is under 0.8
    expect(edges.map((e) => [e.aStart, e.aEnd, e.bStart, e.bEnd, e.similarity])).toEqual([[0, 20, 0, 20, 1], [35, 55, 20, 40, 1]]);
  });

  it('keeps the passing parts of a chain that fails, each at least passageSimilarity similar', () => {
    // 100 clean words, then 60 words with every third one changed, then 100 clean words
    const text = words.slice(0, 260);
    const edited = text.map((w, i) => (i >= 100 && i < 160 && i % 3 === 0 ? `x${i}` : w));
    const edges = align(doc(edited.join(' ')), doc(text.join(' ')));
    expect(edges.length).toBeGreaterThanOrEqual(2);
    for (const e of edges) expect(e.similarity).toBeGreaterThanOrEqual(0.8);
    const covered = edges.reduce((s, e) => s + e.aEnd - e.aStart, 0);
    expect(covered).toBeGreaterThanOrEqual(200);
  });

  it('passes over chains made only of short runs (lists in one template)', () => {
    const row = (i: number) => `libs log test run file${i} cpp`;
    const a = Array.from({ length: 40 }, (_, i) => row(i)).join(' '), b = Array.from({ length: 40 }, (_, i) => row(i + 100)).join(' ');
    expect(align(doc(a), doc(b))).toEqual([]);
  });

  it('drops runs shorter than minWords and stays linear on "the the the"', () => {
    expect(align(doc('alpha beta gamma delta epsilon zeta eta theta unrelated words follow here'), doc('alpha beta gamma delta epsilon zeta eta theta and then something else entirely'))).toEqual([]);
    const many = doc('the '.repeat(200000));
    const self = new Aligner(many, many, opts);
    const seeds = seedsOf(many, 5);
    for (let i = 1; i < seeds.length; i++) self.hit(i, 0);
    const edges = self.edges(0, 0);
    expect(edges).toHaveLength(1);
    expect(edges[0]!.aEnd - edges[0]!.aStart).toBe(many.n - 1);
  });
});

describe('maximalSegments', () => {
  it('finds the maximal scoring segments of Ruzzo and Tompa\'s example', () => {
    expect(maximalSegments([4, -5, 3, -3, 1, 2, -2, 2, -2, 1, 5])).toEqual([[0, 0], [2, 2], [4, 10]]);
  });

  it('gives disjoint positive segments that no neighbour extends, on random scores', () => {
    const next = rng(11);
    for (let t = 0; t < 200; t++) {
      const s = Array.from({ length: 1 + Math.floor(next() * 40) }, () => Math.round((next() - 0.55) * 20));
      const segs = maximalSegments(s);
      const sum = (f: number, l: number) => s.slice(f, l + 1).reduce((x, y) => x + y, 0);
      let prevEnd = -1;
      for (const [f, l] of segs) {
        expect(f).toBeGreaterThan(prevEnd);
        expect(sum(f, l)).toBeGreaterThan(0);
        // no proper prefix or suffix scores <= 0 (else the segment would not be maximal)
        for (let k = f; k < l; k++) { expect(sum(f, k)).toBeGreaterThan(0); expect(sum(k + 1, l)).toBeGreaterThan(0); }
        prevEnd = l;
      }
      // the best segment anywhere is one of them
      let best = 0;
      for (let f = 0; f < s.length; f++) for (let l = f; l < s.length; l++) best = Math.max(best, sum(f, l));
      expect(segs.length ? Math.max(...segs.map(([f, l]) => sum(f, l))) : 0).toBe(best);
    }
  });
});

describe('spanSimilarity', () => {
  it('is 1 for the same words, the length ratio at most, and a lower bound of the LCS similarity', () => {
    const text = words.slice(0, 200), A = doc(text.join(' '));
    expect(spanSimilarity(A, 0, 200, A, 0, 200, opts)).toBe(1);
    expect(spanSimilarity(A, 0, 100, A, 0, 200, opts)).toBe(0.5);
    const next = rng(4);
    for (let t = 0; t < 20; t++) {
      const rate = 0.02 + 0.1 * next();
      const edited = text.flatMap((w) => (next() < rate ? (next() < 0.5 ? [] : ['inserted', w]) : [w]));
      const B = doc(edited.join(' '));
      const s = spanSimilarity(A, 0, A.n, B, 0, B.n, opts);
      const truth = lcsLength(text.map((w) => w.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')), edited.map((w) => w.toLowerCase().replace(/[^\p{L}\p{N}]/gu, ''))) / Math.max(A.n, B.n);
      expect(s).toBeLessThanOrEqual(truth + 1e-9);
      expect(s).toBeGreaterThan(truth - 0.15);
    }
  });
});
