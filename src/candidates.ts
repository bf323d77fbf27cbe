/**
 * The candidate stages shared by an in-memory corpus and a persistent index: a document's
 * fingerprint hits grouped by earlier document and aligned with the best-anchored ones, and
 * near-duplicate candidates verified by exact Jaccard.
 */
import { Aligner, type AlignOptions } from './align.js';
import type { Edge } from './edges.js';
import { rollingHashes } from './hash.js';
import { kernelJaccard } from './kernel.js';
import { JaccardTable } from './shingle.js';
import { grown } from './tables.js';
import type { DocTokens, TokenHashes } from './tokens.js';

/** What `alignCandidates` reads of the options. */
export interface CandidateOptions { maxCandidates: number; minCandidateHits: number; seedWords: number }

/**
 * Align document d (tokens D) with the earlier documents its fingerprint hits point to: hits
 * L[3x, 3x + 3) = (earlier document, position in d, position there) for x < count, where each
 * document's hits are in increasing position in d. The documents with most hits first (the
 * earlier on ties); maxCandidates of them are aligned, passing over those that would add nothing
 * (every hit inside passages already aligned with a document that had more hits: boilerplate is
 * aligned with one earlier copy, not every one) and those with fewer hits than `leastHits` asks
 * (d has `fingerprints` distinct fingerprints). Edges are appended to `cross`.
 */
export function alignCandidates(d: number, D: DocTokens, fingerprints: number, L: Int32Array, count: number, tokensOf: (e: number) => TokenHashes, g: HitGroups, o: CandidateOptions, align: AlignOptions, cross: Edge[]): void {
  if (count === 0) return;
  const least = leastHits(o.minCandidateHits, fingerprints);
  g.group(L, count);
  const order = g.place();
  const top = g.top(4 * o.maxCandidates), best = g.best;
  const first = cross.length;
  for (let c = 0, aligned = 0; c < top && aligned < o.maxCandidates; c++) {
    const id = best[c]!, e = g.doc[id]!;
    const from = g.start[id]!, end = from + g.len[id]!;
    if (end - from < least) continue;
    if (cross.length > first && covers(cross, first, L, order, from, end, o.seedWords)) continue;
    aligned++;
    const al = new Aligner(D, tokensOf(e), align);
    for (let x = from; x < end; x++) { const h = 3 * order[x]!; al.hit(L[h + 1]!, L[h + 2]!); }
    cross.push(...al.edges(d, e));
  }
}

/** Document d's alignments with itself, from its repeated seeds: flat (position, first position) pairs hits[2x, 2x + 2) for from <= x < to. */
export function selfEdges(d: number, D: DocTokens, hits: Int32Array, from: number, to: number, align: AlignOptions): Edge[] {
  if (to <= from) return [];
  const al = new Aligner(D, D, align);
  for (let x = from; x < to; x++) al.hit(hits[2 * x]!, hits[2 * x + 1]!);
  return al.edges(d, d);
}

/**
 * Hits an earlier document needs to be aligned with a document of `fingerprints` distinct
 * fingerprints: minCandidateHits, or half of them for a text that has few (short, or periodic).
 */
export function leastHits(minCandidateHits: number, fingerprints: number): number {
  return Math.max(1, Math.min(minCandidateHits, Math.ceil(fingerprints / 2)));
}

/**
 * The first k earlier documents `alignCandidates` may align d with, in the order it tries them
 * (what a persistent index loads before aligning).
 */
export function candidateDocs(L: Int32Array, count: number, g: HitGroups, k: number, least: number): number[] {
  if (count === 0) return [];
  g.group(L, count);
  const top = g.top(k), out: number[] = [];
  for (let c = 0; c < top; c++) if (g.len[g.best[c]!]! >= least) out.push(g.doc[g.best[c]!]!);
  return out;
}

/** Whether every hit order[from..to) (its seed in this document) lies inside the a-side span of an edge of cross[first..]. */
function covers(edges: Edge[], first: number, L: Int32Array, order: Int32Array, from: number, to: number, k: number): boolean {
  for (let x = from; x < to; x++) {
    const i = L[3 * order[x]! + 1]!;
    let inside = false;
    for (let c = first; c < edges.length; c++) { const e = edges[c]!; if (e.aStart <= i && i + k <= e.aEnd) { inside = true; break; } }
    if (!inside) return false;
  }
  return true;
}

/**
 * Exact Jaccard of word shingle sets, one document against many: in the kernel, or through the
 * JavaScript table with the first document's shingles loaded once.
 */
export class ExactJaccard {
  private readonly table = new JaccardTable();
  // the document (by the caller's number) whose shingles the table holds
  private loaded = -1;
  private shA: Uint32Array = new Uint32Array(1024);
  private shB: Uint32Array = new Uint32Array(1024);
  constructor(private readonly shingleSize: number) {}

  /** Jaccard of document d (tokens D) with tokens t. */
  of(d: number, D: TokenHashes, t: TokenHashes): number {
    const s = kernelJaccard(D.hashes, D.n, t.hashes, t.n, this.shingleSize);
    if (s !== undefined) return s;
    if (this.loaded !== d) { this.table.load(this.shA = this.shinglesOf(D, this.shA), this.count(D)); this.loaded = d; }
    return this.table.against(this.shB = this.shinglesOf(t, this.shB), this.count(t));
  }

  /** Word shingle hashes of a document's tokens, in `out` or a larger array (text order, duplicates kept). */
  private shinglesOf(t: TokenHashes, out: Uint32Array): Uint32Array {
    const buf = out.length >= t.n ? out : new Uint32Array(2 * t.n);
    rollingHashes(t.hashes, t.n, this.shingleSize, buf);
    return buf;
  }

  private count(t: TokenHashes): number {
    return t.n === 0 ? 0 : Math.max(1, t.n - this.shingleSize + 1);
  }
}

/**
 * Groups a document's fingerprint hits by the earlier document they point to: `count` each hit's
 * document in hit order (a stamped open-addressing map to group ids; each hit's group is noted),
 * then `place` returns the hit indices grouped, in arrival order within each group (a counting
 * sort). Typed arrays, reused.
 */
export class HitGroups {
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

  /** Count hits L[3x] (their earlier documents) for x < count, after a reset. */
  group(L: Int32Array, count: number): void {
    this.reset(count);
    for (let x = 0; x < count; x++) this.count(L[3 * x]!);
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

