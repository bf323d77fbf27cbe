import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode, openIndex, scan, type Report, type ScanOptions } from 'reprint';
import { generateCorpus } from '../corpus/generate.js';
import { jsonlBlocks, type Manifest } from 'reprint/internal';
import { newsSlice } from './helpers/text.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'reprint-index-'));
// planted doubles, syndication and outlet footers: every kind of match crosses batch boundaries
const corpus: { id: string; text: string }[] = generateCorpus(1200).documents.map((d: { id: string; text: string }) => ({ id: d.id, text: d.text }));

/** What must not depend on batching: every alignment, pair and repeat, as comparable strings. */
function found(reports: Report[]): { alignments: string[]; pairs: string[]; repeats: string[] } {
  const sorted = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).sort();
  return {
    alignments: sorted(reports.flatMap((r) => r.alignments ?? [])),
    pairs: sorted(reports.flatMap((r) => r.nearDuplicates)),
    repeats: sorted(reports.flatMap((r) => r.repeats.map((x) => ({ doc: x.doc, copies: x.copies })))),
  };
}

async function inBatches(dir: string, docs: { id: string; text: string }[], sizes: number[], options: ScanOptions): Promise<Report[]> {
  const out: Report[] = [];
  let at = 0;
  for (const n of sizes) {
    const index = await openIndex(dir, options);
    out.push(await index.add(docs.slice(at, at += n)));
  }
  expect(at).toBe(docs.length);
  return out;
}

/** The index directory's files and the manifest's bytes: what "nothing changed" compares. */
function snapshot(dir: string): string {
  return JSON.stringify({ files: readdirSync(join(dir, 'segments')).sort(), manifest: readFileSync(join(dir, 'manifest.json'), 'utf8') });
}

describe('persistent index', () => {
  it('finds in batches what one scan of the whole corpus finds in the same order', async () => {
    for (const options of [{}, { exact: false }, { maxPairCandidates: 2, maxPostings: 1, maxCandidates: 2 }] as ScanOptions[]) {
      const whole = await scan(corpus, { ...options, alignments: true });
      const batches = await inBatches(scratch(), corpus, [100, 1, 650, 449], { ...options, alignments: true });
      const a = found([whole]), b = found(batches);
      expect(a.alignments.length).toBeGreaterThan(500);
      expect(a.pairs.length).toBeGreaterThan(50);
      expect(a.repeats.length).toBeGreaterThan(30);
      expect(b).toEqual(a);
      // each batch reports its own documents; earlier ones are named only where matches reach them
      expect(batches.map((r) => r.totals.documents)).toEqual([100, 1, 650, 449]);
      // the last batch's clusters are the whole corpus's clusters that reach it, earlier documents included
      const wholeCluster = (doc: string) => whole.clusters.find((c) => c.docs.includes(doc))!.docs;
      const lastIds = new Set(corpus.slice(751).map((d) => d.id));
      const reached = whole.clusters.filter((c) => c.docs.some((d) => lastIds.has(d)));
      expect(reached.length).toBeGreaterThan(5);
      expect(batches[3]!.clusters.map((c) => c.docs)).toEqual(reached.map((c) => c.docs));
      expect(batches[3]!.clusters.every((c) => JSON.stringify(wholeCluster(c.docs[0]!)) === JSON.stringify(c.docs))).toBe(true);
      // a batch's clusters name earlier batches' documents where pairs reach them
      const starts = [0, 100, 101, 751];
      expect(batches.some((r, k) => r.clusters.some((c) => c.docs.some((d) => corpus.findIndex((x) => x.id === d) < starts[k]!)))).toBe(true);
      const laterBatch = batches[3]!;
      expect(laterBatch.passages.some((p) => p.occurrences.some((o) => corpus.findIndex((d) => d.id === o.doc) < 751))).toBe(true);
    }
  }, 120_000);

  it('adds a batch on worker threads as on one (the texts written as they are read, or sent back by the workers that parsed the lines), and queries alike', async () => {
    // past the 8 MB a pool reads before it starts workers, so most batches are prepared on one
    const big = generateCorpus(6000).documents.map((d: { id: string; text: string }) => ({ id: d.id, text: d.text }));
    expect(big.reduce((n: number, d: { text: string }) => n + d.text.length, 0)).toBeGreaterThan(12 << 20);
    // a pause once the workers have started, so that they load while the rest waits for them
    const paced = async function* (docs: { id: string; text: string }[]) {
      for (const [k, d] of docs.entries()) { if (k === 3500) await new Promise((r) => setTimeout(r, 1500)); yield d; }
    };
    const one = scratch(), two = scratch();
    const r1 = await (await openIndex(one, { jobs: 1 })).add(big.slice(0, 5000));
    const r2 = await (await openIndex(two, { jobs: 2 })).add(paced(big.slice(0, 5000)));
    expect({ ...r2, options: { ...r2.options, jobs: 1 } }).toEqual(r1);
    // JSONL lines that workers parse, their texts sent back as UTF-8 for the docs segment
    const three = scratch(), file = join(three, '..', `${three.split('/').pop()}.jsonl`);
    writeFileSync(file, big.slice(0, 5000).map((d) => JSON.stringify(d)).join('\n') + '\n');
    let progressed = 0, read = false;
    const r3 = await (await openIndex(three, { jobs: 2 })).addLines(jsonlBlocks([file]), { textField: 'text', idField: 'id' }, { onProgress: (n) => { progressed = n; }, onRead: () => { read = true; } });
    expect({ ...r3, options: { ...r3.options, jobs: 1 } }).toEqual(r1);
    expect([progressed, read]).toEqual([5000, true]);
    const docsOf = (dir: string) => readFileSync(join(dir, (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest).segments.find((x) => x.table === 'docs')!.file));
    expect(docsOf(two).equals(docsOf(one))).toBe(true);
    expect(docsOf(three).equals(docsOf(one))).toBe(true);
    // the earlier documents a query aligns with are read back on the workers and this thread
    const q1 = await (await openIndex(one, { jobs: 1 })).query(big.slice(5000)), q2 = await (await openIndex(two, { jobs: 2 })).query(big.slice(5000));
    expect({ ...q2, options: { ...q2.options, jobs: 1 } }).toEqual(q1);
    expect(q1.passages.length).toBeGreaterThan(10);
  }, 120_000);

  it('queries without committing, and keeps answering the same after compaction', async () => {
    const dir = scratch();
    await inBatches(dir, corpus.slice(0, 900), [300, 300, 300], {});
    const index = await openIndex(dir);
    const before = snapshot(dir);
    const q1 = await index.query(corpus.slice(900));
    expect(snapshot(dir)).toBe(before);
    expect(index.stats()).toMatchObject({ documents: 900, batches: 3, segments: 12 });
    const listed = (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest).segments.map((x) => x.file);
    const stats = await index.compact();
    expect(stats).toMatchObject({ documents: 900, batches: 3, segments: 6 });
    // the segments compaction replaced stay on disk for a query that listed them before it
    const compacted = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    const replaced = listed.filter((f) => !compacted.segments.some((x) => x.file === f));
    expect(replaced).toHaveLength(9);
    expect(compacted.retired!.map((r) => r.file)).toEqual(replaced);
    expect(readdirSync(join(dir, 'segments'))).toHaveLength(6 + 9);
    const q2 = await (await openIndex(dir)).query(corpus.slice(900));
    expect(q2).toEqual(q1);
    expect(q1.passages.length).toBeGreaterThan(10);
    // an hour on, the next writer deletes them
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...compacted, retired: compacted.retired!.map((r) => ({ ...r, since: r.since - 3_600_000 })) }));
    const added = await (await openIndex(dir)).add(corpus.slice(900));
    expect(added).toEqual(q1);
    const after = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(after.retired).toBeUndefined();
    expect(readdirSync(join(dir, 'segments')).map((f) => `segments/${f}`).sort()).toEqual(after.segments.map((x) => x.file).sort());
    const texts = await (await openIndex(dir)).texts([corpus[5]!.id, 'no such id']);
    expect([...texts]).toEqual([[corpus[5]!.id, corpus[5]!.text]]);
  }, 120_000);

  it('refuses bad input with a coded error and leaves the index as it was', async () => {
    const dir = scratch();
    const docs = newsSlice();
    await (await openIndex(dir)).add(docs.slice(0, 100));
    const before = snapshot(dir);
    const refused = async (f: () => Promise<unknown>, code: string, message: RegExp) => {
      await expect(f()).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
      expect(snapshot(dir)).toBe(before);
    };
    // a document id the index holds, and one given twice in a batch
    await refused(async () => (await openIndex(dir)).add(docs.slice(99, 120)), ErrorCode.DUPLICATE_ID, new RegExp(`document id "${docs[99]!.id}" is in the index already`));
    await refused(async () => (await openIndex(dir)).add([docs[150]!, docs[150]!]), ErrorCode.DUPLICATE_ID, /must be unique/);
    // options that differ from the index's (per-run options may differ)
    await refused(() => openIndex(dir, { threshold: 0.5 }), ErrorCode.INDEX_OPTIONS, /threshold must match the index's \(0\.8\).*got 0\.5/);
    await expect(openIndex(dir, { jobs: 2, alignments: true, threshold: 0.8 })).resolves.toBeDefined();
    // another writer holds the lock (this process is alive)
    writeFileSync(join(dir, 'writer.lock'), JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname() }));
    await refused(async () => (await openIndex(dir)).add(docs.slice(120, 130)), ErrorCode.INDEX_LOCKED, /locked by another writer \(pid \d+/);
    await refused(async () => (await openIndex(dir)).compact(), ErrorCode.INDEX_LOCKED, /locked/);
    // a lock left by a process that is gone is taken over
    writeFileSync(join(dir, 'writer.lock'), JSON.stringify({ pid: 2 ** 22 + 17, host: (await import('node:os')).hostname() }));
    const ok = await (await openIndex(dir)).add(docs.slice(120, 130));
    expect(ok.totals.documents).toBe(10);

    // a directory that is not an index, and a manifest from a newer version
    const other = scratch();
    writeFileSync(join(other, 'notes.txt'), 'not an index');
    await expect(openIndex(other)).rejects.toMatchObject({ code: ErrorCode.NOT_AN_INDEX, message: expect.stringMatching(/is not a reprint index: it has no manifest\.json/) });
    await expect(openIndex(join(other, 'missing'), {}, { create: false })).rejects.toMatchObject({ code: ErrorCode.NOT_AN_INDEX, message: expect.stringMatching(/it does not exist/) });
    const newer = scratch();
    mkdirSync(join(newer, 'segments'));
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    writeFileSync(join(newer, 'manifest.json'), JSON.stringify({ ...manifest, version: 99 }));
    await expect(openIndex(newer)).rejects.toMatchObject({ code: ErrorCode.INDEX_VERSION, message: expect.stringMatching(/index format 99, newer than this reprint reads \(1\)/) });
    expect(readFileSync(join(newer, 'manifest.json'), 'utf8')).toContain('"version":99');
  }, 120_000);
});
