/**
 * Report assembly: a corpus's edges grouped into repeats (each document's self edges alone) and
 * cross-document passages, token spans turned into character offsets, near-duplicate pairs into
 * clusters, and the totals. First as parts (`ReportParts`, passages and documents in typed
 * columns, which the CLI writes as JSON), then, by `reportOf`, as the report's objects.
 */
import type { AlignOptions } from './align.js';
import { components } from './cluster.js';
import type { EdgeColumns } from './edges.js';
import { Grouper, groupPassages, groupRepeats, type Groups } from './group.js';
import type { ResolvedScanOptions } from './options.js';
import { round, type Alignment, type Cluster, type NearDuplicate, type Passage, type PassageColumns, type Repeat, type Report, type ReportParts } from './report.js';
import { grown } from './tables.js';
import type { TokenStore } from './tokens.js';

export interface ReportInput {
  options: ResolvedScanOptions;
  align: AlignOptions;
  ids: readonly string[];
  chars: readonly number[];
  store: TokenStore;
  edges: EdgeColumns;
  pairs: readonly { a: number; b: number; similarity: number }[];
  /**
   * The first document the report is about (default 0): those before it are earlier documents
   * of a persistent index, named where passages and pairs reach them but not listed or counted.
   */
  from?: number;
}

export function assembleReport(x: ReportInput): Report {
  return reportOf(assembleParts(x));
}

/** The report's parts: repeats, passages worked out to their offsets and order, pairs, clusters and totals. */
export function assembleParts(x: ReportInput): ReportParts {
  const { ids, store, edges: E } = x;
  const tokens = (d: number) => store.hashes(d);
  const span = (doc: number, start: number, end: number) => ({ start: store.startOf(doc, start), end: store.endOf(doc, end - 1) });
  // copies and occurrences other than their group's representative: (document, start, end) each
  let later = new Int32Array(3 * 1024), nLater = 0;
  const from = x.from ?? 0;
  const note = (doc: number, start: number, end: number) => {
    if (doc < from) return;
    if (3 * nLater + 3 > later.length) later = grown(later, 3 * nLater + 3);
    later[3 * nLater] = doc; later[3 * nLater + 1] = start; later[3 * nLater + 2] = end;
    nLater++;
  };

  // repeats: each document's self edges are contiguous (a document's edges are kept together)
  const repeats: Repeat[] = [];
  const repeatGroups = new Map<number, Groups>();
  const grouper = new Grouper(tokens, x.align, 0, 1), self: number[] = [];
  for (let e = 0; e < E.count;) {
    const doc = E.cols[8 * e]!;
    self.length = 0;
    let f = e;
    for (; f < E.count && E.cols[8 * f] === doc; f++) if (E.cols[8 * f + 3] === doc) self.push(f);
    e = f;
    if (!self.length) continue;
    const g = groupRepeats(E, doc, self, grouper);
    repeatGroups.set(doc, g);
    for (let k = 0; k < g.count; k++) {
      const copies: Repeat['copies'] = [];
      let words = 0, similarity = 1;
      for (let o = g.at[k]!; o < g.at[k + 1]!; o++) {
        const start = store.startOf(doc, g.start[o]!), end = store.endOf(doc, g.end[o]! - 1);
        copies.push({ start, end, similarity: round(g.sim[o]!) });
        words = Math.max(words, g.end[o]! - g.start[o]!);
        similarity = Math.min(similarity, g.sim[o]!);
        if (o !== g.rep[k]) note(doc, start, end);
      }
      repeats.push({ id: repeats.length + 1, doc: ids[doc]!, words, similarity: round(similarity), representative: g.rep[k]! - g.at[k]!, copies });
    }
  }

  const passages = passageColumns(groupPassages(E, ids.length, tokens, x.align, (d) => repeatGroups.get(d)), store);
  const G = passages.groups;
  for (let k = 0; k < G.count; k++) for (let o = G.at[k]!; o < G.at[k + 1]!; o++) if (o !== G.rep[k]) note(G.doc[o]!, passages.start[o]!, passages.end[o]!);

  const pairs = x.pairs.slice().sort((p, q) => p.a - q.a || p.b - q.b);
  const nearDuplicates: NearDuplicate[] = pairs.map((p) => ({ a: ids[p.a]!, b: ids[p.b]!, similarity: round(p.similarity) }));
  const clusters: Cluster[] = components(ids.length, pairs.map((p) => [p.a, p.b] as const)).map((c) => ({ docs: c.map((i) => ids[i]!) }));
  const words = new Int32Array(ids.length);
  for (let d = from; d < ids.length; d++) words[d] = store.count(d);

  const parts: ReportParts = {
    options: x.options,
    ids,
    chars: x.chars,
    words,
    from,
    repeats,
    passages,
    nearDuplicates,
    clusters,
    totals: {
      documents: ids.length - from,
      chars: x.chars.slice(from).reduce((s, c) => s + c, 0),
      repeats: repeats.length,
      copies: repeats.reduce((s, r) => s + r.copies.length, 0),
      passages: G.count,
      occurrences: G.at[G.count]!,
      repeatedChars: unionChars(later, nLater, ids.length),
      nearDuplicates: nearDuplicates.length,
      clusters: clusters.length,
    },
  };
  if (x.options.alignments) parts.alignments = alignmentsOf(E, ids, span);
  return parts;
}

/** The report of its parts (its passages and documents made objects). */
export function reportOf(p: ReportParts): Report {
  const { ids, from } = p;
  const report: Report = {
    version: 2,
    options: { ...p.options },
    documents: ids.slice(from).map((id, k) => ({ id, chars: p.chars[from + k]!, words: p.words[from + k]! })),
    repeats: p.repeats,
    passages: passagesOf(p.passages, ids),
    nearDuplicates: p.nearDuplicates,
    clusters: p.clusters,
    totals: p.totals,
  };
  if (p.alignments) report.alignments = p.alignments;
  return report;
}

/** Spans by document at most this many are put in order by insertion (a sort's comparator calls cost more). */
const INSERTION_SORT = 32;

/**
 * Characters inside `count` spans (document, start, end) of `docs` documents, each counted once:
 * the spans by document (a counting sort), each document's by start, overlaps merged.
 */
export function unionChars(spans: Int32Array, count: number, docs: number): number {
  const at = new Int32Array(docs + 1);
  for (let i = 0; i < count; i++) at[spans[3 * i]! + 1]!++;
  for (let d = 0; d < docs; d++) at[d + 1]! += at[d]!;
  const next = at.slice(0, docs), starts = new Int32Array(count), ends = new Int32Array(count);
  for (let i = 0; i < count; i++) { const k = next[spans[3 * i]!]!++; starts[k] = spans[3 * i + 1]!; ends[k] = spans[3 * i + 2]!; }
  let total = 0;
  for (let d = 0; d < docs; d++) {
    const lo = at[d]!, hi = at[d + 1]!;
    if (hi === lo) continue;
    if (hi - lo <= INSERTION_SORT) {
      for (let i = lo + 1; i < hi; i++) {
        const s = starts[i]!, e = ends[i]!;
        let j = i - 1;
        for (; j >= lo && starts[j]! > s; j--) { starts[j + 1] = starts[j]!; ends[j + 1] = ends[j]!; }
        starts[j + 1] = s; ends[j + 1] = e;
      }
    } else {
      const order = Array.from({ length: hi - lo }, (_, i) => lo + i).sort((p, q) => starts[p]! - starts[q]!);
      const s = order.map((k) => starts[k]!), e = order.map((k) => ends[k]!);
      starts.set(s, lo); ends.set(e, lo);
    }
    let s = starts[lo]!, e = ends[lo]!;
    for (let i = lo + 1; i < hi; i++) {
      if (starts[i]! > e) { total += e - s; s = starts[i]!; e = ends[i]!; } else if (ends[i]! > e) e = ends[i]!;
    }
    total += e - s;
  }
  return total;
}

/**
 * Groups worked out to the numbers: character offsets, words, documents and lowest similarity,
 * and the report's order, most widespread first (then most occurrences, most words, first seen).
 */
export function passageColumns(g: Groups, store: TokenStore): PassageColumns {
  const n = g.count, total = g.at[n]!;
  const start = new Int32Array(total), end = new Int32Array(total);
  const words = new Int32Array(n), documents = new Int32Array(n), similarity = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let w = 0, docs = 0, sim = 1;
    for (let o = g.at[k]!; o < g.at[k + 1]!; o++) {
      const doc = g.doc[o]!;
      start[o] = store.startOf(doc, g.start[o]!); end[o] = store.endOf(doc, g.end[o]! - 1);
      w = Math.max(w, g.end[o]! - g.start[o]!);
      sim = Math.min(sim, g.sim[o]!);
      if (o === g.at[k] || doc !== g.doc[o - 1]) docs++;
    }
    words[k] = w; documents[k] = docs; similarity[k] = sim;
  }
  // the first occurrence (doc, token) of each group: the last tie-break of the order
  const size = (k: number) => g.at[k + 1]! - g.at[k]!;
  const firstKey = (k: number) => g.doc[g.at[k]!]! * 2 ** 31 + g.start[g.at[k]!]!;
  const order = Int32Array.from({ length: n }, (_, k) => k).sort((i, j) => documents[j]! - documents[i]! || size(j) - size(i) || words[j]! - words[i]! || firstKey(i) - firstKey(j) || i - j);
  return { groups: g, start, end, words, documents, similarity, order };
}

/** The passages of their columns, in the report's order. */
function passagesOf(P: PassageColumns, ids: readonly string[]): Passage[] {
  const g = P.groups, out: Passage[] = new Array(g.count);
  for (let rank = 0; rank < g.count; rank++) {
    const k = P.order[rank]!, from = g.at[k]!, to = g.at[k + 1]!;
    const occurrences: Passage['occurrences'] = new Array(to - from);
    for (let o = from; o < to; o++) occurrences[o - from] = { doc: ids[g.doc[o]!]!, start: P.start[o]!, end: P.end[o]!, similarity: round(g.sim[o]!) };
    out[rank] = { id: rank + 1, words: P.words[k]!, similarity: round(P.similarity[k]!), documents: P.documents[k]!, representative: g.rep[k]! - from, occurrences };
  }
  return out;
}

/** Every edge as an aligned pair of spans, in the order found. */
function alignmentsOf(E: EdgeColumns, ids: readonly string[], span: (doc: number, s: number, e: number) => { start: number; end: number }): Alignment[] {
  const out: Alignment[] = [];
  for (let e = 0; e < E.count; e++) {
    const c = 8 * e, a = E.cols[c]!, b = E.cols[c + 3]!;
    out.push({
      earlier: { doc: ids[b]!, ...span(b, E.cols[c + 4]!, E.cols[c + 5]!) },
      later: { doc: ids[a]!, ...span(a, E.cols[c + 1]!, E.cols[c + 2]!) },
      similarity: round(E.sims[e]!),
    });
  }
  return out;
}
