/**
 * Clustering: union-find over near-duplicate pairs, and the grouping of aligned passage pairs
 * (edges) into one group per distinct passage.
 *
 * Grouping: each edge links a span of one document to a span of another (or of the same one).
 * Spans overlap in many ways (a syndicated article that ends with an outlet's disclaimer is aligned
 * whole with its copy, while the disclaimer alone is aligned with other pages of the outlet), so
 * every span end is a cut, and cuts are carried across edges (mapped along their runs) until no new
 * cut appears. Between cuts a document has elementary segments; each edge unites the segments it
 * links, and each connected component is one passage with all its occurrences. Neighbouring
 * segments of one component in one document are joined again, so groups stay maximal.
 */
import { kernelGroup } from './kernel.js';
import { edgeColumns, mapRuns, type Edge, type EdgeColumns } from './passages.js';

export class UnionFind {
  private parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) { p[x] = p[p[x]!]!; x = p[x]!; }
    return x;
  }
  /** Unite two sets; the smaller root index stays root (deterministic). */
  union(a: number, b: number): number {
    const ra = this.find(a), rb = this.find(b);
    if (ra === rb) return ra;
    if (ra < rb) { this.parent[rb] = ra; return ra; }
    this.parent[ra] = rb;
    return rb;
  }
}

/** Connected components of pairs over n items, each sorted, components ordered by first item; singletons left out. */
export function components(n: number, pairs: Iterable<readonly [number, number]>): number[][] {
  const uf = new UnionFind(n);
  const paired = new Uint8Array(n);
  for (const [a, b] of pairs) { uf.union(a, b); paired[a] = 1; paired[b] = 1; }
  // only items in some pair can be in a component of two or more
  const byRoot = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    if (!paired[i]) continue;
    const r = uf.find(i);
    let list = byRoot.get(r);
    if (!list) { list = []; byRoot.set(r, list); }
    list.push(i);
  }
  return [...byRoot.values()].filter((c) => c.length > 1).sort((x, y) => x[0]! - y[0]!);
}

/** One occurrence of a grouped passage, in tokens [start, end) of document `doc`. */
export interface TokenOccurrence { doc: number; start: number; end: number }
export interface TokenGroup { occurrences: TokenOccurrence[]; similarity: number }

/** Cut tolerance in tokens: cuts closer than this are the same cut (edits shift mapped cuts a little). */
const TOLERANCE = 3;
/** Most cuts one document may collect (bounds the propagation on degenerate input). */
const MAX_CUTS = 4096;

/**
 * Sorted cut lists per document in one arena, with no array per document: doc d's cuts are
 * arena[off[d], off[d] + len[d]), with room for cap[d] (0: none yet). A full list moves to a block
 * twice its size at the arena's end.
 */
class Cuts {
  readonly off: Int32Array;
  readonly len: Int32Array;
  private readonly cap: Int32Array;
  arena = new Int32Array(1024);
  private used = 0;

  constructor(docs: number) {
    this.off = new Int32Array(docs); this.len = new Int32Array(docs); this.cap = new Int32Array(docs);
  }

  /** Insert cut x into doc's list unless the list is full or a cut lies within TOLERANCE of x; true if inserted. */
  add(doc: number, x: number): boolean {
    const n = this.len[doc]!;
    if (n >= MAX_CUTS) return false;
    if (n === this.cap[doc]) this.grow(doc, n);
    const a = this.arena, o = this.off[doc]!;
    let lo = o, hi = o + n;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (a[mid]! < x) lo = mid + 1; else hi = mid; }
    if ((lo < o + n && a[lo]! - x < TOLERANCE) || (lo > o && x - a[lo - 1]! < TOLERANCE)) return false;
    // lists are short: a loop shifts them faster than copyWithin's call
    for (let i = o + n; i > lo; i--) a[i] = a[i - 1]!;
    a[lo] = x;
    this.len[doc] = n + 1;
    return true;
  }

  private grow(doc: number, n: number): void {
    const cap = n === 0 ? 4 : 2 * n;
    if (this.used + cap > this.arena.length) {
      let size = 2 * this.arena.length;
      while (this.used + cap > size) size *= 2;
      const a = new Int32Array(size); a.set(this.arena.subarray(0, this.used)); this.arena = a;
    }
    const o = this.off[doc]!;
    this.arena.copyWithin(this.used, o, o + n);
    this.off[doc] = this.used; this.cap[doc] = cap;
    this.used += cap;
  }
}

/** Index (from 0) of the segment between cuts a[o + i] and a[o + i + 1] that holds position p, for n cuts at a[o]. */
function segmentOf(a: Int32Array, o: number, n: number, p: number): number {
  let lo = 0, hi = n - 1;
  while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (a[o + mid]! <= p) lo = mid; else hi = mid - 1; }
  return lo;
}

/**
 * Passage groups in typed arrays: group g's occurrences are the (doc, start, end) triples
 * occ[3 * at[g], 3 * at[g + 1]) in document, then position order; its similarity is sim[g].
 */
export interface GroupColumns { count: number; at: Int32Array; occ: Int32Array; sim: Float64Array }

/**
 * Group edges into passages. Periodic self-overlaps (a document aligned with itself at a shift
 * shorter than the span) are kept as their own two-occurrence groups.
 */
export function groupEdges(edges: readonly Edge[], minWords: number): TokenGroup[] {
  const g = groupColumns(edgeColumns(edges), minWords);
  const groups: TokenGroup[] = [];
  for (let i = 0; i < g.count; i++) {
    const occurrences: TokenOccurrence[] = [];
    for (let o = g.at[i]!; o < g.at[i + 1]!; o++) occurrences.push({ doc: g.occ[3 * o]!, start: g.occ[3 * o + 1]!, end: g.occ[3 * o + 2]! });
    groups.push({ occurrences, similarity: g.sim[i]! });
  }
  return groups;
}

/**
 * groupEdges over edge columns, into typed arrays (no object per edge, cut list or occurrence): in
 * the WASM kernel (wasm/kernel.c `group`, the same steps), or `groupColumnsJs` where it cannot run.
 */
export function groupColumns(E: EdgeColumns, minWords: number): GroupColumns {
  return kernelGroup(E.count, E.cols, E.sims, E.runs, minWords) ?? groupColumnsJs(E, minWords);
}

/** groupColumns in JavaScript: the fallback, and the reference the kernel is tested against. */
export function groupColumnsJs(E: EdgeColumns, minWords: number): GroupColumns {
  const cols = E.cols, runs = E.runs, sims = E.sims;
  // the output: occurrence triples and group bounds, grown as needed
  let occ = new Int32Array(3 * 256), at = new Int32Array(257), gsim = new Float64Array(256);
  let nGroups = 0, nOcc = 0;
  const put = (doc: number, start: number, end: number) => {
    if (3 * nOcc + 3 > occ.length) { const x = new Int32Array(2 * occ.length); x.set(occ); occ = x; }
    occ[3 * nOcc] = doc; occ[3 * nOcc + 1] = start; occ[3 * nOcc + 2] = end; nOcc++;
  };
  const close = (similarity: number) => {
    // at holds one bound more than gsim holds similarities
    if (nGroups === gsim.length) { const y = new Float64Array(2 * gsim.length); y.set(gsim); gsim = y; const x = new Int32Array(y.length + 1); x.set(at); at = x; }
    gsim[nGroups] = similarity; at[++nGroups] = nOcc;
  };
  // regular: the edges that are not periodic self-overlaps (those are groups of their own)
  const regular = new Int32Array(E.count);
  let nr = 0, docs1 = 0;
  for (let e = 0; e < E.count; e++) {
    const c = 8 * e, a = cols[c]!, b = cols[c + 3]!;
    if (a === b && cols[c + 5]! > cols[c + 1]!) {
      // the earlier copy first (the aligner's a side is the later one)
      const x = cols[c + 4]! <= cols[c + 1]! ? 4 : 1, y = 5 - x;
      put(a, cols[c + x]!, cols[c + x + 1]!); put(a, cols[c + y]!, cols[c + y + 1]!); close(sims[e]!);
    }
    else { regular[nr++] = e; docs1 = Math.max(docs1, a + 1, b + 1); }
  }
  // the edges touching each document: touchList[touchAt[doc] .. touchAt[doc + 1])
  const touchAt = new Int32Array(docs1 + 1);
  for (let i = 0; i < nr; i++) { const c = 8 * regular[i]!; touchAt[cols[c]! + 1]!++; if (cols[c + 3] !== cols[c]) touchAt[cols[c + 3]! + 1]!++; }
  for (let d = 0; d < docs1; d++) touchAt[d + 1]! += touchAt[d]!;
  const touchList = new Int32Array(touchAt[docs1]!), fill = touchAt.slice(0, docs1);
  for (let i = 0; i < nr; i++) {
    const c = 8 * regular[i]!;
    touchList[fill[cols[c]!]!++] = i;
    if (cols[c + 3] !== cols[c]) touchList[fill[cols[c + 3]!]!++] = i;
  }
  // work: cuts still to carry, as (doc, position) pairs
  const cuts = new Cuts(docs1);
  const work: number[] = [];
  const addCut = (doc: number, p: number) => { if (cuts.add(doc, p)) work.push(doc, p); };
  for (let i = 0; i < nr; i++) {
    const c = 8 * regular[i]!;
    addCut(cols[c]!, cols[c + 1]!); addCut(cols[c]!, cols[c + 2]!); addCut(cols[c + 3]!, cols[c + 4]!); addCut(cols[c + 3]!, cols[c + 5]!);
  }
  // carry cuts across edges until none is new
  while (work.length) {
    const p = work.pop()!, doc = work.pop()!;
    for (let x = touchAt[doc]!; x < touchAt[doc + 1]!; x++) {
      const c = 8 * regular[touchList[x]!]!;
      const a = cols[c]!, aStart = cols[c + 1]!, aEnd = cols[c + 2]!, b = cols[c + 3]!, bStart = cols[c + 4]!, bEnd = cols[c + 5]!;
      const r0 = cols[c + 6]!, r1 = r0 + cols[c + 7]!;
      if (a === doc && p > aStart + TOLERANCE && p < aEnd - TOLERANCE) addCut(b, mapRuns(runs, r0, r1, p, true, bStart, bEnd));
      if (b === doc && p > bStart + TOLERANCE && p < bEnd - TOLERANCE) addCut(a, mapRuns(runs, r0, r1, p, false, aStart, aEnd));
    }
  }
  // elementary segments get global ids: base[doc] + index
  const C = cuts.arena, off = cuts.off, len = cuts.len;
  const base = new Int32Array(docs1);
  let total = 0;
  for (let d = 0; d < docs1; d++) if (len[d]! > 0) { base[d] = total; total += len[d]!; }
  const uf = new UnionFind(total);
  const covered = new Uint8Array(total);
  const sim = new Float64Array(total).fill(1);
  // segment pairs of one document that an edge links to each other (a repeat next to its copy)
  const selfLinked = new Set<number>();
  for (let i = 0; i < nr; i++) {
    const e = regular[i]!, c = 8 * e;
    const a = cols[c]!, aStart = cols[c + 1]!, aEnd = cols[c + 2]!, b = cols[c + 3]!, bStart = cols[c + 4]!, bEnd = cols[c + 5]!;
    const r0 = cols[c + 6]!, r1 = r0 + cols[c + 7]!;
    const oa = off[a]!, na = len[a]!, ob = off[b]!, nb = len[b]!;
    const ba = base[a]!, bb = base[b]!;
    for (let s = segmentOf(C, oa, na, aStart); s < na - 1 && C[oa + s]! < aEnd; s++) {
      const lo = Math.max(C[oa + s]!, aStart), hi = Math.min(C[oa + s + 1]!, aEnd);
      if (hi - lo < TOLERANCE) continue;
      // the piece's image in b, and the segment of b it overlaps most; link only if each is mostly the other
      const mlo = mapRuns(runs, r0, r1, lo, true, bStart, bEnd), mhi = mapRuns(runs, r0, r1, hi, true, bStart, bEnd);
      if (mhi - mlo < TOLERANCE) continue;
      let t = segmentOf(C, ob, nb, mlo), best = -1, bestOverlap = 0;
      for (; t < nb - 1 && C[ob + t]! < mhi; t++) {
        const overlap = Math.min(C[ob + t + 1]!, mhi) - Math.max(C[ob + t]!, mlo);
        if (overlap > bestOverlap) { bestOverlap = overlap; best = t; }
      }
      if (best < 0 || 2 * bestOverlap < mhi - mlo || 2 * bestOverlap < C[ob + best + 1]! - C[ob + best]!) continue;
      if (2 * (hi - lo) < C[oa + s + 1]! - C[oa + s]!) continue;
      const x = ba + s, y = bb + best;
      covered[x] = 1; covered[y] = 1;
      const rx = uf.find(x), ry = uf.find(y);
      const r = uf.union(rx, ry);
      sim[r] = Math.min(sim[rx]!, sim[ry]!, sims[e]!);
      if (a === b) selfLinked.add(Math.min(x, y) * 2 ** 26 + Math.max(x, y));
    }
  }
  // components -> occurrences, each a run of segments [first, last] (global ids)
  // per global segment id: its document and its first position
  const docOf = new Int32Array(total), cutAt = new Int32Array(total);
  for (let d = 0; d < docs1; d++) { const b = base[d]!, o = off[d]!; for (let s = 0; s < len[d]!; s++) { docOf[b + s] = d; cutAt[b + s] = C[o + s]!; } }
  // occurrences: runs of segments [occF, occL] of one document, listed per root (head, occNext,
  // tail) in segment order; roots in the order their first segment comes
  const occF = new Int32Array(total), occL = new Int32Array(total), occNext = new Int32Array(total), ownerOf = new Int32Array(total);
  const head = new Int32Array(total).fill(-1), tail = new Int32Array(total).fill(-1), count = new Int32Array(total);
  // startOcc[g]: the occurrence whose first segment is g, or -1
  const startOcc = new Int32Array(total).fill(-1);
  const roots: number[] = [];
  let nOccs = 0;
  // neighbouring segments of one component in one document are one occurrence, unless linked to each other
  for (let g = 0; g < total; g++) {
    if (!covered[g]) continue;
    const r = uf.find(g), t = tail[r]!;
    if (t >= 0 && occL[t] === g - 1 && docOf[g - 1] === docOf[g] && !selfLinked.has((g - 1) * 2 ** 26 + g)) { occL[t] = g; continue; }
    const o = nOccs++;
    occF[o] = g; occL[o] = g; occNext[o] = -1; ownerOf[o] = r; startOcc[g] = o;
    if (t < 0) { head[r] = o; roots.push(r); } else occNext[t] = o;
    tail[r] = o; count[r]!++;
  }
  // the occurrence right after segment g in its document, or -1
  const after = (g: number) => (g + 1 < total && docOf[g + 1] === docOf[g] ? startOcc[g + 1]! : -1);
  // a passage cut in two by a cut from elsewhere comes back as two groups that follow each other
  // in every document: join them while some group's every occurrence is followed by another's
  const merged = new Uint8Array(total);
  let changed = true;
  while (changed) {
    changed = false;
    for (const root of roots) {
      if (merged[root]) continue;
      const first = after(occL[head[root]!]!);
      const next = first >= 0 ? ownerOf[first]! : -1;
      if (next < 0 || next === root || merged[next] || count[next] !== count[root]) continue;
      let all = true;
      for (let o = head[root]!; o >= 0 && all; o = occNext[o]!) { const s = after(occL[o]!); all = s >= 0 && ownerOf[s] === next; }
      if (!all) continue;
      for (let o = head[root]!; o >= 0; o = occNext[o]!) occL[o] = occL[after(occL[o]!)]!;
      sim[root] = Math.min(sim[root]!, sim[next]!);
      merged[next] = 1;
      changed = true;
    }
  }
  for (const root of roots) {
    if (merged[root]) continue;
    const from = nOcc;
    for (let o = head[root]!; o >= 0; o = occNext[o]!) {
      const f = occF[o]!, start = cutAt[f]!, end = cutAt[occL[o]! + 1]!;
      if (end - start >= minWords) put(docOf[f]!, start, end);
    }
    if (nOcc - from >= 2) close(sim[root]!); else nOcc = from;
  }
  return { count: nGroups, at: at.subarray(0, nGroups + 1), occ: occ.subarray(0, 3 * nOcc), sim: gsim.subarray(0, nGroups) };
}
