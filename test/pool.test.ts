import { describe, expect, it } from 'vitest';
import { Corpus } from 'reprint';
// the worker is loaded from dist/worker.js, so the pool is tested from dist too
import { preparePool, type PreparedBatch } from '../dist/pool.js';
import type { LineBlock } from '../src/input.js';
import { planOf, prepareBytes } from '../src/prepare.js';
import { createFingerprints } from '../src/kernel.js';
import { parseOptions, scanOptionsSchema } from '../src/options.js';
import { SeedTable, createRepeats, type Repeats } from '../src/seeds.js';
import { BatchPacker, unpackPrepared } from '../src/pool.js';
import { DocsWriter } from '../dist/parquet.js';
import { prepare } from '../src/prepare.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
async function run(list: { id: string; text: string }[], waitForWorker: boolean, spawnChars = 0, keepTexts = true, inFlight?: number) {
  const corpus = new Corpus({ jobs: 2 });
  const pool = preparePool(corpus.options, { spawnChars, keepTexts, ...(inFlight === undefined ? {} : { inFlight }) });
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
    let hits = 0, seeds = 0;
    got.forEach((p, i) => {
      expect(p.chars).toBe(texts[i]!.length);
      expect(p.signature).toEqual(plan.hasher.signature(texts[i]!));
      // the seeds stay with the worker; the repeats are those the seed table finds from them
      expect(p.seeds.length + p.marks.length).toBe(0);
      const q = prepare(texts[i]!, o, plan, createTokens(), createFingerprints());
      seeds += q.seeds.length;
      const want = new SeedTable().repeats(q.seeds, q.marks, createRepeats());
      expect(flat(p.repeats!)).toEqual(flat(want));
      hits += p.repeats!.nHits;
    });
    expect(hits).toBeGreaterThan(100);
    expect(seeds).toBeGreaterThan(1000);
  });

  it("keeps new documents' tokens batch after batch in one shared arena, an earlier document's in a buffer of its own", () => {
    const o = parseOptions(scanOptionsSchema, {});
    const plan = planOf(o), fp = createFingerprints(true), arena = createTokens(), packer = new BatchPacker();
    const texts = brownTexts(6);
    const batch = (part: string[], repeats: boolean) => {
      const packed = packer.packEach(part.length, (i) => part[i]!.length, (i) => prepare(part[i]!, o, plan, arena, fp, packer), undefined, repeats);
      return { packed, got: unpackPrepared(packed, o.numPerm) };
    };
    const first = batch(texts.slice(0, 3), true), second = batch(texts.slice(3), true), earlier = batch(texts.slice(0, 2), false);
    expect(first.packed.tokens).toBeInstanceOf(SharedArrayBuffer);
    expect(second.packed.tokens).toBe(first.packed.tokens);
    expect(second.packed.tokensAt).toBeGreaterThan(first.packed.tokensAt);
    expect(earlier.packed.tokens).toBeInstanceOf(ArrayBuffer);
    expect(earlier.packed.tokensAt).toBe(0);
    // each batch's tokens are still its own after the next batch was packed
    const want = (t: string) => Array.from(prepare(t, o, plan, createTokens(), createFingerprints(true)).tokens.hashes);
    [...first.got, ...second.got].forEach((p, i) => { expect(Array.from(p.tokens.hashes)).toEqual(want(texts[i]!)); });
    earlier.got.forEach((p, i) => { expect(Array.from(p.tokens.hashes)).toEqual(want(texts[i]!)); });
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

  it('starts its workers at the first batch of an input known to be large (an array, or blocks that say so), else once spawnChars are read', async () => {
    const list = many.slice(0, 300), size = list.reduce((s, d) => s + d.text.length, 0);
    const options = new Corpus({ jobs: 2 }).options;
    const lines = [{ name: 'a.jsonl', bytes: Buffer.from(list.map((d) => JSON.stringify(d) + '\n').join('')), first: true }];
    /** Whether the workers had started when the pool yielded its first batch. */
    async function startedAtFirst(batchesOf: (pool: ReturnType<typeof preparePool>) => AsyncGenerator<PreparedBatch>, spawnChars = size + 1): Promise<boolean> {
      const pool = preparePool(options, { spawnChars });
      try {
        for await (const _ of batchesOf(pool)) return pool.started;
        throw new Error('no batch');
      } finally { await pool.close(); }
    }
    async function* gen() { yield* list; }
    async function* blocks(rest?: number) { for (const b of lines) yield rest === undefined ? b : { ...b, rest }; }
    const fields = { textField: 'text', idField: 'id' };
    expect(await startedAtFirst((pool) => pool.batches(list))).toBe(false);
    expect(await startedAtFirst((pool) => pool.batches([...list, { id: 'big', text: 'word '.repeat(size) }]))).toBe(true);
    expect(await startedAtFirst((pool) => pool.batches(gen()))).toBe(false);
    // lines count in bytes
    const bytes = lines[0]!.bytes.length;
    expect(await startedAtFirst((pool) => pool.lineBatches(blocks(), fields), bytes + 1)).toBe(false);
    expect(await startedAtFirst((pool) => pool.lineBatches(blocks(0), fields), bytes + 1)).toBe(false);
    expect(await startedAtFirst((pool) => pool.lineBatches(blocks(1), fields), bytes + 1)).toBe(true);
  });

  it('tells with each batch how much input was read up to its end and how much follows, when that is known', async () => {
    const list = many.slice(0, 300), size = list.reduce((s, d) => s + d.text.length, 0);
    const options = new Corpus({ jobs: 2 }).options;
    async function* gen() { yield* list; }
    const fields = { textField: 'text', idField: 'id' };
    const lines = [{ name: 'a.jsonl', bytes: Buffer.from(list.map((d) => JSON.stringify(d) + '\n').join('')), first: true }];
    async function* blocks() { yield* lines; }
    const shares = async (source: AsyncGenerator<PreparedBatch>) => { const out: (PreparedBatch['input'])[] = []; for await (const b of source) out.push(b.input); return out; };
    const pool = preparePool(options, { spawnChars: 0 });
    try {
      const fromArray = await shares(pool.batches(list));
      expect(fromArray.length).toBeGreaterThan(1);
      expect(fromArray.at(-1)).toEqual({ read: size, rest: 0 });
      expect(fromArray.every((x) => x !== undefined && x.read + x.rest === size && x.read > 0)).toBe(true);
      expect((await shares(pool.batches(gen()))).every((x) => x === undefined)).toBe(true);
      expect((await shares(pool.lineBatches(blocks(), fields))).every((x) => x === undefined)).toBe(true);
      // all six batches' lines in one block, which the pool cuts into batches of about 1 MB
      const all = Buffer.from(many.map((d) => JSON.stringify(d) + '\n').join(''));
      async function* one() { yield { name: 'all.jsonl', bytes: all, first: true, rest: 100 }; }
      const fromLines = await shares(pool.lineBatches(one(), fields));
      expect(fromLines.length).toBeGreaterThan(1);
      expect(fromLines.map((x) => x!.read + x!.rest)).toEqual(fromLines.map(() => all.length + 100));
      expect(fromLines.at(-1)!.rest).toBe(100);
    } finally { await pool.close(); }
  });

  /** Two JSONL "files" of the documents (blank lines, \r\n and \n line ends), read in blocks of about 64 KB of whole lines. */
  function blocksOf(list: { id: string; text: string }[], bad?: { file: number; line: number }): LineBlock[] {
    const half = list.length >> 1, out: LineBlock[] = [];
    [list.slice(0, half), list.slice(half)].forEach((part, f) => {
      const lines = part.map((d) => JSON.stringify(d));
      lines.splice(3, 0, '', '  ');
      if (bad?.file === f) lines.splice(bad.line - 1, 0, '{"id": "broken", "text": ');
      const bytes = Buffer.from(lines.map((l, i) => l + (i % 2 ? '\r\n' : '\n')).join(''));
      for (let p = 0; p < bytes.length;) {
        const q = Math.min(bytes.length, bytes.indexOf(0x0a, p + 65536) + 1 || bytes.length);
        out.push({ name: `f${f}.jsonl`, bytes: bytes.subarray(p, q), first: p === 0 });
        p = q;
      }
    });
    return out;
  }

  /** Run the line batches of a pool into a corpus; returns the report, which batches a worker prepared, the ids seen and the error raised. */
  async function runLines(blocks: LineBlock[], waitForWorker: boolean, inFlight?: number, texts = false) {
    const corpus = new Corpus({ jobs: 2 });
    const pool = preparePool(corpus.options, { spawnChars: 0, keepTexts: false, ...(inFlight === undefined ? {} : { inFlight }) });
    const byWorker: boolean[] = [], ids: string[] = [];
    let error: unknown;
    try {
      if (waitForWorker) await pool.ready();
      async function* source() { for (const b of blocks) yield b; }
      for await (const b of pool.lineBatches(source(), { textField: 'text', idField: 'id' }, texts) as AsyncGenerator<PreparedBatch>) {
        byWorker.push(b.prepared !== null);
        // asked for, a prepared batch's texts come as UTF-8 with their lengths in UTF-16 units
        if (texts && b.prepared) {
          const t = b.texts!;
          expect(b.ids.map((_, i) => [new TextDecoder().decode(t.bytes.subarray(t.offs[3 * i]!, t.offs[3 * i]! + t.offs[3 * i + 1]!)), t.offs[3 * i + 2]])).toEqual(many.slice(ids.length, ids.length + b.ids.length).map((d) => [d.text, d.text.length]));
        } else expect(b.texts).toBeUndefined();
        ids.push(...b.ids);
        for (let i = 0; i < b.ids.length; i++) {
          if (b.prepared) corpus.ingestPrepared(b.ids[i]!, b.prepared[i]!); else corpus.ingest(b.docs[i]!);
        }
      }
    } catch (e) { error = e; } finally {
      await pool.close();
    }
    const report = corpus.report();
    return { report: { ...report, options: { ...report.options, jobs: 1 } }, byWorker, ids, error };
  }

  it('prepares raw JSONL lines on the workers (or the calling thread) as the calling thread prepares documents', async () => {
    for (const wait of [true, false]) {
      const { report, byWorker, ids, error } = await runLines(blocksOf(many), wait);
      expect(error).toBeUndefined();
      expect(ids).toEqual(many.map((d) => d.id));
      expect(byWorker.length).toBeGreaterThan(10);
      if (wait) expect(byWorker.every(Boolean)).toBe(true); else expect(byWorker[0]).toBe(false);
      expect(report).toEqual(local(many));
    }
  });

  it('prepares batches on the calling thread too while the worker is behind, alike', async () => {
    // inFlight 0: the worker is always "behind", and the calling thread packs every batch; 1: some of each
    for (const inFlight of [0, 1]) {
      const { report, byWorker } = await run(many, true, 0, false, inFlight);
      expect(byWorker.every(Boolean)).toBe(true);
      expect(report).toEqual(local(many));
      const lines = await runLines(blocksOf(many), true, inFlight, true);
      expect(lines.error).toBeUndefined();
      expect(lines.report).toEqual(local(many));
    }
    const bad = await runLines(blocksOf(many, { file: 0, line: 300 }), true, 0);
    expect((bad.error as Error).message).toMatch(/^f0\.jsonl line 300: invalid JSON/);
    expect(bad.ids).toEqual(many.slice(0, 297).map((d) => d.id));
  });

  it('reads documents back from a docs segment and prepares them (a worker or the calling thread), as their texts are prepared', async () => {
    const o = parseOptions(scanOptionsSchema, { jobs: 2 }), plan = planOf(o), k = o.numPerm;
    // texts past U+FFFF and short ones (the JavaScript path) among them
    const docs = many.slice(0, 600).map((d, i) => (i % 9 === 4 ? { ...d, text: `𝒳 café ${d.text}` } : i % 50 === 7 ? { ...d, text: 'a short one' } : d));
    const sigOf = (i: number) => new Uint8Array(Uint32Array.from({ length: k }, (_, x) => i * 7919 + x).buffer);
    const file = join(mkdtempSync(join(tmpdir(), 'reprint-pool-')), 'docs.parquet');
    const w = new DocsWriter(file, true, 256, 4096);
    docs.forEach((d, i) => w.add(i, d.id, d.text, sigOf(i)));
    await w.close();
    const rows = Int32Array.from({ length: 200 }, (_, x) => 3 * x);
    const jobs = [0, 1, 37, 120, 200].flatMap((from, x, all) => (x + 1 < all.length ? [{ file, rows: rows.subarray(from, all[x + 1]), sig: x % 2 === 0 }] : []));
    for (const [wait, inFlight] of [[true, 3], [true, 0], [false, 3]] as const) {
      const pool = preparePool(o, { spawnChars: 0, inFlight });
      try {
        if (wait) await pool.ready();
        let j = 0;
        for await (const b of pool.readBatches(jobs) as AsyncGenerator<PreparedBatch>) {
          const job = jobs[j++]!;
          expect(b.ids).toEqual(Array.from(job.rows, (r) => docs[r]!.id));
          expect(b.sigs === undefined).toBe(!job.sig);
          Array.from(job.rows).forEach((r, i) => {
            const p = b.prepared![i]!, want = prepare(docs[r]!.text, o, plan).tokens;
            expect([p.chars, p.tokens.n, Array.from(p.tokens.hashes.subarray(0, p.tokens.n)), Array.from(p.tokens.bytes.subarray(0, p.tokens.n))])
              .toEqual([docs[r]!.text.length, want.n, Array.from(want.hashes.subarray(0, want.n)), Array.from(want.bytes.subarray(0, want.n))]);
            if (job.sig) expect(b.sigs!.subarray(i * k, (i + 1) * k)).toEqual(new Uint32Array(sigOf(r).buffer));
          });
        }
        expect(j).toBe(jobs.length);
      } finally { await pool.close(); }
    }
  });

  it('names a bad JSONL line by its file and line, once the documents before it are taken', async () => {
    // line 500 of the second file (of 770): its documents before it are those of lines 1-499 but the two blank ones
    for (const wait of [true, false]) {
      const { ids, error } = await runLines(blocksOf(many, { file: 1, line: 500 }), wait);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/^f1\.jsonl line 500: invalid JSON/);
      expect(ids.slice(0, 768 + 497)).toEqual(many.slice(0, 768 + 497).map((d) => d.id));
      expect(ids.length).toBeLessThan(many.length);
    }
  });

  it('starts no worker for a scan shorter than spawnChars', async () => {
    const chars = many.reduce((s, d) => s + d.text.length, 0);
    const { report, byWorker } = await run(many, false, chars + 1);
    expect(byWorker).toEqual([false, false, false, false, false, false]);
    expect(report).toEqual(local(many));
  });
});
