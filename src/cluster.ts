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
import { mapAtoB, mapBtoA, type Edge } from './passages.js';

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

function sortedInsert(list: number[], x: number): boolean {
  let lo = 0, hi = list.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (list[mid]! < x) lo = mid + 1; else hi = mid; }
  if ((lo < list.length && list[lo]! - x < TOLERANCE) || (lo > 0 && x - list[lo - 1]! < TOLERANCE)) return false;
  list.splice(lo, 0, x);
  return true;
}

/** Index of the segment (between cuts[i] and cuts[i+1]) containing position p. */
function segmentOf(cuts: number[], p: number): number {
  let lo = 0, hi = cuts.length - 1;
  while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (cuts[mid]! <= p) lo = mid; else hi = mid - 1; }
  return lo;
}

/**
 * Group edges into passages. Periodic self-overlaps (a document aligned with itself at a shift
 * shorter than the span) are kept as their own two-occurrence groups.
 */
export function groupEdges(edges: readonly Edge[], minWords: number): TokenGroup[] {
  const groups: TokenGroup[] = [];
  const regular: Edge[] = [];
  for (const e of edges) {
    if (e.a === e.b && e.bEnd > e.aStart) {
      groups.push({ occurrences: [{ doc: e.b, start: e.bStart, end: e.bEnd }, { doc: e.a, start: e.aStart, end: e.aEnd }], similarity: e.similarity });
    } else regular.push(e);
  }
  // the edges touching each document: touchList[touchAt[doc] .. touchAt[doc + 1])
  let docs1 = 0;
  for (const e of regular) docs1 = Math.max(docs1, e.a + 1, e.b + 1);
  // cuts per document (undefined where none), dense so lookups stay fast
  const cuts = new Array<number[] | undefined>(docs1).fill(undefined);
  const touchAt = new Int32Array(docs1 + 1);
  for (const e of regular) { touchAt[e.a + 1]!++; if (e.b !== e.a) touchAt[e.b + 1]!++; }
  for (let d = 0; d < docs1; d++) touchAt[d + 1]! += touchAt[d]!;
  const touchList = new Int32Array(touchAt[docs1]!), fill = touchAt.slice(0, docs1);
  for (let i = 0; i < regular.length; i++) {
    const e = regular[i]!;
    touchList[fill[e.a]!++] = i;
    if (e.b !== e.a) touchList[fill[e.b]!++] = i;
  }
  // work: cuts still to carry, as (doc, position) pairs
  const work: number[] = [];
  const addCut = (doc: number, p: number) => {
    const list = (cuts[doc] ??= []);
    if (list.length < MAX_CUTS && sortedInsert(list, p)) work.push(doc, p);
  };
  for (const e of regular) { addCut(e.a, e.aStart); addCut(e.a, e.aEnd); addCut(e.b, e.bStart); addCut(e.b, e.bEnd); }
  // carry cuts across edges until none is new
  while (work.length) {
    const p = work.pop()!, doc = work.pop()!;
    for (let x = touchAt[doc]!; x < touchAt[doc + 1]!; x++) {
      const e = regular[touchList[x]!]!;
      if (e.a === doc && p > e.aStart + TOLERANCE && p < e.aEnd - TOLERANCE) addCut(e.b, mapAtoB(e, p));
      if (e.b === doc && p > e.bStart + TOLERANCE && p < e.bEnd - TOLERANCE) addCut(e.a, mapBtoA(e, p));
    }
  }
  // elementary segments get global ids: base[doc] + index
  const base = new Int32Array(cuts.length);
  let total = 0;
  const docs: number[] = [];
  for (let d = 0; d < cuts.length; d++) if (cuts[d]) { docs.push(d); base[d] = total; total += cuts[d]!.length; }
  const uf = new UnionFind(total);
  const covered = new Uint8Array(total);
  const sim = new Float64Array(total).fill(1);
  // segment pairs of one document that an edge links to each other (a repeat next to its copy)
  const selfLinked = new Set<number>();
  for (const e of regular) {
    const ca = cuts[e.a]!, cb = cuts[e.b]!;
    const ba = base[e.a]!, bb = base[e.b]!;
    for (let s = segmentOf(ca, e.aStart); s < ca.length - 1 && ca[s]! < e.aEnd; s++) {
      const lo = Math.max(ca[s]!, e.aStart), hi = Math.min(ca[s + 1]!, e.aEnd);
      if (hi - lo < TOLERANCE) continue;
      // the piece's image in b, and the segment of b it overlaps most; link only if each is mostly the other
      const mlo = mapAtoB(e, lo), mhi = mapAtoB(e, hi);
      if (mhi - mlo < TOLERANCE) continue;
      let t = segmentOf(cb, mlo), best = -1, bestOverlap = 0;
      for (; t < cb.length - 1 && cb[t]! < mhi; t++) {
        const overlap = Math.min(cb[t + 1]!, mhi) - Math.max(cb[t]!, mlo);
        if (overlap > bestOverlap) { bestOverlap = overlap; best = t; }
      }
      if (best < 0 || 2 * bestOverlap < mhi - mlo || 2 * bestOverlap < cb[best + 1]! - cb[best]!) continue;
      if (2 * (hi - lo) < ca[s + 1]! - ca[s]!) continue;
      const x = ba + s, y = bb + best;
      covered[x] = 1; covered[y] = 1;
      const rx = uf.find(x), ry = uf.find(y);
      const r = uf.union(rx, ry);
      sim[r] = Math.min(sim[rx]!, sim[ry]!, e.similarity);
      if (e.a === e.b) selfLinked.add(Math.min(x, y) * 2 ** 26 + Math.max(x, y));
    }
  }
  // components -> occurrences, each a run of segments [first, last] (global ids)
  // per global segment id: its document and its first position
  const docOf = new Int32Array(total), cutAt = new Int32Array(total);
  for (const d of docs) { const b = base[d]!, c = cuts[d]!; for (let s = 0; s < c.length; s++) { docOf[b + s] = d; cutAt[b + s] = c[s]!; } }
  // occurrences: runs of segments [occF, occL] of one document, listed per root (head, occNext,
  // tail) in segment order; roots in the order their first segment comes
  const occF = new Int32Array(total), occL = new Int32Array(total), occNext = new Int32Array(total), ownerOf = new Int32Array(total);
  const head = new Int32Array(total).fill(-1), tail = new Int32Array(total).fill(-1), count = new Int32Array(total);
  // startOcc[g]: the occurrence whose first segment is g, or -1
  const startOcc = new Int32Array(total).fill(-1);
  const roots: number[] = [];
  let nOcc = 0;
  // neighbouring segments of one component in one document are one occurrence, unless linked to each other
  for (let g = 0; g < total; g++) {
    if (!covered[g]) continue;
    const r = uf.find(g), t = tail[r]!;
    if (t >= 0 && occL[t] === g - 1 && docOf[g - 1] === docOf[g] && !selfLinked.has((g - 1) * 2 ** 26 + g)) { occL[t] = g; continue; }
    const o = nOcc++;
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
    const kept: TokenOccurrence[] = [];
    for (let o = head[root]!; o >= 0; o = occNext[o]!) {
      const f = occF[o]!, start = cutAt[f]!, end = cutAt[occL[o]! + 1]!;
      if (end - start >= minWords) kept.push({ doc: docOf[f]!, start, end });
    }
    if (kept.length >= 2) groups.push({ occurrences: kept, similarity: sim[root]! });
  }
  return groups;
}
