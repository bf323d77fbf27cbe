/**
 * A persistent index: a corpus that grows batch by batch on disk. Each batch is sketched here,
 * matched against the index and itself by the stage SQL (on embedded DuckDB over the index's
 * Parquet segments), refined by alignment here, reported as a scan reports, and committed as new
 * segments. A corpus added in batches finds what one scan of it in the same order finds.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { assembleReport } from './assemble.js';
import { components } from './cluster.js';
import { ExactJaccard, HitGroups, alignCandidates, candidateDocs, leastHits, selfEdges } from './candidates.js';
import { EdgeStore, type Edge } from './edges.js';
import { fillHits, maxRun, noRows, orderHits, startsOf } from './hits.js';
import type { Engine, IntRows } from './duckdb.js';
import { ErrorCode, ReprintError } from './errors.js';
import { checkPostings, matchedBatch, matchedDocs, matchedRows, type MatchedBatch } from './matched.js';
import { estimate } from './lsh.js';
import { DocsReader, DocsWriter } from './parquet.js';
import { parseOptions, scanOptionsSchema, type ResolvedScanOptions, type ScanOptions } from './options.js';
import type { LineBlock, LineFields } from './input.js';
import { preparePool, type PreparePool, type ReadJob } from './pool.js';
import { checkDocument, planOf, type InputDocument } from './prepare.js';
import type { Report } from './report.js';
import { BatchSketch, lshParams } from './sketch.js';
import {
  HASH_VERSION, INDEX_FORMAT, INDEX_TABLES, LOCK, MANIFEST, SEGMENTS, ensureSegments, fsyncPath, lockIndex, readManifest, removeUnlisted, retire, segmentFile,
  writeManifest, type IndexTable, type Manifest, type Segment,
} from './segments.js';
import { parquetList, sqlString, stageStatements, tableDefinition, type StageParams, type TableName } from './stages.js';
import { reserveOnce } from './tables.js';
import { TokenStore, type DocTokens, type TokenHashes } from './tokens.js';

/** Earlier documents read back per job (a worker's message): enough to be worth a message, few enough to share among threads. */
const CONTEXT_JOB = 1024;

/** DuckDB's memory limit unless set: past it, joins and sorts spill to the index's tmp/ folder. */
const DEFAULT_MEMORY_LIMIT = '1GB';

/** What an index directory holds besides its manifest while a writer works (its segments, lock, spill folder, manifest being written). */
const LEFT_BY_A_WRITER = new Set([SEGMENTS, LOCK, 'tmp', `${MANIFEST}.tmp`]);

/** Options a batch is scanned with that are not the index's own (they may change from run to run). */
const PER_RUN = ['jobs', 'alignments'] as const;

export interface IndexSettings {
  /** DuckDB's memory limit (it spills past it), e.g. "2GB" (default 1GB). */
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

/** Progress of an add: after each document read, and once all are. */
interface AddHooks { onProgress?: (docs: number, chars: number) => void; onRead?: () => void }

/** JSONL files as blocks of raw lines (`jsonlBlocks`), for workers to parse. */
interface LineSource { blocks: AsyncIterable<LineBlock>; fields: LineFields; hooks: AddHooks }

/**
 * Open the index in `dir` (created by the first `add` when `dir` is missing or empty). Options
 * given must equal the index's (per-run ones, jobs and alignments, aside); options left out take
 * the index's values.
 */
export async function openIndex(dir: string, options: ScanOptions = {}, settings: IndexSettings = {}): Promise<ReprintIndex> {
  const given = parseOptions(scanOptionsSchema, options, 'index options');
  const path = resolve(dir);
  let manifest: Manifest | undefined;
  // a directory becomes a new index when it holds nothing but what a first add killed before its commit left
  if (existsSync(join(path, MANIFEST)) || (existsSync(path) && (!statSync(path).isDirectory() || readdirSync(path).some((f) => !LEFT_BY_A_WRITER.has(f))))) manifest = readManifest(path);
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
    return this.asWriter(() => this.run(docs, true));
  }

  /**
   * @internal `add` of JSONL files as raw lines (the CLI's path with jobs > 1): workers parse them
   * and send back each text's UTF-8 for the docs segment. The same report and index as `add` of
   * `readInputs`, and errors that name the same file and line.
   */
  async addLines(blocks: AsyncIterable<LineBlock>, fields: LineFields, hooks: AddHooks = {}): Promise<Report> {
    return this.asWriter(() => this.run({ blocks, fields, hooks }, true));
  }

  /**
   * `work` under the writer lock, with the manifest as committed now (another writer may have
   * committed since this index was opened) and what a killed writer left removed.
   */
  private async asWriter<T>(work: () => Promise<T>): Promise<T> {
    const unlock = lockIndex(this.ensureDir());
    try {
      if (existsSync(join(this.dir, MANIFEST))) { this.manifest = readManifest(this.dir); removeUnlisted(this.dir, this.manifest); }
      return await work();
    } finally {
      unlock();
    }
  }

  /**
   * Refine and commit a batch that another engine matched: `dir` holds the batch's sketch shards
   * (`reprint index sketch`) and the stage SQL's candidates, hits and new_postings as Parquet.
   * Returns the batch's report, as `add` of the same documents would.
   */
  async refine(dir: string): Promise<Report> {
    const batch = matchedBatch(dir);
    return this.asWriter(async () => {
      const reader = await this.engine();
      try {
        return await this.run(matchedDocs(reader, batch, this.manifest?.documents ?? 0), true, batch);
      } finally { reader.close(); }
    });
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
      await engine.run('CREATE TABLE wanted_ids (id VARCHAR)');
      const a = await engine.conn.createAppender('wanted_ids');
      for (const id of want) { a.appendVarchar(id); a.endRow(); }
      a.closeSync();
      const found = new Map<number, string>();
      for (const [doc, id] of await engine.rows('SELECT d.doc, d.id FROM docs d JOIN wanted_ids w ON w.id = d.id')) found.set(doc as number, id as string);
      this.readDocs(Int32Array.from(found.keys()).sort(), { text: true }, (doc, _, text) => out.set(found.get(doc)!, text));
    } finally { engine.close(); }
    return out;
  }

  /**
   * Merge the segments of bands, postings and pairs into one each (and keep of each band bucket
   * only the newest documents a query can meet); the index answers every query as before.
   */
  async compact(): Promise<IndexStats> {
    return this.asWriter(async () => {
      const m = this.manifest;
      if (!existsSync(join(this.dir, MANIFEST)) || !m) throw new ReprintError(ErrorCode.NOT_AN_INDEX, `${this.dir} is not a reprint index: it has no ${MANIFEST}`);
      const engine = await this.engine();
      try {
        await this.defineIndex(engine, m);
        let next = m.next;
        const segments: Segment[] = [];
        const walk = 2 * this.options.maxPairCandidates;
        const select: Record<Exclude<IndexTable, 'docs'>, string> = {
          bands: `SELECT bucket, doc FROM (SELECT bucket, doc, ROW_NUMBER() OVER (PARTITION BY bucket ORDER BY doc DESC) AS newest FROM bands) b WHERE newest <= ${walk} ORDER BY bucket, doc`,
          postings: 'SELECT * FROM postings ORDER BY fp, doc',
          pairs: 'SELECT * FROM pairs ORDER BY b, a',
        };
        // docs segments stay as written: they are read a page at a time, never scanned whole
        segments.push(...m.segments.filter((s) => s.table === 'docs'));
        for (const table of ['bands', 'postings', 'pairs'] as const) {
          const old = m.segments.filter((s) => s.table === table);
          if (old.length <= 1 && table !== 'bands') { segments.push(...old); continue; }
          if (old.length === 0) continue;
          segments.push(await this.writeSegment(engine, table, select[table], next++));
        }
        // the segments replaced stay on disk a while: a query that listed them may be reading them
        const kept = new Set(segments.map((x) => x.file));
        const { retired: _, ...rest } = m;
        const compacted: Manifest = { ...rest, segments, ...retiredField(retire(m, m.segments.filter((x) => !kept.has(x.file)).map((x) => x.file))), next };
        writeManifest(this.dir, compacted);
        this.manifest = compacted;
        removeUnlisted(this.dir, compacted);
      } finally { engine.close(); }
      return this.stats();
    });
  }

  private ensureDir(): string {
    ensureSegments(this.dir);
    return this.dir;
  }

  private async engine(): Promise<Engine> {
    const { Engine } = await import('./duckdb.js');
    return Engine.open({ memoryLimit: this.settings.memoryLimit ?? DEFAULT_MEMORY_LIMIT, tempDirectory: join(this.dir, 'tmp') });
  }

  /** The index's tables as views over its committed segments (empty tables where it has none). */
  private async defineIndex(engine: Engine, m: Manifest): Promise<void> {
    for (const table of INDEX_TABLES) {
      const files = m.segments.filter((s) => s.table === table).map((s) => join(this.dir, s.file));
      if (files.length) await engine.run(`CREATE VIEW ${table} AS SELECT * FROM ${parquetList(files)}`);
      else await engine.run(tableDefinition(table, 'duckdb'));
    }
  }

  private async run(docs: BatchDocuments | LineSource, commit: boolean, matched?: MatchedBatch): Promise<Report> {
    const o = this.options, m = this.manifest;
    const first = m?.documents ?? 0;
    const lines = docs !== null && typeof docs === 'object' && 'blocks' in docs ? docs : undefined;
    if (!lines && (docs === null || typeof docs !== 'object' || (!(Symbol.iterator in docs) && !(Symbol.asyncIterator in docs)))) {
      throw new ReprintError(ErrorCode.INVALID_INPUT, `documents must be an Iterable or AsyncIterable of { id, text }, got ${docs === null ? 'null' : typeof docs}`);
    }
    // milliseconds by stage, for REPRINT_TRACE
    const T: Record<string, number> = {}, cpu: Record<string, number> = {};
    let t0 = performance.now(), c0 = process.cpuUsage();
    const lap = (name: string) => {
      const t1 = performance.now(), c1 = process.cpuUsage(c0);
      T[name] = (T[name] ?? 0) + t1 - t0; cpu[name] = (cpu[name] ?? 0) + (c1.user + c1.system) / 1000;
      t0 = t1; c0 = process.cpuUsage();
    };
    const engine = await this.engine();
    let writer: Engine | undefined, texts: DocsWriter | undefined;
    // workers prepare the batch, then the earlier documents read back; with jobs 1 it never starts them
    const pool = preparePool(o, { keepTexts: o.nearDuplicates && !o.exact && commit });
    try {
      if (m) await this.defineIndex(engine, m);
      else for (const t of INDEX_TABLES) await engine.run(tableDefinition(t, 'duckdb'));
      for (const t of ['batch_docs', 'batch_bands', 'batch_fps', 'steps'] as TableName[]) await engine.run(tableDefinition(t, 'duckdb'));
      // sketch
      const scratch = new TokenStore();
      const sk = new BatchSketch(o, this.plan, first, scratch);
      const keepSig = o.nearDuplicates && !o.exact;
      // an add's docs segment is written as the texts come (they are not kept)
      let next = m?.next ?? 1;
      const docsFile = segmentFile(next++, 'docs');
      if (commit) texts = new DocsWriter(join(this.dir, docsFile), keepSig);
      const docsOut = texts;
      const take = (d: InputDocument) => {
        if (!docsOut) return;
        const t = sk.size - 1;
        docsOut.add(first + t, d.id, d.text, keepSig ? sk.sigBytes(t) : undefined);
      };
      if (lines) {
        // the texts come back as UTF-8 from the workers that parsed them (as strings from this thread)
        let chars = 0;
        const reserve = reserveOnce();
        for await (const b of pool.lineBatches(lines.blocks, lines.fields, docsOut !== undefined)) {
          const x = b.texts;
          for (let i = 0; i < b.ids.length; i++) {
            if (b.prepared) sk.addPrepared(b.ids[i]!, b.prepared[i]!); else sk.add(b.docs[i]!);
            const t = sk.size - 1;
            if (docsOut) {
              const sig = keepSig ? sk.sigBytes(t) : undefined;
              if (x) docsOut.addBytes(first + t, b.ids[i]!, x.bytes.subarray(x.offs[3 * i]!, x.offs[3 * i]! + x.offs[3 * i + 1]!), x.offs[3 * i + 2]!, sig);
              else take(b.docs[i]!);
            }
            lines.hooks.onProgress?.(t + 1, chars += sk.chars[t]!);
          }
          // the files' size known, the columns grow once, as the first megabytes say they will
          sk.reserve(reserve(b.input));
        }
        lines.hooks.onRead?.();
      } else if (o.jobs <= 1) {
        const input = docs as BatchDocuments;
        if (Symbol.iterator in input) for (const d of input) { sk.add(d); take(d); } else for await (const d of input) { sk.add(d); take(d); }
      } else {
        // workers run the per-document stages, in input order, as they do for a scan. Without
        // signatures to store, each text goes to the docs segment as it is read, so the pool need
        // not keep the texts of batches in flight (nor does a query, which stores none).
        const early = docsOut !== undefined && !keepSig, needTexts = docsOut !== undefined && keepSig;
        let read = 0;
        const writing = async function* (src: BatchDocuments): AsyncGenerator<InputDocument> {
          for await (const d of src) { checkDocument(d, read + 1); docsOut!.add(first + read++, d.id, d.text); yield d; }
        };
        const input = docs as BatchDocuments;
        for await (const b of pool.batches(early ? writing(input) : input)) {
          for (let i = 0; i < b.ids.length; i++) {
            if (b.prepared) sk.addPrepared(b.ids[i]!, b.prepared[i]!); else sk.add(b.docs[i]!);
            if (needTexts) take(b.docs[i]!);
          }
        }
      }
      const n = sk.size;
      lap('sketch');
      await this.loadBatch(engine, sk);
      lap('load');
      const params: StageParams = { first, walk: 2 * o.maxPairCandidates, limit: o.maxPairCandidates, cap: o.maxPostings };
      const stage = async (db: Engine, name: 'ids' | 'candidates' | 'passages' | 'commit') => { for (const s of stageStatements(name, params)) await db.run(s); };

      // ids: a batch with an id the index holds is refused before anything is written
      await stage(engine, 'ids');
      const taken = await engine.rows('SELECT id FROM taken ORDER BY doc LIMIT 1');
      if (taken.length) {
        const id = taken[0]![0] as string;
        throw new ReprintError(ErrorCode.DUPLICATE_ID, `document id ${JSON.stringify(id)} is in the index already (${this.dir})`, id);
      }
      lap('ids');

      // candidates (d, e), by d then e; hits (d, e, i, j) as they come (ordered below). While the
      // engine runs them, each batch document is aligned with itself here.
      const matching = (async () => {
        // matched by another engine: its results, checked
        if (matched) {
          if (o.passages) await checkPostings(engine, matched.newPostings, first, n);
          return {
            cand: o.nearDuplicates ? await matchedRows(engine, 'candidates', matched.candidates, first, n) : noRows(2),
            hits: o.passages ? await matchedRows(engine, 'hits', matched.hits, first, n) : noRows(4),
          };
        }
        const cand: IntRows = o.nearDuplicates ? (await stage(engine, 'candidates'), await engine.ints('SELECT d, e FROM candidates ORDER BY d, e', 2)) : noRows(2);
        const hits: IntRows = o.passages ? (await stage(engine, 'passages'), await engine.ints('SELECT d, e, i, j FROM hits', 4)) : noRows(4);
        return { cand, hits };
      })();
      const self: Edge[][] = [];
      for (let t = 0; t < n; t++) {
        // let the stage statements' continuations run now and then, so the engine is kept busy
        if ((t & 1023) === 1023) await nextTurn();
        self.push(o.passages ? selfEdges(first + t, sk.tokens[t]!, sk.selfHits, sk.selfAt[t]!, sk.selfAt[t + 1]!, this.align) : []);
      }
      const { cand, hits } = await matching;
      lap('candidates+passages');

      // an add's segments are written beside the rest of the work, on a second connection
      let writes: Promise<Segment[]> | undefined;
      if (docsOut) {
        writer = await engine.connection();
        const w = writer, at = next;
        next += 2;
        // the engine's statements go first, so they run while the texts' file is written here
        const engineSegments = (async () => {
          const out: Segment[] = [];
          if (o.nearDuplicates && sk.bands.n) out.push(await this.writeSegment(w, 'bands', 'SELECT bucket, doc FROM batch_bands', at));
          if (o.passages && matched) out.push(await this.writeSegment(w, 'postings', `SELECT CAST(fp AS BIGINT) AS fp, CAST(doc AS INTEGER) AS doc, CAST(pos AS INTEGER) AS pos FROM ${parquetList(matched.newPostings)}`, at + 1));
          else if (o.passages) { await stage(w, 'commit'); out.push(await this.writeSegment(w, 'postings', 'SELECT fp, doc, pos FROM new_postings', at + 1)); }
          return out;
        })();
        writes = (async () => {
          await nextTurn();
          const rows = await docsOut.close();
          const docsSegment: Segment = { table: 'docs', file: docsFile, rows, bytes: statSync(join(this.dir, docsFile)).size, first };
          return [docsSegment, ...(await engineSegments)];
        })();
        engineSegments.catch(() => undefined);
        // an error here is reported by the await below; until then it is not unhandled
        writes.catch(() => undefined);
      }

      // refine: each batch document as a Corpus adds it, against the earlier documents its hits
      // and pair candidates name. Those are read from the index in rounds: first the best-anchored
      // and the pair candidates, then whatever a document turned out to need besides.
      const hitAt = startsOf(hits.cols[0]!, hits.n, first, n), candAt = startsOf(cand.cols[0]!, cand.n, first, n);
      const hitOrder = orderHits(hits, hitAt, first);
      const groups = new HitGroups();
      const L = new Int32Array(3 * Math.max(1, maxRun(hitAt)));
      const ctx = new Map<number, { id: string; chars: number; tokens: DocTokens; sig: Uint32Array | undefined }>();
      const want = new Set<number>();
      for (let t = 0; t < n; t++) {
        const k = fillHits(L, hits.cols, hitOrder, hitAt[t]!, hitAt[t + 1]!);
        const best = candidateDocs(L, k, groups, 1, leastHits(o.minCandidateHits, sk.fpAt[t + 1]! - sk.fpAt[t]!))[0];
        if (best !== undefined && best < first) want.add(best);
      }
      for (let x = 0; x < cand.n; x++) if (cand.cols[1]![x]! < first) want.add(cand.cols[1]![x]!);
      const jaccard = new ExactJaccard(o.shingleSize), cands = { maxCandidates: o.maxCandidates, minCandidateHits: o.minCandidateHits, seedWords: this.plan.seedWords };
      const cross: Edge[][] = new Array(n), pairsOf: { e: number; similarity: number }[][] = new Array(n);
      let todo = Array.from({ length: n }, (_, t) => t);
      const MISSING = Symbol('missing');
      const tokensOf = (e: number): TokenHashes => {
        if (e >= first) return sk.tokens[e - first]!;
        const c = ctx.get(e);
        if (!c) { want.add(e); throw MISSING; }
        return c.tokens;
      };
      for (let round = 0; todo.length; round++) {
        lap('refine');
        await this.loadContext([...want].filter((e) => !ctx.has(e)), keepSig, pool, (e, id, chars, tokens, sig) => { ctx.set(e, { id, chars, tokens, sig }); });
        want.clear();
        lap('context');
        const again: number[] = [];
        for (const [at, t] of todo.entries()) {
          // now and then, let the segment writes' continuations issue their next statements
          if ((at & 1023) === 1023) await nextTurn();
          const d = first + t, D = sk.tokens[t]!;
          try {
            const out: Edge[] = [];
            if (o.passages) alignCandidates(d, D, sk.fpAt[t + 1]! - sk.fpAt[t]!, L, fillHits(L, hits.cols, hitOrder, hitAt[t]!, hitAt[t + 1]!), tokensOf, groups, cands, this.align, out);
            const near: { e: number; similarity: number }[] = [];
            for (let x = candAt[t]!; x < candAt[t + 1]!; x++) {
              const e = cand.cols[1]![x]!;
              const s = o.exact ? jaccard.of(d, D, tokensOf(e)) : estimate(sk.sigs.subarray(t * o.numPerm, (t + 1) * o.numPerm), e >= first ? sk.sigs : ctx.get(e)!.sig!, e >= first ? (e - first) * o.numPerm : 0, o.numPerm);
              if (s >= o.threshold) near.push({ e, similarity: s });
            }
            cross[t] = out; pairsOf[t] = near;
          } catch (err) {
            if (err !== MISSING) throw err;
            again.push(t);
          }
        }
        todo = again;
      }
      lap('refine');

      // local numbers for the report: the earlier documents in index order, then the batch
      const context = Int32Array.from(ctx.keys()).sort(), c = context.length;
      const local = (e: number) => (e >= first ? c + e - first : lowerBound(context, e));
      const store = new TokenStore(), ids: string[] = [], chars: number[] = [];
      for (const e of context) { const x = ctx.get(e)!; store.keep(x.tokens); ids.push(x.id); chars.push(x.chars); }
      for (let t = 0; t < n; t++) { store.keep(sk.tokens[t]!); ids.push(sk.ids[t]!); chars.push(sk.chars[t]!); }
      const edges = new EdgeStore(), pairs: { a: number; b: number; similarity: number }[] = [];
      for (let t = 0; t < n; t++) {
        for (const e of self[t]!) edges.push({ ...e, a: c + t, b: c + t });
        for (const e of cross[t]!) edges.push({ ...e, a: c + t, b: local(e.b) });
        for (const p of pairsOf[t]!) pairs.push({ a: local(p.e), b: c + t, similarity: p.similarity });
      }
      const report = assembleReport({ options: o, align: this.align, ids, chars, store, edges: edges.columns(), pairs, from: c });
      // clusters: components over every pair the index holds and the batch's, those that reach the batch
      if (o.nearDuplicates && m && m.segments.some((x) => x.table === 'pairs')) {
        const stored = await engine.ints('SELECT a, b FROM pairs', 2);
        const links: [number, number][] = [];
        for (let x = 0; x < stored.n; x++) links.push([stored.cols[0]![x]!, stored.cols[1]![x]!]);
        for (let t = 0; t < n; t++) for (const p of pairsOf[t]!) links.push([p.e, first + t]);
        const found = components(first + n, links).filter((comp) => comp[comp.length - 1]! >= first);
        const names = this.idsOf(Int32Array.from(new Set(found.flat().filter((e) => e < first && !ctx.has(e)))).sort());
        const name = (e: number) => (e >= first ? sk.ids[e - first]! : ctx.get(e)?.id ?? names.get(e)!);
        report.clusters = found.map((comp) => ({ docs: comp.map(name) }));
        report.totals.clusters = report.clusters.length;
      }
      lap('report');
      if (commit) {
        const segments: Segment[] = [...(m?.segments ?? []), ...(await writes!)];
        lap('segments');
        if (pairs.length) {
          await engine.run(tableDefinition('pairs', 'duckdb').replace('CREATE TABLE pairs', 'CREATE TABLE new_pairs'));
          const a = await engine.conn.createAppender('new_pairs');
          for (let t = 0; t < n; t++) for (const p of pairsOf[t]!) { a.appendInteger(p.e); a.appendInteger(first + t); a.appendDouble(p.similarity); a.endRow(); }
          a.closeSync();
          segments.push(await this.writeSegment(engine, 'pairs', 'SELECT * FROM new_pairs ORDER BY b, a', next++));
        }
        const stored: Record<string, unknown> = { ...o };
        for (const k of PER_RUN) delete stored[k];
        const manifest: Manifest = {
          format: 'reprint-index', version: INDEX_FORMAT, hashVersion: HASH_VERSION, options: stored, lsh: lshParams(o),
          documents: first + n, batches: [...(m?.batches ?? []), { first, documents: n }], segments, ...retiredField(retire(m, [])), next,
        };
        writeManifest(this.dir, manifest);
        this.manifest = manifest;
        removeUnlisted(this.dir, manifest);
        lap('commit');
      }
      T.context_docs = c;
      // REPRINT_TRACE=1: the stage times on standard error (what bench/index.js tabulates)
      if (process.env.REPRINT_TRACE === '1') process.stderr.write(`[index ${commit ? 'add' : 'query'}] ${JSON.stringify(Object.fromEntries(Object.entries(T).map(([k, v]) => [k, Math.round(v)])))} cpu ${JSON.stringify(Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, Math.round(v)])))}\n`);
      return report;
    } finally {
      // a batch given up on leaves no docs file and no compression thread behind
      await texts?.abort();
      await pool.close();
      writer?.close();
      engine.close();
    }
  }

  /** The batch's tables in the engine: ids, band buckets, fingerprints, and the steps a bucket row looks back. */
  private async loadBatch(engine: Engine, sk: BatchSketch): Promise<void> {
    await engine.run(`INSERT INTO steps SELECT CAST(range AS INTEGER) FROM range(1, ${2 * this.options.maxPairCandidates + 1})`);
    await sk.loadInto(engine);
  }

  /**
   * Earlier documents by number: each one's id, length, tokens (and signature, when asked) to
   * `take`, read where they lie in the docs segments' pages (not by reading every document in the
   * index) and prepared again, on the pool's workers and this thread.
   */
  private async loadContext(docs: number[], sigs: boolean, pool: PreparePool, take: (doc: number, id: string, chars: number, tokens: DocTokens, sig: Uint32Array | undefined) => void): Promise<void> {
    if (docs.length === 0) return;
    const k = this.options.numPerm, jobs: (ReadJob & { first: number })[] = [];
    for (const { file, first, rows } of this.segmentRows(Int32Array.from(docs).sort())) {
      for (let at = 0; at < rows.length; at += CONTEXT_JOB) jobs.push({ file, rows: rows.subarray(at, at + CONTEXT_JOB), sig: sigs, first });
    }
    let j = 0, read = 0;
    for await (const b of pool.readBatches(jobs)) {
      const job = jobs[j++]!;
      for (let i = 0; i < b.ids.length; i++) {
        const p = b.prepared![i]!;
        take(job.first + job.rows[i]!, b.ids[i]!, p.chars, p.tokens, b.sigs?.subarray(i * k, (i + 1) * k));
      }
      read += b.ids.length;
    }
    if (read !== docs.length) throw new Error(`index ${this.dir}: ${docs.length - read} documents listed in its segments could not be read`);
  }

  /** Document numbers (ascending) by the committed docs segment that holds them: its file, first document, and their rows in it. */
  private *segmentRows(sorted: Int32Array): Generator<{ file: string; first: number; rows: Int32Array }> {
    const segments = (this.manifest?.segments ?? []).filter((x) => x.table === 'docs').sort((p, q) => (p.first ?? 0) - (q.first ?? 0));
    let x = 0;
    for (const seg of segments) {
      const lo = seg.first ?? 0, hi = lo + seg.rows;
      const from = x;
      while (x < sorted.length && sorted[x]! < hi) x++;
      if (x > from) yield { file: join(this.dir, seg.file), first: lo, rows: sorted.subarray(from, x).map((d) => d - lo) };
    }
  }

  /** Ids of documents by number (ascending), read from their pages. */
  private idsOf(sorted: Int32Array): Map<number, string> {
    const out = new Map<number, string>();
    this.readDocs(sorted, { id: true }, (doc, id) => out.set(doc, id!));
    return out;
  }

  /**
   * The columns wanted (text, id, signature) of documents by number (ascending), from the docs
   * segments that hold them; a column not wanted comes as '' or undefined.
   */
  private readDocs(sorted: Int32Array, want: { text?: boolean; id?: boolean; sig?: boolean }, each: (doc: number, id: string | undefined, text: string, sig: Uint8Array | undefined) => void): void {
    for (const { file, first: lo, rows } of this.segmentRows(sorted)) {
      const reader = new DocsReader(file);
      try {
        const texts: string[] = [], idOf: string[] = [], sigOf: Uint8Array[] = [];
        if (want.text) reader.read(3, rows, (_, b) => { texts.push(utf8.decode(b)); });
        if (want.id) reader.read(1, rows, (_, b) => { idOf.push(utf8.decode(b)); });
        if (want.sig) reader.read(4, rows, (_, b) => { sigOf.push(b.slice()); });
        for (let r = 0; r < rows.length; r++) each(lo + rows[r]!, idOf[r], texts[r] ?? '', sigOf[r]);
      } finally { reader.close(); }
    }
  }

  /** Write a query's rows as segment number `n` of a table (zstd Parquet), fsynced. */
  private async writeSegment(engine: Engine, table: IndexTable, select: string, n: number): Promise<Segment> {
    const file = segmentFile(n, table), path = join(this.dir, file);
    await engine.run(`COPY (${select}) TO ${sqlString(path)} (FORMAT PARQUET, COMPRESSION ZSTD, ROW_GROUP_SIZE ${table === 'docs' ? 8192 : 122880})`);
    fsyncPath(path);
    const rows = Number((await engine.rows(`SELECT COUNT(*) FROM ${parquetList([path])}`))[0]![0] as bigint);
    return { table, file, rows, bytes: statSync(path).size };
  }
}

const utf8 = new TextDecoder();

/** Resolves after the event loop's next turn: pending continuations (the engine's statements) run first. */
function nextTurn(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

/** A manifest's retired field: left out when nothing is retired. */
function retiredField(retired: NonNullable<Manifest['retired']>): Pick<Manifest, 'retired'> {
  return retired.length ? { retired } : {};
}

/** The index of v in sorted a (present). */
function lowerBound(a: Int32Array, v: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (a[mid]! < v) lo = mid + 1; else hi = mid; }
  return lo;
}
