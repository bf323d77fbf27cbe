/**
 * The sketch stage of a persistent index: a batch's documents through the per-document stages,
 * kept as the columns the stage SQL reads (band buckets, fingerprints) and what the refine stage
 * aligns (token arrays, each document's own repeated seeds). Stateless: it depends on the batch
 * and the options only, so batches can be sketched anywhere.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from './duckdb.js';
import { ErrorCode, ReprintError } from './errors.js';
import { createFingerprints } from './kernel.js';
import { bucketsOf, recallParams } from './lsh.js';
import { isEmpty } from './minhash.js';
import { writeColumns, type PlainColumn } from './parquet.js';
import type { ResolvedScanOptions } from './options.js';
import { checkDocument, prepare, type InputDocument, type Plan, type Prepared } from './prepare.js';
import { SeedTable, createRepeats } from './seeds.js';
import { sqlString } from './stages.js';
import { grown, sized } from './tables.js';
import { createTokens, type DocTokens, type TokenAlloc } from './tokens.js';

/** Growing int32 columns of one table. */
export class Columns {
  n = 0;
  cols: Int32Array[];
  constructor(width: number) { this.cols = Array.from({ length: width }, () => new Int32Array(1024)); }
  reserve(m: number): void {
    if (this.n + m > this.cols[0]!.length) this.cols = this.cols.map((c) => grown(c, this.n + m));
  }
  /** Room for `rows` rows in all, in one step (no doubling past it). */
  grow(rows: number): void {
    if (rows > this.cols[0]!.length) this.cols = this.cols.map((c) => sized(c, rows, this.n));
  }
}

/** Bands and rows of a persistent index's LSH: recall-first at the threshold, as a Corpus's. */
export function lshParams(o: ResolvedScanOptions): { bands: number; rows: number } {
  return recallParams(o.threshold, o.numPerm);
}

export class BatchSketch {
  readonly ids: string[] = [];
  /** Each document's length in UTF-16 units (the texts are not kept). */
  readonly chars: number[] = [];
  readonly tokens: DocTokens[] = [];
  /** (bucket, doc): every band bucket of each document with a non-empty signature. */
  readonly bands = new Columns(2);
  /** (fingerprint, doc, position): each document's distinct fingerprints, document t's rows from fpAt[t]. */
  readonly fps = new Columns(3);
  readonly fpAt: number[] = [0];
  /** Each document's own repeated seeds, flat (position, first position), document t's at [2 selfAt[t], 2 selfAt[t + 1]). */
  selfHits = new Int32Array(1024);
  readonly selfAt: number[] = [0];
  /** Signatures, numPerm a document (kept only when pairs are verified by estimate). */
  sigs = new Uint32Array(0);
  private readonly seen = new Set<string>();
  private readonly arena = createTokens(1 << 14);
  private readonly fp = createFingerprints(true);
  private readonly seedTable = new SeedTable();
  private readonly repeats = createRepeats();
  private readonly lsh: { bands: number; rows: number };
  private readonly buckets: Uint32Array;

  /** Documents are numbered from `first`; their token arrays come from `store`. */
  constructor(private readonly o: ResolvedScanOptions, private readonly plan: Plan, readonly first: number, private readonly store: TokenAlloc) {
    this.lsh = lshParams(o);
    this.buckets = new Uint32Array(this.lsh.bands);
  }

  get size(): number { return this.ids.length; }

  /** Document t's signature as bytes (kept only when pairs are verified by estimate). */
  sigBytes(t: number): Uint8Array {
    const k = this.o.numPerm;
    return new Uint8Array(this.sigs.buffer, 4 * t * k, 4 * k);
  }

  /**
   * Grow the columns once to `factor` times what they hold, when the batch's first megabytes say
   * how large it is: doubling all the way copies them again and again into fresh memory.
   */
  reserve(factor: number): void {
    if (!(factor > 1)) return;
    this.fps.grow(Math.ceil(factor * this.fps.n));
    this.bands.grow(Math.ceil(factor * this.bands.n));
    const hits = Math.ceil(factor * 2 * this.selfAt[this.size]!);
    if (hits > this.selfHits.length) this.selfHits = sized(this.selfHits, hits, 2 * this.selfAt[this.size]!);
  }

  /**
   * The batch's documents, band buckets and fingerprints into the engine's batch_docs, batch_bands
   * and batch_fps tables: written here as plain Parquet files, which the engine loads on its own
   * threads (an appender would copy them in on this one).
   */
  async loadInto(engine: Engine): Promise<void> {
    const n = this.size, docs = new Int32Array(n);
    for (let t = 0; t < n; t++) docs[t] = this.first + t;
    const tables: [string, number, PlainColumn[]][] = [
      ['batch_docs', n, [{ name: 'doc', type: 'INT32', values: docs }, { name: 'id', type: 'UTF8', values: this.ids }]],
      ['batch_bands', this.bands.n, [{ name: 'bucket', type: 'INT64', values: this.bands.cols[0]! }, { name: 'doc', type: 'INT32', values: this.bands.cols[1]! }]],
      ['batch_fps', this.fps.n, [{ name: 'fp', type: 'INT64', values: this.fps.cols[0]! }, { name: 'doc', type: 'INT32', values: this.fps.cols[1]! }, { name: 'pos', type: 'INT32', values: this.fps.cols[2]! }]],
    ];
    const dir = mkdtempSync(join(tmpdir(), 'reprint-batch-'));
    try {
      // each file is written while the engine loads the one before
      let loading: Promise<void> = Promise.resolve();
      for (const [table, rows, columns] of tables) {
        const path = join(dir, `${table}.parquet`);
        writeColumns(path, rows, columns);
        await loading;
        loading = engine.run(`INSERT INTO ${table} SELECT * FROM read_parquet(${sqlString(path)})`);
        // awaited above or below; a write failing in between must not leave it unhandled
        loading.catch(() => undefined);
      }
      await loading;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Sketch the next document, numbered `number` (by default the one after the last: first, first + 1, ...). */
  add(doc: InputDocument, number?: number): void {
    this.check(doc);
    this.record(doc.id, prepare(doc.text, this.o, this.plan, this.arena, this.fp, this.store), number);
  }

  /**
   * Take the next document by its id, its per-document stages run elsewhere (a worker) with the
   * same options on a document checked there (its text is not needed).
   */
  addPrepared(id: string, p: Prepared): void {
    this.unique(id);
    this.record(id, p);
  }

  private check(doc: InputDocument): void {
    checkDocument(doc, this.ids.length + 1);
    this.unique(doc.id);
  }

  private unique(id: string): void {
    if (this.seen.has(id)) throw new ReprintError(ErrorCode.DUPLICATE_ID, `document ids must be unique, got ${JSON.stringify(id)} twice`, id);
  }

  private record(id: string, p: Prepared, number?: number): void {
    const o = this.o, t = this.ids.length, d = number ?? this.first + t;
    this.seen.add(id);
    this.ids.push(id); this.chars.push(p.chars); this.tokens.push(p.tokens);
    const r = p.repeats ?? this.seedTable.repeats(p.seeds, p.marks, this.repeats);
    const at = this.selfAt[t]!;
    if (2 * (at + r.nHits) > this.selfHits.length) this.selfHits = grown(this.selfHits, 2 * (at + r.nHits));
    this.selfHits.set(r.hits.subarray(0, 2 * r.nHits), 2 * at);
    this.selfAt.push(at + r.nHits);
    if (o.passages) {
      const f = this.fps;
      f.reserve(r.n);
      const [fk, fd, fpos] = f.cols as [Int32Array, Int32Array, Int32Array];
      for (let x = 0; x < r.n; x++) { fk[f.n] = r.keys[x]! | 0; fd[f.n] = d; fpos[f.n] = r.pos[x]!; f.n++; }
    }
    this.fpAt.push(this.fps.n);
    if (o.nearDuplicates && !isEmpty(p.signature)) {
      const b = this.bands, k = this.lsh.bands;
      bucketsOf(p.signature, k, this.lsh.rows, this.buckets);
      b.reserve(k);
      const [bk, bd] = b.cols as [Int32Array, Int32Array];
      for (let x = 0; x < k; x++) { bk[b.n] = this.buckets[x]! | 0; bd[b.n] = d; b.n++; }
    }
    if (o.nearDuplicates && !o.exact) {
      const k = o.numPerm;
      if ((t + 1) * k > this.sigs.length) this.sigs = grown(this.sigs, (t + 1) * k);
      this.sigs.set(p.signature, t * k);
    }
  }
}
