/**
 * Grouping aligned spans around a representative. An occurrence is a whole alignment span. An
 * edge's earlier span and later span join a group only if each is at least passageSimilarity
 * similar to the group's representative (or is already one of its occurrences); otherwise the edge
 * starts a group whose representative is its earlier span. Nothing is merged transitively, so a
 * group never chains unrelated text (A~B, B~C, C unlike A), and groups may overlap: an article and
 * the footer it carries are two groups. Each edge costs an interval lookup and a few bounded
 * similarity checks.
 */
import { spanSimilarity, type AlignOptions } from './align.js';
import type { EdgeColumns } from './edges.js';
import { grown } from './tables.js';
import type { TokenHashes } from './tokens.js';

/**
 * Groups in typed arrays: group g's occurrences are o in [at[g], at[g + 1]) with document doc[o],
 * token span [start[o], end[o]) and similarity to the representative sim[o], in document, then
 * position order; rep[g] is the representative's index o.
 */
export interface Groups { count: number; at: Int32Array; rep: Int32Array; doc: Int32Array; start: Int32Array; end: Int32Array; sim: Float64Array }

/** Candidate groups checked per edge, those whose occurrences overlap its spans most first. */
const MAX_CANDIDATES = 4;
/** Occurrences of one document a lookup reads at most, newest first (bounds degenerate documents). */
const MAX_SCAN = 64;
/** An occurrence overlapping a span by this share of the longer of the two is that span. */
const SAME = 0.9;

/**
 * (group, document) -> occurrence, by open addressing over int triples: a Map keyed by
 * group * documents + document would hash a heap number per key once past 2^31. Cleared by
 * emptying the slots it used, for a grouper reset once per document.
 */
class PairTable {
  // slot i: group at [3i], document at [3i + 1], occurrence at [3i + 2] (-1: free)
  private t: Int32Array;
  private mask: number;
  // the slots in use, for clear() and the rehash
  private used: Int32Array;
  private count = 0;

  /** Room for `keys` keys before the first rehash. */
  constructor(keys = 48) {
    let slots = 64;
    while (slots < 2 * keys) slots *= 2;
    this.mask = slots - 1;
    this.t = new Int32Array(3 * slots).fill(-1);
    this.used = new Int32Array(slots >> 1);
  }

  /** The occurrence stored for (g, doc), or -1. */
  get(g: number, doc: number): number {
    const t = this.t;
    for (let i = pairHash(g, doc) & this.mask; ; i = (i + 1) & this.mask) {
      const v = t[3 * i + 2]!;
      if (v === -1 || (t[3 * i] === g && t[3 * i + 1] === doc)) return v;
    }
  }

  /** Store o for (g, doc); returns what was stored before, or -1. */
  put(g: number, doc: number, o: number): number {
    // load at most 1/2: a miss (most puts) probes about two and a half slots
    if (this.count === this.used.length) this.grow();
    const t = this.t;
    let i = pairHash(g, doc) & this.mask;
    for (; t[3 * i + 2] !== -1; i = (i + 1) & this.mask) {
      if (t[3 * i] === g && t[3 * i + 1] === doc) { const was = t[3 * i + 2]!; t[3 * i + 2] = o; return was; }
    }
    t[3 * i] = g; t[3 * i + 1] = doc; t[3 * i + 2] = o;
    this.used[this.count++] = i;
    return -1;
  }

  clear(): void {
    const t = this.t, used = this.used;
    for (let k = 0; k < this.count; k++) t[3 * used[k]! + 2] = -1;
    this.count = 0;
  }

  private grow(): void {
    const old = this.t, slots = this.used, n = this.count;
    this.mask = 2 * this.mask + 1;
    this.t = new Int32Array(3 * (this.mask + 1)).fill(-1);
    this.used = new Int32Array((this.mask + 1) >> 1);
    this.count = 0;
    for (let k = 0; k < n; k++) { const j = slots[k]!; this.put(old[3 * j]!, old[3 * j + 1]!, old[3 * j + 2]!); }
  }
}

/** A slot for (g, doc): both mixed into all 32 bits, whose low bits pick the slot. */
function pairHash(g: number, doc: number): number {
  let h = Math.imul(g, 0x9e3779b1) ^ doc;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}

export class Grouper {
  // occurrences: document, token span, group, similarity to the group's representative, the
  // document's previous occurrence (each document's occurrences are a list, newest first), and the
  // previous occurrence of the same group in the same document
  private oDoc: Int32Array;
  private oStart: Int32Array;
  private oEnd: Int32Array;
  private oGroup: Int32Array;
  private oSim: Float64Array;
  private oNext: Int32Array;
  private oSame: Int32Array;
  private size = 0;
  // per group: its representative occurrence
  private readonly gRep: number[] = [];
  // per document from `firstDoc` (of `docs`): its newest occurrence, or -1
  private head: Int32Array;
  private docs: number;
  // (group, document) -> that group's newest occurrence in that document (the start of `oSame`)
  private readonly last: PairTable;
  // candidate groups of the edge being placed and their overlaps
  private readonly cand = new Int32Array(MAX_CANDIDATES);
  private readonly candOver = new Int32Array(MAX_CANDIDATES);

  /**
   * `tokens(d)`: document d's token hashes, for the similarity checks; spans lie in documents
   * [firstDoc, firstDoc + docs); room for `occurrences` before the arrays grow.
   */
  constructor(private readonly tokens: (doc: number) => TokenHashes, private readonly o: AlignOptions, private firstDoc: number, docs: number, occurrences = 64) {
    this.head = new Int32Array(docs).fill(-1);
    this.docs = docs;
    const n = Math.max(64, occurrences);
    this.oDoc = new Int32Array(n); this.oStart = new Int32Array(n); this.oEnd = new Int32Array(n); this.oGroup = new Int32Array(n);
    this.oSim = new Float64Array(n); this.oNext = new Int32Array(n); this.oSame = new Int32Array(n);
    this.last = new PairTable(n);
  }

  /** Empty the grouper for spans in documents [firstDoc, firstDoc + docs) (its arrays are reused). */
  reset(firstDoc: number, docs: number): void {
    this.firstDoc = firstDoc; this.docs = docs; this.size = 0; this.gRep.length = 0; this.last.clear();
    if (this.head.length < docs) this.head = new Int32Array(docs);
    this.head.fill(-1, 0, docs);
  }

  get options(): AlignOptions { return this.o; }

  /**
   * Place an edge: the earlier span (doc e, [e0, e1)) and the later one (doc d, [d0, d1)), aligned
   * with similarity s.
   */
  place(e: number, e0: number, e1: number, d: number, d0: number, d1: number, s: number): void {
    const theta = this.o.passageSimilarity;
    const n = this.candidates(e, e0, e1, d, d0, d1);
    for (let c = 0; c < n; c++) {
      const g = this.cand[c]!, r = this.gRep[g]!;
      const simE = this.simTo(g, r, e, e0, e1);
      if (simE < theta) continue;
      // the earlier span has the representative's very words: the edge's similarity is the later one's
      const isRep = this.sameWords(e, e0, e1, this.oDoc[r]!, this.oStart[r]!, this.oEnd[r]!);
      const simD = isRep ? s : this.simTo(g, r, d, d0, d1);
      if (simD < theta) continue;
      if (!this.has(g, e, e0, e1)) this.add(g, e, e0, e1, simE);
      if (!this.has(g, d, d0, d1)) this.add(g, d, d0, d1, simD);
      return;
    }
    const g = this.gRep.length;
    this.gRep.push(this.size);
    this.add(g, e, e0, e1, 1);
    this.add(g, d, d0, d1, s);
  }

  /**
   * Carry passages into the repeats of the documents they occur in: where a copy of one of its
   * document's repeats holds (half of) an occurrence, the same place in each other copy (at the
   * same token offset from the copy's start) joins the passage too, if it is passageSimilarity
   * similar to the passage's representative. An alignment meets one copy of a doubled body; this
   * finds the others. `repeats(doc)` gives a document's repeats or undefined.
   */
  spread(repeats: (doc: number) => Groups | undefined): void {
    const theta = this.o.passageSimilarity;
    // per document: its repeats' copies sorted by start, and the longest copy
    const sorted = new Map<number, { order: Int32Array; maxLen: number }>();
    // occurrences added here are carried on too (a copy in two repeats reaches the other's copies)
    for (let o = 0; o < this.size; o++) {
      const doc = this.oDoc[o]!, R = repeats(doc);
      if (!R || R.count === 0) continue;
      let ix = sorted.get(doc);
      if (!ix) {
        const total = R.at[R.count]!, order = Int32Array.from({ length: total }, (_, i) => i).sort((x, y) => R.start[x]! - R.start[y]!);
        let maxLen = 0;
        for (let c = 0; c < total; c++) maxLen = Math.max(maxLen, R.end[c]! - R.start[c]!);
        sorted.set(doc, ix = { order, maxLen });
      }
      const g = this.oGroup[o]!, s = this.oStart[o]!, e = this.oEnd[o]!;
      const { order } = ix;
      let lo = 0, hi = order.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (R.start[order[mid]!]! < s - ix.maxLen) lo = mid + 1; else hi = mid; }
      for (let i = lo, read = 0; i < order.length && R.start[order[i]!]! < e && read < MAX_SCAN; i++, read++) {
        const c = order[i]!, cs = R.start[c]!, ce = R.end[c]!;
        // the copy must hold at least half of the occurrence; what it holds is carried
        const inter = Math.min(e, ce) - Math.max(s, cs);
        if (inter < this.o.minWords || 2 * inter < e - s) continue;
        const k = groupOf(R, c), from = Math.max(s, cs) - cs, to = Math.min(e, ce) - cs;
        for (let c2 = R.at[k]!; c2 < R.at[k + 1]!; c2++) {
          if (c2 === c) continue;
          const ms = R.start[c2]! + from, me = Math.min(R.end[c2]!, R.start[c2]! + to);
          if (me - ms < this.o.minWords || this.has(g, doc, ms, me)) continue;
          const sim = this.simVia(o, doc, ms, me);
          if (sim >= theta) this.add(g, doc, ms, me, sim);
        }
      }
    }
  }

  /**
   * Carry groups across the edges that hold them: where an edge's span in one document holds
   * (nearly) a whole occurrence of a group, at most half as long as the span, the place the edge
   * maps it to in the other document joins that group too, if it is passageSimilarity similar to
   * the group's representative. A page aligned whole with its copy carries the footer that other
   * pages share, so the footer's group counts every page it is on. One pass in edge order carries
   * a group forward through a chain of copies; further passes (`passes` in all) go on until
   * nothing joins.
   */
  nest(E: EdgeColumns, passes = 1): void {
    const c = E.cols, theta = this.o.passageSimilarity;
    for (let pass = 0; pass < passes; pass++) {
      const before = this.size;
      for (let x = 0; x < E.count; x++) {
        const k = 8 * x, a = c[k]!, b = c[k + 3]!;
        if (a === b) continue;
        const r0 = c[k + 6]!, r1 = r0 + c[k + 7]!;
        for (let side = 0; side < 2; side++) {
          // from: the side holding the occurrence; to: the side it maps to
          const fromA = side === 0, from = fromA ? a : b, to = fromA ? b : a;
          const fs = c[k + (fromA ? 1 : 4)]!, fe = c[k + (fromA ? 2 : 5)]!, ts = c[k + (fromA ? 4 : 1)]!, te = c[k + (fromA ? 5 : 2)]!;
          for (let o = this.head[from - this.firstDoc]!, read = 0; o >= 0 && read < MAX_SCAN; o = this.oNext[o]!, read++) {
            const os = this.oStart[o]!, oe = this.oEnd[o]!;
            // an occurrence inside the span and at most half of it (a footer in a page, not another
            // window onto the span's own text)
            if (Math.min(oe, fe) - Math.max(os, fs) < SAME * (oe - os) || 2 * (oe - os) > fe - fs) continue;
            const g = this.oGroup[o]!, ms = mapRuns(E.runs, r0, r1, os, fromA, ts, te), me = mapRuns(E.runs, r0, r1, oe, fromA, ts, te);
            if (me - ms < this.o.minWords || this.has(g, to, ms, me)) continue;
            const sim = this.simVia(o, to, ms, me);
            if (sim >= theta) this.add(g, to, ms, me, sim);
          }
        }
      }
      if (this.size === before) break;
    }
  }

  /** Whether two spans hold the same words. */
  private sameWords(a: number, a0: number, a1: number, b: number, b0: number, b1: number): boolean {
    if (a1 - a0 !== b1 - b0) return false;
    if (a === b && a0 === b0) return true;
    const A = this.tokens(a).hashes, B = this.tokens(b).hashes;
    for (let i = 0; i < a1 - a0; i++) if (A[a0 + i] !== B[b0 + i]) return false;
    return true;
  }

  /**
   * Similarity of span (doc, [s, e)) to the representative of occurrence o's group, reached from o:
   * o's own similarity where the span has o's words, else computed from the two spans.
   */
  private simVia(o: number, doc: number, s: number, e: number): number {
    if (this.sameWords(doc, s, e, this.oDoc[o]!, this.oStart[o]!, this.oEnd[o]!)) return this.oSim[o]!;
    const r = this.gRep[this.oGroup[o]!]!;
    return spanSimilarity(this.tokens(doc), s, e, this.tokens(this.oDoc[r]!), this.oStart[r]!, this.oEnd[r]!, this.o);
  }

  /** A group of given exact copies (a periodic repeat), the first its representative. */
  placeCopies(doc: number, spans: readonly (readonly [number, number])[]): void {
    const g = this.gRep.length;
    this.gRep.push(this.size);
    for (const [s, e] of spans) this.add(g, doc, s, e, 1);
  }

  /**
   * Similarity of span (doc, [s, e)) to group g's representative r: that of the occurrence that
   * is this span, if the group has one, else computed from the two spans.
   */
  private simTo(g: number, r: number, doc: number, s: number, e: number): number {
    const same = this.find(g, doc, s, e);
    if (same >= 0) return this.oSim[same]!;
    return spanSimilarity(this.tokens(doc), s, e, this.tokens(this.oDoc[r]!), this.oStart[r]!, this.oEnd[r]!, this.o);
  }


  /** Group g's occurrence that is span (doc, [s, e)) (overlapping it by SAME of the longer), or -1. */
  private find(g: number, doc: number, s: number, e: number): number {
    for (let o = this.last.get(g, doc); o >= 0; o = this.oSame[o]!) {
      const os = this.oStart[o]!, oe = this.oEnd[o]!;
      if (Math.min(e, oe) - Math.max(s, os) >= SAME * Math.max(e - s, oe - os)) return o;
    }
    return -1;
  }

  /** Whether group g has an occurrence in doc overlapping [s, e) by half of the shorter of the two (one place is one occurrence). */
  private has(g: number, doc: number, s: number, e: number): boolean {
    for (let o = this.last.get(g, doc); o >= 0; o = this.oSame[o]!) {
      const os = this.oStart[o]!, oe = this.oEnd[o]!;
      if (2 * (Math.min(e, oe) - Math.max(s, os)) >= Math.min(e - s, oe - os)) return true;
    }
    return false;
  }

  /** Groups with occurrences overlapping either span into `cand`, most overlap first; their count (at most MAX_CANDIDATES). */
  private candidates(e: number, e0: number, e1: number, d: number, d0: number, d1: number): number {
    let n = 0;
    const cand = this.cand, over = this.candOver;
    for (let side = 0; side < 2; side++) {
      const doc = side === 0 ? e : d, s = side === 0 ? e0 : d0, t = side === 0 ? e1 : d1;
      if (side === 1 && d === e && d0 === e0) break;
      for (let o = this.head[doc - this.firstDoc]!, read = 0; o >= 0 && read < MAX_SCAN; o = this.oNext[o]!, read++) {
        const v = Math.min(t, this.oEnd[o]!) - Math.max(s, this.oStart[o]!), g = this.oGroup[o]!;
        if (v <= 0) continue;
        // the group's best overlap so far, or where it goes
        let i = 0;
        while (i < n && cand[i] !== g) i++;
        if (i < n) { if (v <= over[i]!) continue; } else if (n < MAX_CANDIDATES) n++; else if (v <= over[n - 1]!) continue; else i = n - 1;
        // move it up to its place (most overlap first, the earlier group on ties)
        while (i > 0 && (over[i - 1]! < v || (over[i - 1] === v && cand[i - 1]! > g))) { cand[i] = cand[i - 1]!; over[i] = over[i - 1]!; i--; }
        cand[i] = g; over[i] = v;
      }
    }
    return n;
  }

  private add(g: number, doc: number, s: number, e: number, sim: number): void {
    const o = this.size++;
    if (o === this.oDoc.length) {
      this.oDoc = grown(this.oDoc, o + 1); this.oStart = grown(this.oStart, o + 1); this.oEnd = grown(this.oEnd, o + 1);
      this.oGroup = grown(this.oGroup, o + 1); this.oNext = grown(this.oNext, o + 1); this.oSame = grown(this.oSame, o + 1); this.oSim = grown(this.oSim, o + 1);
    }
    this.oDoc[o] = doc; this.oStart[o] = s; this.oEnd[o] = e; this.oGroup[o] = g; this.oSim[o] = sim;
    this.oNext[o] = this.head[doc - this.firstDoc]!;
    this.head[doc - this.firstDoc] = o;
    this.oSame[o] = this.last.put(g, doc, o);
  }

  /** The groups as columns, occurrences in document, then position order within each group. */
  columns(): Groups {
    const n = this.gRep.length, total = this.size, D = this.docs, first = this.firstDoc;
    const oDoc = this.oDoc, oStart = this.oStart, oEnd = this.oEnd, oGroup = this.oGroup;
    // counting sorts, each stable: by document, then by group (one pass each, no comparisons)
    const byDoc = new Int32Array(D + 1);
    for (let o = 0; o < total; o++) byDoc[oDoc[o]! - first + 1]!++;
    for (let d = 0; d < D; d++) byDoc[d + 1]! += byDoc[d]!;
    const docOrder = new Int32Array(total);
    for (let o = 0; o < total; o++) docOrder[byDoc[oDoc[o]! - first]!++] = o;
    const at = new Int32Array(n + 1);
    for (let o = 0; o < total; o++) at[oGroup[o]! + 1]!++;
    for (let g = 0; g < n; g++) at[g + 1]! += at[g]!;
    const fill = at.slice(0, n), order = new Int32Array(total);
    for (let k = 0; k < total; k++) { const o = docOrder[k]!; order[fill[oGroup[o]!]!++] = o; }
    // then by position within each run of one group in one document (stably)
    for (let k = 0; k < total;) {
      const g = oGroup[order[k]!]!, d = oDoc[order[k]!]!;
      let e = k + 1;
      while (e < total && oGroup[order[e]!] === g && oDoc[order[e]!] === d) e++;
      if (e - k > 1) order.set(Array.from(order.subarray(k, e)).sort((x, y) => oStart[x]! - oStart[y]! || oEnd[x]! - oEnd[y]!), k);
      k = e;
    }
    const doc = new Int32Array(total), start = new Int32Array(total), end = new Int32Array(total), sim = new Float64Array(total), rep = new Int32Array(n);
    for (let k = 0; k < total; k++) {
      const o = order[k]!, g = oGroup[o]!;
      doc[k] = oDoc[o]!; start[k] = oStart[o]!; end[k] = oEnd[o]!; sim[k] = this.oSim[o]!;
      if (o === this.gRep[g]) rep[g] = k;
    }
    return { count: n, at, rep, doc, start, end, sim };
  }
}

/**
 * A token position of one side of an edge mapped to the other along its runs (r[from, to), flat
 * (aPos, bPos, len) triples): exact inside a run, interpolated in a gap, lo or hi outside them.
 */
function mapRuns(r: Int32Array, from: number, to: number, p: number, fromA: boolean, lo: number, hi: number): number {
  const s = fromA ? 0 : 1, t = fromA ? 1 : 0;
  for (let i = from; i < to; i += 3) {
    const src = r[i + s]!, dst = r[i + t]!, len = r[i + 2]!;
    if (p < src) {
      if (i === from) return lo;
      const ps = r[i - 3 + s]! + r[i - 1]!, pd = r[i - 3 + t]! + r[i - 1]!;
      return pd + Math.round(((p - ps) * (dst - pd)) / Math.max(1, src - ps));
    }
    if (p <= src + len) return dst + (p - src);
  }
  return hi;
}

/** The group of occurrence o (binary search of the group bounds). */
function groupOf(G: Groups, o: number): number {
  let lo = 0, hi = G.count - 1;
  while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (G.at[mid]! <= o) lo = mid; else hi = mid - 1; }
  return lo;
}

/**
 * Cross-document passages from the edges between two documents (self edges are left out), in
 * edge order; then carried across the edges that hold them (`nest`) and into the documents' own
 * repeats (`spread`: an alignment meets one copy of a repeated block; the other copies are
 * occurrences too).
 */
export function groupPassages(E: EdgeColumns, docs: number, tokens: (doc: number) => TokenHashes, o: AlignOptions, repeats: (doc: number) => Groups | undefined): Groups {
  const c = E.cols;
  // an edge between two documents adds at most its two spans, and one of them is often there
  // already: room for one and a half an edge (the arrays grow past it)
  let cross = 0;
  for (let x = 0; x < E.count; x++) if (c[8 * x] !== c[8 * x + 3]) cross++;
  const g = new Grouper(tokens, o, 0, docs, cross + (cross >> 1));
  for (let x = 0; x < E.count; x++) {
    const k = 8 * x;
    if (c[k] === c[k + 3]) continue;
    g.place(c[k + 3]!, c[k + 4]!, c[k + 5]!, c[k]!, c[k + 1]!, c[k + 2]!, E.sims[x]!);
  }
  g.nest(E);
  g.spread(repeats);
  return g.columns();
}

/**
 * One document's repeats from its self edges alone (edge x is a = b = doc, the a span the later
 * copy), grouped by `g` (reset here). A periodic edge (its copy overlaps itself: "the the the", or a block printed three times
 * running) is a repeat of its own: the period's copies when a period holds minWords words, else
 * the two overlapping spans.
 */
export function groupRepeats(E: EdgeColumns, doc: number, edges: readonly number[], g: Grouper): Groups {
  g.reset(doc, 1);
  const c = E.cols, o = g.options;
  for (const x of edges) {
    const k = 8 * x, aStart = c[k + 1]!, aEnd = c[k + 2]!, bStart = c[k + 4]!, bEnd = c[k + 5]!;
    if (bEnd > aStart) {
      const p = aStart - bStart;
      if (p >= o.minWords) {
        const spans: [number, number][] = [];
        for (let s = bStart; s + p <= aEnd; s += p) spans.push([s, s + p]);
        g.placeCopies(doc, spans);
      } else g.placeCopies(doc, [[bStart, bEnd], [aStart, aEnd]]);
      continue;
    }
    g.place(doc, bStart, bEnd, doc, aStart, aEnd, E.sims[x]!);
  }
  return g.columns();
}
