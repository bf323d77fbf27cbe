import { describe, expect, it } from 'vitest';
import { Corpus, IdTable } from '../src/corpus.js';
import { ErrorCode } from '../src/errors.js';
import { FingerprintIndex } from '../src/fingerprints.js';
import { brownTexts, newsSlice, rng } from './helpers/text.js';

describe('Corpus: many copies of one document', () => {
  it('makes one cluster of them with at most maxPairCandidates pairs a copy, not every pair', () => {
    const text = brownTexts(1)[0]!.slice(0, 3000);
    const n = 3000;
    const corpus = new Corpus({ passages: false });
    for (let i = 0; i < n; i++) {
      const r = corpus.add({ id: `copy-${i}`, text });
      expect(r.nearDuplicates.length).toBe(Math.min(i, 16));
      expect(r.nearDuplicates.every((x) => x.similarity === 1)).toBe(true);
    }
    const report = corpus.report();
    expect(report.clusters).toHaveLength(1);
    expect(report.clusters[0]!.docs).toHaveLength(n);
    expect(report.nearDuplicates).toHaveLength(16 * n - (16 * 17) / 2);
    expect(report.options.maxPairCandidates).toBe(16);
    // without the bound, every pair
    const all = new Corpus({ passages: false, maxPairCandidates: 1 << 20 });
    for (let i = 0; i < 200; i++) all.ingest({ id: `copy-${i}`, text });
    expect(all.report().nearDuplicates).toHaveLength((200 * 199) / 2);
  });
});

describe('Corpus (incremental)', () => {
  const [a, b, c] = brownTexts(3).map((t) => t.slice(0, 4000));
  const disclaimer = 'Legal notice: the publisher provides this information as is without warranty of any kind and accepts no responsibility for its accuracy, completeness or legality in any jurisdiction whatsoever.';

  it('tells what each new document repeats from itself and from earlier ones', () => {
    const corpus = new Corpus();
    const first = corpus.add({ id: 'one', text: `${a}\n${disclaimer}` });
    expect(first).toEqual({ id: 'one', internal: [], matches: [], nearDuplicates: [] });
    const second = corpus.add({ id: 'two', text: `${b}\n${disclaimer}\n${b}` });
    expect(second.internal).toHaveLength(1);
    expect(second.internal[0]!.otherStart).toBe(0);
    expect(second.matches).toHaveLength(1);
    const m = second.matches[0]!;
    expect(m.doc).toBe('one');
    expect(`${b}\n${disclaimer}\n${b}`.slice(m.start, m.end)).toBe(disclaimer);
    const third = corpus.add({ id: 'three', text: `${a}\n${disclaimer}` });
    expect(third.nearDuplicates).toEqual([{ id: 'one', similarity: 1 }]);
    expect(corpus.size).toBe(3);
    const report = corpus.report();
    expect(report.nearDuplicates).toEqual([{ a: 'one', b: 'three', similarity: 1 }]);
    expect(report.clusters).toEqual([{ docs: ['one', 'three'] }]);
    // the disclaimer is shared by all three and ranks first
    expect(report.passages[0]!.documents).toBe(3);
    expect(report.documents.map((d) => d.id)).toEqual(['one', 'two', 'three']);
    void c;
  });

  it('ingests documents for the report alone: the same report as add, ids checked, nothing returned', () => {
    const docs = newsSlice();
    const added = new Corpus(), ingested = new Corpus();
    for (const d of docs) { added.add(d); expect(ingested.ingest(d)).toBeUndefined(); }
    const report = ingested.report();
    expect(report).toEqual(added.report());
    expect(report.passages.length).toBeGreaterThan(10);
    expect(report.nearDuplicates.length).toBeGreaterThan(5);
    expect(() => ingested.ingest(docs[0]!)).toThrow(expect.objectContaining({ code: ErrorCode.DUPLICATE_ID }));
    // a malformed document takes no id
    expect(() => ingested.ingest({ id: 'late', text: 42 } as never)).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_INPUT }));
    ingested.ingest({ id: 'late', text: 'now with text' });
    expect(ingested.size).toBe(docs.length + 1);
  });

  it('grows its indexes at once when told how much more is coming, with the same report', () => {
    const docs = newsSlice();
    const plain = new Corpus(), reserved = new Corpus();
    const tenth = Math.ceil(docs.length / 10);
    for (const d of docs.slice(0, tenth)) { plain.ingest(d); reserved.ingest(d); }
    const before = reserved.memory();
    reserved.reserve(10);
    const after = reserved.memory();
    expect(after.fingerprintBytes).toBeGreaterThanOrEqual(4 * before.fingerprintBytes);
    expect(after.lshBytes).toBeGreaterThan(before.lshBytes);
    // nothing to grow for a factor of 1 or less
    reserved.reserve(1); reserved.reserve(0.5); reserved.reserve(Number.NaN);
    expect(reserved.memory()).toEqual(after);
    for (const d of docs.slice(tenth)) { plain.ingest(d); reserved.ingest(d); }
    // the plain corpus's tables doubled their way up to no larger
    expect(reserved.memory().fingerprintBytes).toBeGreaterThanOrEqual(plain.memory().fingerprintBytes);
    expect(reserved.report()).toEqual(plain.report());
  });

  it('rejects duplicate ids and malformed documents with codes', () => {
    const corpus = new Corpus();
    corpus.add({ id: 'x', text: 'hello' });
    expect(() => corpus.add({ id: 'x', text: 'again' })).toThrow(expect.objectContaining({ code: ErrorCode.DUPLICATE_ID }));
    expect(() => corpus.add({ id: 'y' } as never)).toThrow('document 2 must be { id: string, text: string }, got { id: string, text: undefined }');
    expect(() => new Corpus({ threshold: 1.5 })).toThrow('threshold must be in [0, 1], got 1.5');
    expect(() => new Corpus({ minWords: 1 })).toThrow('minWords must be an integer in [2, 100000], got 1');
  });

  it('refuses a document past the fingerprint index token limit, adding nothing and leaving its id free', () => {
    const corpus = new Corpus();
    // the limit is 2^31 - 2 tokens: a corpus with a smaller index stands in for a huge one
    (corpus as unknown as { index: FingerprintIndex }).index = new FingerprintIndex(corpus.options.maxPostings, undefined, 1000);
    corpus.add({ id: 'a', text: a! });
    const before = corpus.report();
    expect(() => corpus.add({ id: 'b', text: b! })).toThrow(expect.objectContaining({ code: ErrorCode.CAPACITY, message: expect.stringMatching(/at most 1000 tokens, got \d+ with document 2: split the corpus/) }));
    expect(corpus.size).toBe(1);
    expect(corpus.report()).toEqual(before);
    // the id is free, and a short document still fits
    corpus.add({ id: 'b', text: 'a short second document' });
    expect(corpus.size).toBe(2);
  });

  it('aligns boilerplate with one earlier copy, and still groups every copy', () => {
    const texts = brownTexts(7).map((t) => t.slice(0, 1500));
    const footer = 'About this site: ' + texts[6]!.slice(0, 400);
    const corpus = new Corpus();
    const results = texts.slice(0, 6).map((t, i) => corpus.add({ id: `page-${i}`, text: `${t}\n${footer}` }));
    // the last page's footer hits every earlier copy, and is matched once
    const last = results[5]!;
    expect(last.matches.length).toBe(1);
    expect(last.matches[0]!.words).toBeGreaterThan(60);
    const report = corpus.report();
    const group = report.passages.find((p) => p.documents === 6)!;
    expect(group.occurrences.map((o) => o.doc)).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4', 'page-5']);
    for (const o of group.occurrences) expect(o.end - o.start).toBeGreaterThan(390);
  });

  it('keeps token arrays and fingerprints, not texts: bounded bytes per document', () => {
    const corpus = new Corpus();
    const docs = newsSlice();
    let chars = 0;
    for (const d of docs) { corpus.add(d); chars += d.text.length; }
    const mem = corpus.memory();
    // about 6.3 bytes a token (hash and packed offsets) is about 1.1 bytes a character of English
    expect(mem.tokenBytes / chars).toBeLessThan(1.5);
    // verified exactly, pairs need no stored signatures; by estimate, the LSH index keeps them
    // (512 bytes each, in chunks of 256)
    const estimated = new Corpus({ exact: false });
    for (const d of docs) estimated.add(d);
    expect(estimated.memory().lshBytes - mem.lshBytes).toBe(Math.ceil(docs.length / 256) * 256 * 512);
    expect(estimated.memory().tokenBytes).toBe(mem.tokenBytes);
  });
});

describe('IdTable', () => {
  it('tells taken ids as a set does, through growth and releases', () => {
    // a model: the ids of added documents in a Set; each step claims a new id, an added one, or
    // claims one and gives it back (a document that failed)
    const random = rng(3), next = () => Math.floor(random() * 2 ** 20);
    const t = new IdTable(), ids: string[] = [], model = new Set<string>();
    let refused = 0, released = 0;
    for (let step = 0; step < 20000; step++) {
      const r = next() % 10;
      const id = r < 2 && ids.length ? ids[next() % ids.length]! : `doc-${next() % 30000}`;
      const ok = t.claim(id, ids);
      expect(ok).toBe(!model.has(id));
      if (!ok) { refused++; continue; }
      if (r === 9) { t.release(ids); released++; continue; }
      ids.push(id); model.add(id);
    }
    expect(refused).toBeGreaterThan(3000);
    expect(released).toBeGreaterThan(1000);
    // every added id is still found; a release after the document was added gives nothing back
    for (const id of ids) expect(t.claim(id, ids)).toBe(false);
    expect(t.claim('new', ids)).toBe(true);
    ids.push('new');
    t.release(ids);
    expect(t.claim('new', ids)).toBe(false);
  });
});
