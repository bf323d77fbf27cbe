import { describe, expect, it } from 'vitest';
import { Corpus } from 'reprint';
// the worker is loaded from dist/worker.js, so the pool is tested from dist too
import { preparePool, type PreparedBatch } from '../dist/pool.js';
import { manyBatches } from './helpers/text.js';

// six batches of 256 documents
const many = manyBatches();

/** The report of the documents added on the calling thread alone. */
function local(list: { id: string; text: string }[]) {
  const c = new Corpus();
  for (const d of list) c.ingest(d);
  return c.report();
}

/** Run the batches of a pool into a corpus; returns the report and which batches a worker prepared. */
async function run(list: { id: string; text: string }[], waitForWorker: boolean, spawnChars = 0) {
  const corpus = new Corpus({ jobs: 2 });
  const pool = preparePool(corpus.options, { spawnChars });
  const byWorker: boolean[] = [];
  try {
    if (waitForWorker) await pool.ready();
    for await (const b of pool.batches(list) as AsyncGenerator<PreparedBatch>) {
      byWorker.push(b.prepared !== null);
      for (let i = 0; i < b.docs.length; i++) {
        if (b.prepared) corpus.ingestPrepared(b.docs[i]!.id, b.prepared[i]!); else corpus.ingest(b.docs[i]!);
      }
    }
  } finally {
    await pool.close();
  }
  const report = corpus.report();
  return { report: { ...report, options: { ...report.options, jobs: 1 } }, byWorker };
}

describe('preparePool', () => {
  it('prepares every batch on a worker once one is ready, as the calling thread would, reusing scratch buffers', async () => {
    const { report, byWorker } = await run(many, true);
    expect(byWorker).toEqual([true, true, true, true, true, true]);
    expect(report).toEqual(local(many));
    expect(report.passages.length).toBeGreaterThan(10);
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
