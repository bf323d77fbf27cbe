/**
 * Report assembly: a corpus's edges grouped into repeats (each document's self edges alone) and
 * cross-document passages, token spans turned into character offsets, near-duplicate pairs into
 * clusters, and the totals.
 */
import type { AlignOptions } from './align.js';
import { components } from './cluster.js';
import type { EdgeColumns } from './edges.js';
import { Grouper, groupPassages, groupRepeats, type Groups } from './group.js';
import type { ResolvedScanOptions } from './options.js';
import type { Alignment, Cluster, NearDuplicate, Passage, Repeat, Report } from './report.js';
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

const round = (x: number): number => Math.round(x * 10000) / 10000;

export function assembleReport(x: ReportInput): Report {
  const { ids, store, edges: E } = x;
  const tokens = (d: number) => store.hashes(d);
  const span = (doc: number, start: number, end: number) => ({ start: store.startOf(doc, start), end: store.endOf(doc, end - 1) });
  // copies and occurrences other than their group's representative (document, start, end)
  const later: number[] = [];
  const from = x.from ?? 0;
  const note = (doc: number, s: { start: number; end: number }) => { if (doc >= from) later.push(doc, s.start, s.end); };

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
        const s = span(doc, g.start[o]!, g.end[o]!);
        copies.push({ ...s, similarity: round(g.sim[o]!) });
        words = Math.max(words, g.end[o]! - g.start[o]!);
        similarity = Math.min(similarity, g.sim[o]!);
        if (o !== g.rep[k]) note(doc, s);
      }
      repeats.push({ id: repeats.length + 1, doc: ids[doc]!, words, similarity: round(similarity), representative: g.rep[k]! - g.at[k]!, copies });
    }
  }

  const passages = passagesOf(groupPassages(E, ids.length, tokens, x.align, (d) => repeatGroups.get(d)), ids, span, note);

  const pairs = x.pairs.slice().sort((p, q) => p.a - q.a || p.b - q.b);
  const nearDuplicates: NearDuplicate[] = pairs.map((p) => ({ a: ids[p.a]!, b: ids[p.b]!, similarity: round(p.similarity) }));
  const clusters: Cluster[] = components(ids.length, pairs.map((p) => [p.a, p.b] as const)).map((c) => ({ docs: c.map((i) => ids[i]!) }));

  // their characters, each counted once: spans by document and start, overlaps merged
  let repeatedChars = 0;
  const order = Int32Array.from({ length: later.length / 3 }, (_, i) => 3 * i).sort((p, q) => later[p]! - later[q]! || later[p + 1]! - later[q + 1]!);
  let doc = -1, s = 0, e = 0;
  for (const i of order) {
    const d = later[i]!, a = later[i + 1]!, b = later[i + 2]!;
    if (d !== doc || a > e) { repeatedChars += e - s; doc = d; s = a; e = b; } else if (b > e) e = b;
  }
  repeatedChars += e - s;
  const report: Report = {
    version: 2,
    options: { ...x.options },
    documents: ids.slice(from).map((id, k) => ({ id, chars: x.chars[from + k]!, words: store.count(from + k) })),
    repeats,
    passages,
    nearDuplicates,
    clusters,
    totals: {
      documents: ids.length - from,
      chars: x.chars.slice(from).reduce((s, c) => s + c, 0),
      repeats: repeats.length,
      copies: repeats.reduce((s, r) => s + r.copies.length, 0),
      passages: passages.length,
      occurrences: passages.reduce((s, p) => s + p.occurrences.length, 0),
      repeatedChars,
      nearDuplicates: nearDuplicates.length,
      clusters: clusters.length,
    },
  };
  if (x.options.alignments) report.alignments = alignmentsOf(E, ids, span);
  return report;
}

/** Passages from groups, most widespread first (then most occurrences, most words, first seen). */
function passagesOf(g: Groups, ids: readonly string[], span: (doc: number, s: number, e: number) => { start: number; end: number }, note: (doc: number, s: { start: number; end: number }) => void): Passage[] {
  const out: Passage[] = [];
  // the first occurrence (doc, token) of each group: the last tie-break of the order
  const firstKey: number[] = [];
  for (let k = 0; k < g.count; k++) {
    const from = g.at[k]!, to = g.at[k + 1]!;
    const occurrences: Passage['occurrences'] = [];
    let words = 0, documents = 0, similarity = 1;
    for (let o = from; o < to; o++) {
      const doc = g.doc[o]!, s = span(doc, g.start[o]!, g.end[o]!);
      occurrences.push({ doc: ids[doc]!, ...s, similarity: round(g.sim[o]!) });
      words = Math.max(words, g.end[o]! - g.start[o]!);
      similarity = Math.min(similarity, g.sim[o]!);
      if (o === from || doc !== g.doc[o - 1]) documents++;
      if (o !== g.rep[k]) note(doc, s);
    }
    firstKey.push(g.doc[from]! * 2 ** 31 + g.start[from]!);
    out.push({ id: 0, words, similarity: round(similarity), documents, representative: g.rep[k]! - from, occurrences });
  }
  const order = out.map((_, i) => i).sort((i, j) => {
    const p = out[i]!, q = out[j]!;
    return q.documents - p.documents || q.occurrences.length - p.occurrences.length || q.words - p.words || firstKey[i]! - firstKey[j]!;
  });
  return order.map((i, rank) => { const p = out[i]!; p.id = rank + 1; return p; });
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
