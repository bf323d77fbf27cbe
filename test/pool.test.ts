import { describe, expect, it } from 'vitest';
import { Corpus } from 'reprint';
// the worker is loaded from dist/worker.js, so the pool is tested from dist too
import { preparePool, type PreparedBatch } from '../dist/pool.js';
import { planOf, prepareBytes } from '../src/prepare.js';
import { createFingerprints } from '../src/kernel.js';
import { parseOptions, scanOptionsSchema } from '../src/options.js';
import { SeedTable, createRepeats, type Repeats } from '../src/seeds.js';
import { BatchPacker, unpackPrepared } from '../src/pool.js';
import { createTokens } from '../src/tokenize.js';
import { brownTexts, manyBatches } from './helpers/text.js';

// six batches of 256 documents
const many = manyBatches();

/** The report of the documents added on the calling thread alone. */
function local(list: { id: string; text: string }[]) {
  const c = new Corpus();
  for (const d of list) c.ingest(d);
  return c.report();
}

/** Run the batches of a pool into a corpus; returns the report and which batches a worker prepared. */
async function run(list: { id: string; text: string }[], waitForWorker: boolean, spawnChars = 0, keepTexts = true) {
  const corpus = new Corpus({ jobs: 2 });
  const pool = preparePool(corpus.options, { spawnChars, keepTexts });
  const byWorker: boolean[] = [];
  let at = 0;
  try {
    if (waitForWorker) await pool.ready();
    for await (const b of pool.batches(list) as AsyncGenerator<PreparedBatch>) {
      byWorker.push(b.prepared !== null);
      // ids in input order; the documents too, unless a worker has their texts and the pool need not keep them
      expect(b.ids).toEqual(list.slice(at, at += b.ids.length).map((d) => d.id));
      expect(b.docs.map((d) => d.id)).toEqual(keepTexts || !b.prepared ? b.ids : []);
      for (let i = 0; i < b.ids.length; i++) {
        if (b.prepared) corpus.ingestPrepared(b.ids[i]!, b.prepared[i]!); else corpus.ingest(b.docs[i]!);
      }
    }
    expect(at).toBe(list.length);
  } finally {
    await pool.close();
  }
  const report = corpus.report();
  return { report: { ...report, options: { ...report.options, jobs: 1 } }, byWorker };
}

describe('BatchPacker', () => {
  it('packs each document with its repeats, found by the kernel or here, and unpacks them as they were', () => {
    const o = parseOptions(scanOptionsSchema, {});
    const plan = planOf(o);
    const [a, b] = brownTexts(2) as [string, string];
    // kernel texts with and without repeats, texts short enough for the JavaScript path, an empty one
    const texts = [a, `${a.slice(0, 1200)} ${a.slice(100, 1200)}`, 'the cat sat on the mat and the cat sat on the mat again', b, 'short', '', 'one two '.repeat(100), b.slice(0, 200)];
    const encoder = new TextEncoder();
    const parts = texts.map((t) => encoder.encode(t));
    const bytes = new Uint8Array(parts.reduce((s, x) => s + x.length, 0));
    const offs = new Int32Array(3 * texts.length);
    let at = 0;
    parts.forEach((x, i) => { bytes.set(x, at); offs[3 * i] = at; offs[3 * i + 1] = x.length; offs[3 * i + 2] = texts[i]!.length; at += x.length; });
    const fp = createFingerprints(true), arena = createTokens();
    const packed = new BatchPacker().pack(bytes, offs, (x, units, store) => prepareBytes(x, units, o, plan, arena, fp, store));
    const got = unpackPrepared(packed, o.numPerm);
    const flat = (r: Repeats) => [Array.from(r.hits.subarray(0, 2 * r.nHits)), Array.from(r.keys.subarray(0, r.n)), Array.from(r.pos.subarray(0, r.n))];
    let hits = 0;
    got.forEach((p, i) => {
      expect(p.chars).toBe(texts[i]!.length);
      expect(p.signature).toEqual(plan.hasher.signature(texts[i]!));
      const want = new SeedTable().repeats(p.seeds, p.marks, createRepeats());
      expect(flat(p.repeats!)).toEqual(flat(want));
      hits += p.repeats!.nHits;
    });
    expect(hits).toBeGreaterThan(100);
  });
});

describe('preparePool', () => {
  it('prepares every batch on a worker once one is ready, as the calling thread would, reusing scratch buffers', async () => {
    const { report, byWorker } = await run(many, true);
    expect(byWorker).toEqual([true, true, true, true, true, true]);
    expect(report).toEqual(local(many));
    expect(report.passages.length).toBeGreaterThan(10);
  });

  it('drops the texts of batches a worker has when asked to, and prepares them alike', async () => {
    const { report, byWorker } = await run(many, true, 0, false);
    expect(byWorker).toEqual([true, true, true, true, true, true]);
    expect(report).toEqual(local(many));
  });

  it('leaves the batches no worker was ready for to the calling thread, in input order', async () => {
    // workers start at once, but the first batch closes long before one has loaded (about 0.2 s)
    const { report, byWorker } = await run(many.slice(0, 600), false);
    expect(byWorker).toHaveLength(3);
    expect(byWorker[0]).toBe(false);
    expect(report).toEqual(local(many.slice(0, 600)));
  });

  it('starts no worker for a scan shorter than spawnChars', async () => {
    const chars = many.reduce((s, d) => s + d.text.length, 0);
    const { report, byWorker } = await run(many, false, chars + 1);
    expect(byWorker).toEqual([false, false, false, false, false, false]);
    expect(report).toEqual(local(many));
  });
});
