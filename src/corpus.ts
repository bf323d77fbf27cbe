/**
 * Corpus: the incremental form of a scan. Documents are added one at a time; each is compared with
 * itself and with everything before it (repeated passages, near-duplicates), and `report()` groups
 * all that was found. Per document it keeps token hashes and offsets, a signature and winnowed
 * fingerprints, never the text.
 */
import { Aligner, type AlignOptions } from './align.js';
import { assembleReport } from './assemble.js';
import { EdgeStore, type Edge } from './edges.js';
import { DEFAULTS } from './defaults.js';
import { ErrorCode, ReprintError } from './errors.js';
import { FNV_OFFSET, FNV_PRIME, fmix32, rollingHashes } from './hash.js';
import { createFingerprints, kernelJaccard } from './kernel.js';
import { LshIndex, recallParams } from './lsh.js';
import { parseOptions, scanOptionsSchema, type ResolvedScanOptions, type ScanOptions } from './options.js';
import { FingerprintIndex, createHits } from './fingerprints.js';
import { checkDocument, planOf, prepare, type InputDocument, type Plan, type Prepared } from './prepare.js';
import type { Report } from './report.js';
import { SeedTable, createRepeats } from './seeds.js';
import { JaccardTable } from './shingle.js';
import { Spare, growPairs, grown } from './tables.js';
import { TokenStore, createTokens, type DocTokens, type TokenHashes } from './tokens.js';

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
  // exact Jaccard of candidate pairs where the kernel cannot run it, the shingle hashes of each
  // side, and the document whose shingles the table holds
  private readonly jaccard = new JaccardTable();
  private loaded = -1;
  private shA: Uint32Array = new Uint32Array(1024);
  private shB: Uint32Array = new Uint32Array(1024);
  // what a document repeats of itself, when neither the kernel nor a worker found it (the JavaScript path)
  private readonly seedTable = new SeedTable();
  private readonly repeats = createRepeats();
  private readonly hits = createHits();
  private readonly groups = new HitGroups();
  private readonly align: AlignOptions;

  constructor(options: ScanOptions = {}) {
    this.options = Object.freeze(parseOptions(scanOptionsSchema, options, 'scan options'));
    this.plan = planOf(this.options);
    const o = this.options;
    this.align = { minWords: o.minWords, seedWords: this.plan.seedWords, maxGap: o.maxGap, passageSimilarity: o.passageSimilarity };
    // the tables the indexes outgrow become token store chunks: their pages are mapped already
    const spare = new Spare();
    this.store = new TokenStore(undefined, spare);
    this.index = new FingerprintIndex(this.options.maxPostings, spare);
    // candidates are verified, so the bands favour recall at the threshold
    this.lsh = LshIndex.of({ threshold: o.threshold, numPerm: o.numPerm, ...recallParams(o.threshold, o.numPerm), weights: [...DEFAULTS.weights] }, spare);
  }

  get size(): number { return this.ids.length; }

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
    if (r.nHits > 0) {
      const self = new Aligner(D, D, align), rh = r.hits;
      for (let x = 0; x < r.nHits; x++) self.hit(rh[2 * x]!, rh[2 * x + 1]!);
      internal.push(...self.edges(d, d));
    }

    // passages shared with earlier documents: add the document's fingerprints to the index (each
    // key once) and, for the seeds seen here for the first time, collect the postings they
    // already had. Winnowing picks the same fingerprints from a shared run of seedWords +
    // window - 1 words in both documents, so only fingerprints are looked up.
    const H = this.hits;
    this.index.addDocument(d, D.n, r.keys, r.pos, r.n, H);
    if (H.count > 0) {
      // hits grouped by the earlier document in arrival order (a counting sort); the documents
      // with most hits are aligned
      const L = H.list, hc = H.count, g = this.groups;
      g.reset(hc);
      for (let x = 0; x < hc; x++) g.count(L[3 * x]!);
      const order = g.place();
      // the documents with most hits first; maxCandidates of them are aligned, passing over those
      // that would add nothing (a document whose every hit lies inside passages already aligned
      // with a document that had more hits: boilerplate is aligned with one earlier copy, not every one)
      const top = g.top(4 * o.maxCandidates), best = g.best;
      for (let c = 0, aligned = 0; c < top && aligned < o.maxCandidates; c++) {
        const id = best[c]!, e = g.doc[id]!;
        const from = g.start[id]!, end = from + g.len[id]!;
        if (cross.length && this.covers(cross, L, order, from, end)) continue;
        aligned++;
        const al = new Aligner(D, this.store.hashes(e), align);
        for (let x = from; x < end; x++) { const h = 3 * order[x]!; al.hit(L[h + 1]!, L[h + 2]!); }
        cross.push(...al.edges(d, e));
      }
    }
    for (const e of internal) this.edges.push(e);
    for (const e of cross) this.edges.push(e);
  }

  /** Whether every hit order[from..to) (its seed in this document) lies inside the a-side span of some edge. */
  private covers(edges: Edge[], L: Int32Array, order: Int32Array, from: number, to: number): boolean {
    const k = this.plan.seedWords;
    for (let x = from; x < to; x++) {
      const i = L[3 * order[x]! + 1]!;
      let inside = false;
      for (const e of edges) if (e.aStart <= i && i + k <= e.aEnd) { inside = true; break; }
      if (!inside) return false;
    }
    return true;
  }

  /** Earlier documents at or above the threshold, through LSH and verified (pairs are kept), in the order found. */
  private nearDuplicatesOf(d: number, p: Prepared): { doc: number; similarity: number }[] {
    const o = this.options;
    const near: { doc: number; similarity: number }[] = [];
    // verified exactly, candidates need no stored signature
    const found = this.lsh.addAndQueryIndex(p.signature, !o.exact, o.maxPairCandidates);
    if (found.length) {
      for (const e of found) {
        const s = o.exact ? this.exactWith(e, d, p.tokens) : this.lsh.similarityAt(p.signature, e);
        if (s >= o.threshold) { near.push({ doc: e, similarity: s }); this.pairs.push({ a: e, b: d, similarity: s }); }
      }
    }
    return near;
  }

  /** The full report: each document's repeats, cross-document passages, near-duplicate pairs and clusters. */
  report(): Report {
    return assembleReport({ options: this.options, align: this.align, ids: this.ids, chars: this.chars, store: this.store, edges: this.edges.columns(), pairs: this.pairs });
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

  /**
   * Exact Jaccard of earlier document e with document d (tokens D): in the kernel, or through the
   * JavaScript table, with d's shingles loaded once.
   */
  private exactWith(e: number, d: number, D: DocTokens): number {
    const t = this.store.hashes(e);
    const s = kernelJaccard(D.hashes, D.n, t.hashes, t.n, this.options.shingleSize);
    if (s !== undefined) return s;
    if (this.loaded !== d) { this.jaccard.load(this.shA = this.shinglesOf(D, this.shA), this.shingleCount(D)); this.loaded = d; }
    return this.jaccard.against(this.shB = this.shinglesOf(t, this.shB), this.shingleCount(t));
  }

  /** Word shingle hashes of a document's tokens, in `out` or a larger array (text order, duplicates kept). */
  private shinglesOf(t: TokenHashes, out: Uint32Array): Uint32Array {
    const buf = out.length >= t.n ? out : new Uint32Array(2 * t.n);
    rollingHashes(t.hashes, t.n, this.options.shingleSize, buf);
    return buf;
  }

  private shingleCount(t: TokenHashes): number {
    return t.n === 0 ? 0 : Math.max(1, t.n - this.options.shingleSize + 1);
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

/**
 * Groups a document's fingerprint hits by the earlier document they point to: `count` each hit's
 * document in hit order (a stamped open-addressing map to group ids; each hit's group is noted),
 * then `place` returns the hit indices grouped, in arrival order within each group (a counting
 * sort). Typed arrays, reused.
 */
class HitGroups {
  // arrays start small so that growing them is exercised by the first documents, before the
  // compiler optimizes the code that grows them (a path first taken later sends it back to the
  // interpreter)
  size = 0;
  best = new Int32Array(8);
  doc = new Int32Array(4);
  len = new Int32Array(4);
  start = new Int32Array(4);
  private keys = new Int32Array(16);
  private ids = new Int32Array(16);
  private stamp = new Int32Array(16);
  private epoch = 0;
  private order = new Int32Array(16);
  // the group of each hit counted so far, in hit order
  private groupOf = new Int32Array(16);
  private counted = 0;
  private fill = new Int32Array(4);
  private last = -1;
  private lastId = -1;

  reset(hits: number): void {
    this.size = 0; this.last = -1; this.counted = 0;
    if (this.order.length < hits) { this.order = new Int32Array(2 * hits); this.groupOf = new Int32Array(2 * hits); }
    if (this.keys.length < 2 * hits) {
      let cap = this.keys.length;
      while (cap < 2 * hits) cap *= 2;
      this.keys = new Int32Array(cap); this.ids = new Int32Array(cap); this.stamp = new Int32Array(cap); this.epoch = 0;
    }
    this.epoch++;
  }

  /** Count the next hit, on earlier document e. */
  count(e: number): void {
    // runs of hits on one document are common: skip the lookup
    if (e === this.last) { this.len[this.lastId]!++; this.groupOf[this.counted++] = this.lastId; return; }
    const mask = this.keys.length - 1, ep = this.epoch;
    // from the slot before the home slot, so the step runs on every lookup, not first on a collision
    let s = ((Math.imul(e, 0x9e3779b1) >>> 0) - 1) & mask;
    do s = (s + 1) & mask; while (this.stamp[s] === ep && this.keys[s] !== e);
    let id: number;
    if (this.stamp[s] === ep) id = this.ids[s]!;
    else {
      id = this.size++;
      if (id === this.doc.length) {
        this.doc = grown(this.doc, id + 1); this.len = grown(this.len, id + 1); this.start = grown(this.start, id + 1); this.fill = grown(this.fill, id + 1);
      }
      this.stamp[s] = ep; this.keys[s] = e; this.ids[s] = id;
      this.doc[id] = e; this.len[id] = 0;
    }
    this.len[id]!++;
    this.groupOf[this.counted++] = id;
    this.last = e; this.lastId = id;
  }

  /**
   * The (at most) k groups with most hits, into best[0, returned count): most hits first, the
   * earlier document first on ties. A partial insertion sort: k is small, groups may be many.
   */
  top(k: number): number {
    if (this.best.length < k) this.best = new Int32Array(k);
    const best = this.best;
    let m = 0;
    // one path for a list that is full and one that is not: a path first taken after the code
    // is compiled (the first document with more than k groups) sends it back to the interpreter
    for (let c = 0; c < this.size; c++) {
      // j: where c goes, after every kept group it does not rank before
      let j = m;
      while (j > 0 && this.before(c, best[j - 1]!)) j--;
      if (j >= k) continue;
      // the groups from j move down one (a full list drops its last)
      for (let i = Math.min(m, k - 1); i > j; i--) best[i] = best[i - 1]!;
      best[j] = c;
      if (m < k) m++;
    }
    return m;
  }

  /** Whether group c ranks before group x. */
  private before(c: number, x: number): boolean {
    const lc = this.len[c]!, lx = this.len[x]!;
    return lc > lx || (lc === lx && this.doc[c]! < this.doc[x]!);
  }

  /** Indices of the hits counted, grouped by document (group c at start[c], len[c] long), arrival order kept. */
  place(): Int32Array {
    let at = 0;
    for (let c = 0; c < this.size; c++) { this.start[c] = at; this.fill[c] = at; at += this.len[c]!; }
    for (let x = 0; x < this.counted; x++) this.order[this.fill[this.groupOf[x]!]!++] = x;
    return this.order;
  }
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
