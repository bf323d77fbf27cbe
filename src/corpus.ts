/**
 * Corpus: the incremental form of a scan. Documents are added one at a time; each is compared with
 * itself and with everything before it (repeated passages, near-duplicates), and `report()` groups
 * all that was found. Per document it keeps token hashes and offsets, a signature and winnowed
 * fingerprints, never the text.
 */
import type { AlignOptions } from './align.js';
import { ExactJaccard, HitGroups, alignCandidates, selfEdges, type CandidateOptions } from './candidates.js';
import { assembleParts, reportOf } from './assemble.js';
import { EdgeStore, type Edge } from './edges.js';
import { DEFAULTS } from './defaults.js';
import { ErrorCode, ReprintError } from './errors.js';
import { FNV_OFFSET, FNV_PRIME, fmix32 } from './hash.js';
import { createFingerprints } from './kernel.js';
import { LshIndex, recallParams } from './lsh.js';
import { parseOptions, scanOptionsSchema, type ResolvedScanOptions, type ScanOptions } from './options.js';
import { FingerprintIndex, createHits } from './fingerprints.js';
import { checkDocument, planOf, prepare, type InputDocument, type Plan, type Prepared } from './prepare.js';
import type { Report, ReportParts } from './report.js';
import { SeedTable, createRepeats } from './seeds.js';
import { Spare, growPairs } from './tables.js';
import { TokenStore, createTokens } from './tokens.js';

export type { InputDocument, Prepared };

/** A span of the document just added, with its match elsewhere. */
export interface PassageMatch {
  /** The other document's id (the same id for a repeat inside the document). */
  doc: string;
  start: number;
  end: number;
  otherStart: number;
  otherEnd: number;
  words: number;
  similarity: number;
}

export interface AddResult {
  id: string;
  /** Passages of this document that repeat earlier text of itself (later copy first). */
  internal: PassageMatch[];
  /**
   * Passages of this document that occur in earlier documents: each aligned with the earlier
   * document that shares most with it, and with others only where they cover more of it (so a
   * boilerplate block found in thousands of pages comes back once, not once per page).
   */
  matches: PassageMatch[];
  /** Earlier documents at or above the threshold. */
  nearDuplicates: { id: string; similarity: number }[];
}

export class Corpus {
  readonly options: Readonly<ResolvedScanOptions>;
  private readonly plan: Plan;
  // per document (numbered from 0 in arrival order): id and length in UTF-16 units; its kept
  // tokens are in the store under the same number
  private readonly ids: string[] = [];
  private readonly chars: number[] = [];
  // ids taken so far
  private readonly taken = new IdTable();
  private readonly edges = new EdgeStore();
  private readonly pairs: { a: number; b: number; similarity: number }[] = [];
  private readonly index: FingerprintIndex;
  private readonly lsh: LshIndex;
  private readonly arena = createTokens(1 << 14);
  private readonly fp = createFingerprints(true);
  // every document's token arrays, carved from shared chunks
  private readonly store: TokenStore;
  private readonly jaccard: ExactJaccard;
  // what a document repeats of itself, when neither the kernel nor a worker found it (the JavaScript path)
  private readonly seedTable = new SeedTable();
  private readonly repeats = createRepeats();
  private readonly hits = createHits();
  private readonly groups = new HitGroups();
  private readonly align: AlignOptions;
  private readonly cand: CandidateOptions;

  constructor(options: ScanOptions = {}) {
    this.options = Object.freeze(parseOptions(scanOptionsSchema, options, 'scan options'));
    this.plan = planOf(this.options);
    const o = this.options;
    this.jaccard = new ExactJaccard(o.shingleSize);
    this.cand = { maxCandidates: o.maxCandidates, minCandidateHits: o.minCandidateHits, seedWords: this.plan.seedWords };
    this.align = { minWords: o.minWords, seedWords: this.plan.seedWords, maxGap: o.maxGap, passageSimilarity: o.passageSimilarity };
    // the tables the indexes outgrow become token store chunks: their pages are mapped already
    const spare = new Spare();
    this.store = new TokenStore(undefined, spare);
    this.index = new FingerprintIndex(this.options.maxPostings, spare);
    // candidates are verified, so the bands favour recall at the threshold
    this.lsh = LshIndex.of({ threshold: o.threshold, numPerm: o.numPerm, ...recallParams(o.threshold, o.numPerm), weights: [...DEFAULTS.weights] }, spare);
  }

  get size(): number { return this.ids.length; }

  /**
   * @internal Grow the indexes at once to hold about `factor` times what they hold, for a caller
   * that knows how much more input is coming: one table at its final size instead of doublings,
   * each of which moves every key into fresh memory. The same results either way.
   */
  reserve(factor: number): void {
    if (!(factor > 1)) return;
    if (this.options.passages) this.index.reserve(factor);
    if (this.options.nearDuplicates) this.lsh.grow(factor);
  }

  /** Add a document; learn what it repeats from itself and from every document before it. */
  add(doc: InputDocument): AddResult {
    return this.addDoc(doc.id, this.prepareDoc(doc), true)!;
  }

  /**
   * Add a document for the report only: what `add` does, without building its AddResult (the
   * offsets of each passage it repeats), which a whole-corpus scan does not read.
   */
  ingest(doc: InputDocument): void {
    this.addDoc(doc.id, this.prepareDoc(doc), false);
  }

  /** Add a document whose per-document stages were computed elsewhere (a worker) with the same options. */
  addPrepared(id: string, p: Prepared): AddResult {
    this.claimId(id);
    return this.addDoc(id, p, true)!;
  }

  /** `addPrepared` for the report only, as `ingest` is to `add`. */
  ingestPrepared(id: string, p: Prepared): void {
    this.claimId(id);
    this.addDoc(id, p, false);
  }

  /** Check a document, take its id and run its per-document stages. */
  private prepareDoc(doc: InputDocument): Prepared {
    checkDocument(doc, this.ids.length + 1);
    this.claimId(doc.id);
    // a document that fails before it is added leaves its id free
    try { return prepare(doc.text, this.options, this.plan, this.arena, this.fp, this.store); } catch (err) { this.taken.release(this.ids); throw err; }
  }

  private addDoc(id: string, p: Prepared, result: boolean): AddResult | undefined {
    const o = this.options;
    const d = this.ids.length;
    // a document past the index's limit is not added, and leaves its id free
    if (o.passages) { try { this.index.checkRoom(p.tokens.n); } catch (err) { this.taken.release(this.ids); throw err; } }
    this.ids.push(id); this.chars.push(p.chars); this.store.keep(p.tokens);

    const internal: Edge[] = [], cross: Edge[] = [];
    if (o.passages) this.alignPassages(d, p, internal, cross);
    const near = o.nearDuplicates ? this.nearDuplicatesOf(d, p) : [];
    if (!result) return undefined;
    return {
      id,
      internal: internal.map((e) => this.match(e)),
      matches: cross.map((e) => this.match(e)),
      nearDuplicates: near.sort((x, y) => y.similarity - x.similarity || x.doc - y.doc).map((n) => ({ id: this.ids[n.doc]!, similarity: n.similarity })),
    };
  }

  /** Repeats of document d inside itself and with earlier documents (edges appended to the lists and kept). */
  private alignPassages(d: number, p: Prepared, internal: Edge[], cross: Edge[]): void {
    const o = this.options, align = this.align;
    const D = p.tokens;
    // repeats inside the document: every seed seen before in it, with its first position (the
    // kernel found them, or the seed table does)
    const r = p.repeats ?? this.seedTable.repeats(p.seeds, p.marks, this.repeats);
    internal.push(...selfEdges(d, D, r.hits, 0, r.nHits, align));

    // passages shared with earlier documents: add the document's fingerprints to the index (each
    // key once) and, for the seeds seen here for the first time, collect the postings they
    // already had. Winnowing picks the same fingerprints from a shared run of seedWords +
    // window - 1 words in both documents, so only fingerprints are looked up.
    const H = this.hits;
    this.index.addDocument(d, D.n, r.keys, r.pos, r.n, H);
    alignCandidates(d, D, r.n, H.list, H.count, (e) => this.store.hashes(e), this.groups, this.cand, align, cross);
    for (const e of internal) this.edges.push(e);
    for (const e of cross) this.edges.push(e);
  }

  /** Earlier documents at or above the threshold, through LSH and verified (pairs are kept), in the order found. */
  private nearDuplicatesOf(d: number, p: Prepared): { doc: number; similarity: number }[] {
    const o = this.options;
    const near: { doc: number; similarity: number }[] = [];
    // verified exactly, candidates need no stored signature
    const found = this.lsh.addAndQueryIndex(p.signature, !o.exact, o.maxPairCandidates);
    if (found.length) {
      for (const e of found) {
        const s = o.exact ? this.jaccard.of(d, p.tokens, this.store.hashes(e)) : this.lsh.similarityAt(p.signature, e);
        if (s >= o.threshold) { near.push({ doc: e, similarity: s }); this.pairs.push({ a: e, b: d, similarity: s }); }
      }
    }
    return near;
  }

  /** The full report: each document's repeats, cross-document passages, near-duplicate pairs and clusters. */
  report(): Report {
    return reportOf(this.reportParts());
  }

  /** @internal The report in parts (`ReportParts`): what `report()` makes its objects from. */
  reportParts(): ReportParts {
    return assembleParts({ options: this.options, align: this.align, ids: this.ids, chars: this.chars, store: this.store, edges: this.edges.columns(), pairs: this.pairs });
  }

  /**
   * Bytes held per document (token arrays) and by the indexes (fingerprints; LSH, with signatures
   * only when candidates are verified by estimate), for the benchmark.
   */
  memory(): { tokenBytes: number; fingerprintBytes: number; lshBytes: number; edges: number } {
    return { tokenBytes: this.store.bytes(), fingerprintBytes: this.index.stats.bytes, lshBytes: this.lsh.bytes, edges: this.edges.size };
  }

  private match(e: Edge): PassageMatch {
    const s = this.store;
    return {
      doc: this.ids[e.b]!,
      start: s.startOf(e.a, e.aStart), end: s.endOf(e.a, e.aEnd - 1),
      otherStart: s.startOf(e.b, e.bStart), otherEnd: s.endOf(e.b, e.bEnd - 1),
      words: Math.max(e.aEnd - e.aStart, e.bEnd - e.bStart),
      similarity: round(e.similarity),
    };
  }

  /** Take an id for the next document, or throw if a document already has it. */
  private claimId(id: string): void {
    if (!this.taken.claim(id, this.ids)) throw new ReprintError(ErrorCode.DUPLICATE_ID, `document ids must be unique, got ${JSON.stringify(id)} twice`, id);
  }
}

/**
 * The ids a corpus has taken: open addressing over (a 32-bit hash of the id, its document number)
 * pairs, laid out as the indexes' tables are, so a lookup compares hashes in one typed array and
 * reads an id string only when they agree. A Set of strings reads the stored strings themselves,
 * scattered over the heap: with a large corpus each add missed the cache several times.
 */
export class IdTable {
  // slot s: the id's hash at [2s], its document number at [2s + 1] (-1: free), grown by `growPairs`
  private table: Int32Array<ArrayBuffer> = new Int32Array(2 * 1024).fill(-1);
  private size = 0;
  // the slot of the id claimed last, until `release` or the next claim
  private last = -1;

  /** FNV-1a over the id's UTF-16 units, finalized by fmix32. */
  private static hash(id: string): number {
    let h = FNV_OFFSET;
    for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), FNV_PRIME);
    return fmix32(h >>> 0) | 0;
  }

  /**
   * Take `id` for document ids.length (the next one); false if an earlier document (in `ids`) has
   * it. The claim stands until `release` (a document that failed before it was added).
   */
  claim(id: string, ids: readonly string[]): boolean {
    // at most half the slots taken; growing moves every slot, the last claim's too
    if (4 * (this.size + 1) > this.table.length) { this.table = growPairs(this.table); this.last = -1; }
    const h = IdTable.hash(id), t = this.table, mask = (t.length >> 1) - 1;
    let s = h & mask, d: number;
    while ((d = t[2 * s + 1]!) !== -1) {
      if (t[2 * s] === h && ids[d] === id) return false;
      s = (s + 1) & mask;
    }
    t[2 * s] = h; t[2 * s + 1] = ids.length; this.size++;
    this.last = s;
    return true;
  }

  /**
   * Give back the id claimed last, if its document was not added (is not in `ids`). No id was
   * claimed after it, so no probe chain runs through its slot, and freeing the slot breaks none.
   */
  release(ids: readonly string[]): void {
    if (this.last < 0 || this.table[2 * this.last + 1] !== ids.length) return;
    this.table[2 * this.last + 1] = -1;
    this.size--;
    this.last = -1;
  }
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
