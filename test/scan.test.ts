import { describe, expect, it } from 'vitest';
import { scan } from 'reprint';
import { corpusTruth, evaluate } from '../bench/quality.js';
import { fixture, manyBatches, newsSlice } from './helpers/text.js';

const docs = newsSlice();
const truth = JSON.parse(fixture('news-slice.truth.json'));

describe('scan', () => {
  it('meets the quality floors on the committed slice of the benchmark corpus (truth by independent code)', async () => {
    const report = await scan(docs);
    const q = evaluate(report, docs, corpusTruth(docs, { planted: truth.internal, families: truth.families }));
    expect(q.blocks).toBeGreaterThan(5);
    expect(q.pairs.truth).toBeGreaterThan(10);
    expect(q.internalCoverage).toBeGreaterThanOrEqual(0.98);
    expect(q.wholeBlockRecall).toBeGreaterThanOrEqual(0.99);
    expect(q.coherence).toBeGreaterThanOrEqual(0.99);
    expect(q.crossCoverage).toBeGreaterThanOrEqual(0.97);
    expect(q.pairs.precision).toBeGreaterThanOrEqual(0.99);
    expect(q.pairs.recall).toBeGreaterThanOrEqual(0.99);
  });

  it('gives identical results with worker threads (jobs: 2) and from an async iterable', async () => {
    // texts the workers' kernel takes as UTF-8 bytes, and ones it hands to JavaScript: short,
    // non-ASCII, astral, a lone surrogate, with long tokens and gaps (escaped offsets)
    const extra = [
      { id: 'short', text: 'A short text, under 256 units.' },
      { id: 'cafe', text: 'Café naïve — «quoted» résumé; Ελληνικά Русский. '.repeat(12) },
      { id: 'cafe-copy', text: 'Preface. ' + 'Café naïve — «quoted» résumé; Ελληνικά Русский. '.repeat(12) },
      { id: 'astral', text: 'math 𝒳y and 𝒵 ﬁne Straße '.repeat(20) },
      { id: 'surrogate', text: 'lone \uD800 surrogate \uDC00 halves '.repeat(30) },
      { id: 'wide', text: ('x'.repeat(300) + ' '.repeat(200) + docs[0]!.text.slice(0, 400) + ' ').repeat(3) },
    ];
    const all = [...docs.slice(0, 120), ...extra];
    const one = await scan(all);
    async function* stream() { for (const d of all) yield d; }
    const two = await scan(stream(), { jobs: 2 });
    expect({ ...two, options: { ...two.options, jobs: 1 } }).toEqual(one);
    expect(one.repeats.some((r) => r.doc === 'cafe-copy') && one.repeats.some((r) => r.doc === 'cafe')).toBe(true);
    expect(one.passages.some((p) => p.occurrences.some((o) => o.doc === 'cafe-copy'))).toBe(true);
  });

  it('gives identical results over many batches with jobs: 2 (the pool tests cover the worker path alone)', async () => {
    const many = manyBatches();
    const one = await scan(many);
    const two = await scan(many, { jobs: 2 });
    expect({ ...two, options: { ...two.options, jobs: 1 } }).toEqual(one);
    expect(one.passages.length).toBeGreaterThan(10);
  });

  it('stays fast and compact on degenerate input', async () => {
    const report = await scan([
      { id: 'word', text: 'the '.repeat(300000) },
      { id: 'sentence', text: 'The quick brown fox jumps over the lazy dog near the river bank today. '.repeat(20000) },
      { id: 'letters', text: Array.from({ length: 2_000_000 }, (_, i) => String.fromCharCode(97 + ((i * 7919) % 26))).join('') },
    ]);
    expect(report.passages.length).toBeLessThanOrEqual(3);
    expect(JSON.stringify(report).length).toBeLessThan(4000);
  });

  it('reports progress and rejects what is not a document source', async () => {
    const seen: number[] = [];
    await scan(docs.slice(0, 5), {}, { onProgress: (n) => seen.push(n) });
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    await expect(scan(42 as never)).rejects.toThrow('documents must be an Iterable or AsyncIterable of { id, text }, got number');
  });
});
