/**
 * A persistent index: a corpus that grows batch by batch on disk. Each batch is sketched here,
 * matched against the index and itself by the stage SQL (on embedded DuckDB over the index's
 * Parquet segments), refined by alignment here, reported as a scan reports, and committed as new
 * segments. A corpus added in batches finds what one scan of it in the same order finds.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Aligner } from './align.js';
import { assembleReport } from './assemble.js';
import { ExactJaccard, HitGroups, alignCandidates, candidateDocs } from './candidates.js';
import { EdgeStore, type Edge } from './edges.js';
import type { Engine, IntRows } from './duckdb.js';
import { ErrorCode, ReprintError } from './errors.js';
import { createFingerprints } from './kernel.js';
import { estimate } from './lsh.js';
import { parseOptions, scanOptionsSchema, type ResolvedScanOptions, type ScanOptions } from './options.js';
import { planOf, prepare, type InputDocument } from './prepare.js';
import type { Report } from './report.js';
import { BatchSketch, lshParams } from './sketch.js';
import {
  HASH_VERSION, INDEX_FORMAT, INDEX_TABLES, MANIFEST, ensureSegments, fsyncPath, lockIndex, readManifest, removeUnlisted, segmentFile,
  writeManifest, type IndexTable, type Manifest, type Segment,
} from './segments.js';
import { stageStatements, tableDefinition, type StageParams, type TableName } from './stages.js';
import { TokenStore, createTokens, type TokenHashes } from './tokens.js';

/** Options a batch is scanned with that are not the index's own (they may change from run to run). */
const PER_RUN = ['jobs', 'alignments'] as const;

export interface IndexSettings {
  /** DuckDB's memory limit (it spills past it), e.g. "2GB". */
  memoryLimit?: string;
  /** Whether a missing or empty directory may become a new index (default true); false throws NOT_AN_INDEX. */
  create?: boolean;
}

export interface IndexStats {
  documents: number;
  batches: number;
  segments: number;
  /** Bytes of the committed segments and the manifest. */
  bytes: number;
}

export type BatchDocuments = Iterable<InputDocument> | AsyncIterable<InputDocument>;

/**
 * Open the index in `dir` (created by the first `add` when `dir` is missing or empty). Options
 * given must equal the index's (per-run ones, jobs and alignments, aside); options left out take
 * the index's values.
 */
export async function openIndex(dir: string, options: ScanOptions = {}, settings: IndexSettings = {}): Promise<ReprintIndex> {
  const given = parseOptions(scanOptionsSchema, options, 'index options');
  const path = resolve(dir);
  let manifest: Manifest | undefined;
  if (existsSync(join(path, MANIFEST)) || (existsSync(path) && (!statSync(path).isDirectory() || readdirSync(path).length > 0))) manifest = readManifest(path);
  if (!manifest && settings.create === false) throw new ReprintError(ErrorCode.NOT_AN_INDEX, `${dir} is not a reprint index: ${existsSync(path) ? `it has no ${MANIFEST}` : 'it does not exist'}`);
  if (manifest) {
    for (const [k, v] of Object.entries(options)) {
      if ((PER_RUN as readonly string[]).includes(k) || v === undefined) continue;
      const stored = manifest.options[k];
      if (JSON.stringify(stored) !== JSON.stringify(given[k as keyof ResolvedScanOptions])) {
        throw new ReprintError(ErrorCode.INDEX_OPTIONS, `${k} must match the index's (${JSON.stringify(stored)}) in ${dir}, got ${JSON.stringify(v)}`);
      }
    }
  }
  const resolved: ResolvedScanOptions = manifest ? { ...parseOptions(scanOptionsSchema, stripRun(manifest.options), 'index manifest options'), jobs: given.jobs, alignments: given.alignments } : given;
  return new ReprintIndex(path, resolved, manifest, settings);
}

function stripRun(o: Record<string, unknown>): Record<string, unknown> {
  const out = { ...o };
  for (const k of PER_RUN) delete out[k];
  return out;
}

export class ReprintIndex {
  private readonly plan;
  private readonly align;
  /** Milliseconds by stage of the last add or query (for the benchmark). */
  timings: Record<string, number> = {};

  /** @internal use `openIndex`. */
  constructor(readonly dir: string, readonly options: Readonly<ResolvedScanOptions>, private manifest: Manifest | undefined, private readonly settings: IndexSettings) {
    this.plan = planOf(options);
    this.align = { minWords: options.minWords, seedWords: this.plan.seedWords, maxGap: options.maxGap, passageSimilarity: options.passageSimilarity };
  }

  /** Documents, batches, segments and bytes on disk of the committed index. */
  stats(): IndexStats {
    const m = this.manifest ?? (existsSync(join(this.dir, MANIFEST)) ? readManifest(this.dir) : undefined);
    if (!m) return { documents: 0, batches: 0, segments: 0, bytes: 0 };
    const manifestBytes = statSync(join(this.dir, MANIFEST)).size;
    return { documents: m.documents, batches: m.batches.length, segments: m.segments.length, bytes: manifestBytes + m.segments.reduce((s, x) => s + x.bytes, 0) };
  }

  /** Scan a batch against the index and itself and commit it; returns the batch's report. */
  async add(docs: BatchDocuments): Promise<Report> {
    const unlock = lockIndex(this.ensureDir());
    try {
      // the manifest as committed now (another writer may have committed since this index was opened)
      if (existsSync(join(this.dir, MANIFEST))) { this.manifest = readManifest(this.dir); removeUnlisted(this.dir, this.manifest); }
      return await this.run(docs, true);
    } finally {
      unlock();
    }
  }

  /** Scan a batch against the index and itself without committing it. */
  async query(docs: BatchDocuments): Promise<Report> {
    if (!this.manifest) throw new ReprintError(ErrorCode.NOT_AN_INDEX, `${this.dir} is not a reprint index: it has no ${MANIFEST}`);
    this.manifest = readManifest(this.dir);
    return this.run(docs, false);
  }

  /** Texts of documents in the index, by id (for a report's excerpts). */
  async texts(ids: Iterable<string>): Promise<Map<string, string>> {
    const want = [...new Set(ids)], out = new Map<string, string>();
    const m = this.manifest;
    if (!m || want.length === 0) return out;
    const engine = await this.engine();
    try {
      await this.defineIndex(engine, m);
      await engine.run(`CREATE TABLE wanted_ids (id VARCHAR)`);
      await engine.run(`INSERT INTO wanted_ids VALUES ${want.map((id) => `(${sqlString(id)})`).join(', ')}`);
      for (const [id, text] of await engine.rows('SELECT d.id, d.text FROM docs d JOIN wanted_ids w ON w.id = d.id')) out.set(id as string, text as string);
    } finally { engine.close(); }
    return out;
  }

  /**
   * Merge every table's segments into one (and keep of each band bucket only the newest
   * documents a query can meet); the index answers every query as before.
   */
  async compact(): Promise<IndexStats> {
    const unlock = lockIndex(this.ensureDir());
    try {
      if (!existsSync(join(this.dir, MANIFEST))) throw new ReprintError(ErrorCode.NOT_AN_INDEX, `${this.dir} is not a reprint index: it has no ${MANIFEST}`);
      const m = this.manifest = readManifest(this.dir);
      removeUnlisted(this.dir, m);
      const engine = await this.engine();
      try {
        await this.defineIndex(engine, m);
        let next = m.next;
        const segments: Segment[] = [];
        const walk = 2 * this.options.maxPairCandidates;
        const select: Record<IndexTable, string> = {
          docs: 'SELECT * FROM docs',
          bands: `SELECT bucket, doc FROM (SELECT bucket, doc, ROW_NUMBER() OVER (PARTITION BY bucket ORDER BY doc DESC) AS newest FROM bands) b WHERE newest <= ${walk} ORDER BY bucket, doc`,
          postings: 'SELECT * FROM postings ORDER BY fp, doc',
          pairs: 'SELECT * FROM pairs ORDER BY b, a',
        };
        for (const table of INDEX_TABLES) {
          const old = m.segments.filter((s) => s.table === table);
          if (old.length <= 1 && table !== 'bands') { segments.push(...old); continue; }
          if (old.length === 0) continue;
          segments.push(await this.writeSegment(engine, table, select[table], next++));
        }
        const compacted: Manifest = { ...m, segments, next };
        writeManifest(this.dir, compacted);
        this.manifest = compacted;
        removeUnlisted(this.dir, compacted);
      } finally { engine.close(); }
      return this.stats();
    } finally {
      unlock();
    }
  }

  private ensureDir(): string {
    ensureSegments(this.dir);
    return this.dir;
  }

  private async engine(): Promise<Engine> {
    const { Engine } = await import('./duckdb.js');
    return Engine.open({ ...(this.settings.memoryLimit ? { memoryLimit: this.settings.memoryLimit } : {}), tempDirectory: join(this.dir, 'tmp') });
  }

  /** The index's tables as views over its committed segments (empty tables where it has none). */
  private async defineIndex(engine: Engine, m: Manifest): Promise<void> {
    for (const table of INDEX_TABLES) {
      const files = m.segments.filter((s) => s.table === table).map((s) => sqlString(join(this.dir, s.file)));
      if (files.length) await engine.run(`CREATE VIEW ${table} AS SELECT * FROM read_parquet([${files.join(', ')}])`);
      else await engine.run(tableDefinition(table, 'duckdb'));
    }
  }

  private async run(docs: BatchDocuments, commit: boolean): Promise<Report> {
    const o = this.options, m = this.manifest;
    const first = m?.documents ?? 0;
    if (docs === null || typeof docs !== 'object' || (!(Symbol.iterator in docs) && !(Symbol.asyncIterator in docs))) {
      throw new ReprintError(ErrorCode.INVALID_INPUT, `documents must be an Iterable or AsyncIterable of { id, text }, got ${docs === null ? 'null' : typeof docs}`);
    }
    const T = this.timings = {} as Record<string, number>;
    let t0 = performance.now();
    const lap = (name: string) => { const t1 = performance.now(); T[name] = (T[name] ?? 0) + t1 - t0; t0 = t1; };
    // sketch
    const scratch = new TokenStore();
    const sk = new BatchSketch(o, this.plan, first, scratch);
    if (Symbol.iterator in docs) for (const d of docs) sk.add(d); else for await (const d of docs) sk.add(d);
    const n = sk.size;
    lap('sketch');

    const engine = await this.engine();
    try {
      if (m) await this.defineIndex(engine, m);
      else for (const t of INDEX_TABLES) await engine.run(tableDefinition(t, 'duckdb'));
      await this.loadBatch(engine, sk);
      lap('load');
      const params: StageParams = { first, walk: 2 * o.maxPairCandidates, limit: o.maxPairCandidates, cap: o.maxPostings };
      const stage = async (name: 'ids' | 'candidates' | 'passages' | 'commit') => { for (const s of stageStatements(name, params)) await engine.run(s); };

      // ids: a batch with an id the index holds is refused before anything is written
      await stage('ids');
      const taken = await engine.rows('SELECT id FROM taken ORDER BY doc LIMIT 1');
      if (taken.length) {
        const id = taken[0]![0] as string;
        throw new ReprintError(ErrorCode.DUPLICATE_ID, `document id ${JSON.stringify(id)} is in the index already (${this.dir})`, id);
      }
      lap('ids');

      // candidates (d, e), by d then e; hits (d, e, i, j), by d, e, then i
      let cand: IntRows = { n: 0, cols: [new Int32Array(0), new Int32Array(0)] };
      if (o.nearDuplicates) { await stage('candidates'); cand = await engine.ints('SELECT d, e FROM candidates ORDER BY d, e', 2); }
      let hits: IntRows = { n: 0, cols: [new Int32Array(0), new Int32Array(0), new Int32Array(0), new Int32Array(0)] };
      if (o.passages) { await stage('passages'); hits = await engine.ints('SELECT d, e, i, j FROM hits ORDER BY d, e, i', 4); }
      lap('candidates+passages');
      const hitAt = startsOf(hits.cols[0]!, hits.n, first, n), candAt = startsOf(cand.cols[0]!, cand.n, first, n);

      // the earlier documents the refine stage reads: those it may align with, and pair candidates
      const groups = new HitGroups();
      const L = new Int32Array(3 * Math.max(1, maxRun(hitAt)));
      const earlier = new Set<number>();
      for (let t = 0; t < n; t++) {
        const k = fillHits(L, hits.cols, hitAt[t]!, hitAt[t + 1]!, (e) => e);
        for (const e of candidateDocs(L, k, groups, o.maxCandidates)) if (e < first) earlier.add(e);
      }
      for (let x = 0; x < cand.n; x++) if (cand.cols[1]![x]! < first) earlier.add(cand.cols[1]![x]!);
      const context = Int32Array.from(earlier).sort();
      const ctx = await this.loadContext(engine, context);
      lap('context');

      // local numbers: the earlier documents in index order, then the batch
      const c = context.length;
      const local = (e: number) => (e >= first ? c + e - first : lowerBound(context, e));
      const store = new TokenStore();
      const ids: string[] = [], chars: number[] = [];
      const arena = createTokens(1 << 14), fp = createFingerprints();
      for (let x = 0; x < c; x++) {
        const p = prepare(ctx.texts[x]!, o, this.plan, arena, fp, scratch);
        store.keep(p.tokens); ids.push(ctx.ids[x]!); chars.push(ctx.texts[x]!.length);
      }
      for (let t = 0; t < n; t++) { store.keep(sk.tokens[t]!); ids.push(sk.ids[t]!); chars.push(sk.texts[t]!.length); }

      lap('context tokens');
      // refine: each batch document in order, as a Corpus adds it
      const edges = new EdgeStore(), pairs: { a: number; b: number; similarity: number }[] = [];
      const jaccard = new ExactJaccard(o.shingleSize), cands = { maxCandidates: o.maxCandidates, seedWords: this.plan.seedWords };
      const tokensOf = (e: number): TokenHashes => store.hashes(e);
      for (let t = 0; t < n; t++) {
        const d = c + t, D = sk.tokens[t]!;
        const internal: Edge[] = [], cross: Edge[] = [];
        if (o.passages) {
          const s0 = sk.selfAt[t]!, s1 = sk.selfAt[t + 1]!;
          if (s1 > s0) {
            const self = new Aligner(D, D, this.align), h = sk.selfHits;
            for (let x = s0; x < s1; x++) self.hit(h[2 * x]!, h[2 * x + 1]!);
            internal.push(...self.edges(d, d));
          }
          const k = fillHits(L, hits.cols, hitAt[t]!, hitAt[t + 1]!, local);
          alignCandidates(d, D, L, k, tokensOf, groups, cands, this.align, cross);
        }
        for (const e of internal) edges.push(e);
        for (const e of cross) edges.push(e);
        for (let x = candAt[t]!; x < candAt[t + 1]!; x++) {
          const eg = cand.cols[1]![x]!, e = local(eg);
          const s = o.exact ? jaccard.of(d, D, store.hashes(e)) : estimate(sk.sigs.subarray(t * o.numPerm, (t + 1) * o.numPerm), eg >= first ? sk.sigs : ctx.sigs, eg >= first ? (eg - first) * o.numPerm : lowerBound(context, eg) * o.numPerm, o.numPerm);
          if (s >= o.threshold) pairs.push({ a: e, b: d, similarity: s });
        }
      }
      lap('refine');
      const report = assembleReport({ options: o, align: this.align, ids, chars, store, edges: edges.columns(), pairs, from: c });
      lap('report');
      if (commit) await this.commit(engine, sk, pairs.map((p) => ({ a: p.a < c ? context[p.a]! : first + p.a - c, b: first + p.b - c, similarity: p.similarity })), params);
      lap('commit');
      T.context_docs = c;
      return report;
    } finally {
      engine.close();
    }
  }

  /** The batch's tables in the engine. */
  private async loadBatch(engine: Engine, sk: BatchSketch): Promise<void> {
    for (const t of ['batch_docs', 'batch_bands', 'batch_fps', 'steps'] as TableName[]) await engine.run(tableDefinition(t, 'duckdb'));
    const first = sk.first, n = sk.size;
    const docNums = Int32Array.from({ length: n }, (_, t) => first + t);
    await engine.run(`INSERT INTO steps SELECT CAST(range AS INTEGER) FROM range(1, ${2 * this.options.maxPairCandidates + 1})`);
    const a = await engine.conn.createAppender('batch_docs');
    for (let t = 0; t < n; t++) { a.appendInteger(docNums[t]!); a.appendVarchar(sk.ids[t]!); a.endRow(); }
    a.closeSync();
    await engine.append('batch_bands', sk.bands.n, [{ type: 'BIGINT', values: sk.bands.cols[0]! }, { type: 'INTEGER', values: sk.bands.cols[1]! }]);
    await engine.append('batch_fps', sk.fps.n, [{ type: 'BIGINT', values: sk.fps.cols[0]! }, { type: 'INTEGER', values: sk.fps.cols[1]! }, { type: 'INTEGER', values: sk.fps.cols[2]! }]);
  }

  /** Ids, texts (and signatures, when pairs are verified by estimate) of earlier documents, in the order given. */
  private async loadContext(engine: Engine, docs: Int32Array): Promise<{ ids: string[]; texts: string[]; sigs: Uint32Array }> {
    const o = this.options, ids: string[] = [], texts: string[] = [];
    const sigs = new Uint32Array(o.nearDuplicates && !o.exact ? docs.length * o.numPerm : 0);
    if (docs.length === 0) return { ids, texts, sigs };
    await engine.run('CREATE TABLE wanted (doc INTEGER)');
    await engine.append('wanted', docs.length, [{ type: 'INTEGER', values: docs }]);
    const rows = await engine.rows(`SELECT d.doc, d.id, d.text${sigs.length ? ', d.sig' : ''} FROM docs d JOIN wanted w ON w.doc = d.doc ORDER BY d.doc`);
    for (let x = 0; x < rows.length; x++) {
      const r = rows[x]!;
      ids.push(r[1] as string); texts.push(r[2] as string);
      if (sigs.length) new Uint8Array(sigs.buffer, 4 * x * o.numPerm, 4 * o.numPerm).set((r[3] as { bytes: Uint8Array }).bytes);
    }
    if (ids.length !== docs.length) throw new Error(`index ${this.dir}: ${docs.length - ids.length} documents listed in its segments could not be read`);
    return { ids, texts, sigs };
  }

  /** Write the batch's segments, fsync them, and rename the new manifest into place. */
  private async commit(engine: Engine, sk: BatchSketch, pairs: { a: number; b: number; similarity: number }[], params: StageParams): Promise<void> {
    const o = this.options, old = this.manifest;
    let next = old?.next ?? 1;
    const segments: Segment[] = [...(old?.segments ?? [])];
    await engine.run(tableDefinition('docs', 'duckdb').replace('CREATE TABLE docs', 'CREATE TABLE new_docs'));
    const a = await engine.conn.createAppender('new_docs');
    for (let t = 0; t < sk.size; t++) {
      a.appendInteger(sk.first + t); a.appendVarchar(sk.ids[t]!); a.appendInteger(sk.texts[t]!.length); a.appendVarchar(sk.texts[t]!);
      if (o.nearDuplicates && !o.exact) a.appendBlob(new Uint8Array(sk.sigs.buffer, t * o.numPerm * 4, o.numPerm * 4)); else a.appendNull();
      a.endRow();
    }
    a.closeSync();
    segments.push(await this.writeSegment(engine, 'docs', 'SELECT * FROM new_docs', next++));
    if (o.nearDuplicates && sk.bands.n) segments.push(await this.writeSegment(engine, 'bands', 'SELECT bucket, doc FROM batch_bands ORDER BY bucket, doc', next++));
    if (o.passages) {
      for (const s of stageStatements('commit', params)) await engine.run(s);
      segments.push(await this.writeSegment(engine, 'postings', 'SELECT fp, doc, pos FROM new_postings ORDER BY fp, doc', next++));
    }
    if (pairs.length) {
      await engine.run(tableDefinition('pairs', 'duckdb').replace('CREATE TABLE pairs', 'CREATE TABLE new_pairs'));
      const p = await engine.conn.createAppender('new_pairs');
      for (const x of pairs) { p.appendInteger(x.a); p.appendInteger(x.b); p.appendDouble(x.similarity); p.endRow(); }
      p.closeSync();
      segments.push(await this.writeSegment(engine, 'pairs', 'SELECT * FROM new_pairs ORDER BY b, a', next++));
    }
    const stored: Record<string, unknown> = { ...o };
    for (const k of PER_RUN) delete stored[k];
    const manifest: Manifest = {
      format: 'reprint-index', version: INDEX_FORMAT, hashVersion: HASH_VERSION, options: stored, lsh: lshParams(o),
      documents: sk.first + sk.size, batches: [...(old?.batches ?? []), { first: sk.first, documents: sk.size }], segments, next,
    };
    writeManifest(this.dir, manifest);
    this.manifest = manifest;
  }

  /** Write a query's rows as segment number `n` of a table (zstd Parquet), fsynced. */
  private async writeSegment(engine: Engine, table: IndexTable, select: string, n: number): Promise<Segment> {
    const file = segmentFile(n, table), path = join(this.dir, file);
    await engine.run(`COPY (${select}) TO ${sqlString(path)} (FORMAT PARQUET, COMPRESSION ZSTD, ROW_GROUP_SIZE ${table === 'docs' ? 8192 : 122880})`);
    fsyncPath(path);
    const rows = Number((await engine.rows(`SELECT COUNT(*) FROM read_parquet(${sqlString(path)})`))[0]![0] as bigint);
    return { table, file, rows, bytes: statSync(path).size };
  }
}

/** A SQL string literal. */
function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Where each batch document's rows start in a column sorted by document (n + 1 entries). */
function startsOf(docs: Int32Array, rows: number, first: number, n: number): Int32Array {
  const at = new Int32Array(n + 1);
  for (let x = 0; x < rows; x++) at[docs[x]! - first + 1]!++;
  for (let t = 0; t < n; t++) at[t + 1]! += at[t]!;
  return at;
}

function maxRun(at: Int32Array): number {
  let m = 0;
  for (let t = 0; t + 1 < at.length; t++) m = Math.max(m, at[t + 1]! - at[t]!);
  return m;
}

/** Hits rows [from, to) as flat (document, i, j) triples in L, the document renumbered by `num`; returns the count. */
function fillHits(L: Int32Array, cols: Int32Array[], from: number, to: number, num: (e: number) => number): number {
  const e = cols[1]!, i = cols[2]!, j = cols[3]!;
  for (let x = from; x < to; x++) { const o = 3 * (x - from); L[o] = num(e[x]!); L[o + 1] = i[x]!; L[o + 2] = j[x]!; }
  return to - from;
}

/** The index of v in sorted a (present). */
function lowerBound(a: Int32Array, v: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (a[mid]! < v) lo = mid + 1; else hi = mid; }
  return lo;
}
