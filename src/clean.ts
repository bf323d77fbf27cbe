/**
 * Cleaning a corpus with a report: near-duplicate documents dropped (one kept per cluster), later
 * copies of each repeat inside a document removed (the first copy kept), and optionally passages
 * found in N or more documents removed everywhere but their first occurrence. Every removed span
 * names the kept copy it repeats, so nothing that occurs once is lost. The white space right after
 * a removed span goes with it, so that a removed paragraph leaves no blank lines behind.
 */
import type { Report } from './report.js';

export interface CleanOptions {
  /** Which document of a near-duplicate cluster to keep. */
  keep: 'first' | 'longest';
  /** Remove passages found in at least this many documents (0: keep boilerplate). */
  stripBoilerplate: number;
}

export interface Removal {
  doc: string;
  start: number;
  end: number;
  /** The repeat's id (reason 'repeat') or the passage's (reason 'boilerplate'). */
  passage: number;
  reason: 'repeat' | 'boilerplate';
  /** The occurrence that is kept. */
  kept: { doc: string; start: number; end: number };
}

export interface CleanResult {
  /** Kept documents with removals applied, in input order. */
  documents: { id: string; text: string }[];
  dropped: { id: string; duplicateOf: string }[];
  removed: Removal[];
}

/** What cleaning removes, decided from the report alone (no texts needed). */
export interface CleanPlan {
  dropped: { id: string; duplicateOf: string }[];
  removed: Removal[];
  /** Whether a document is kept, and the text it becomes. */
  keeps(id: string): boolean;
  apply(id: string, text: string): string;
}

export function planClean(report: Report, o: CleanOptions): CleanPlan {
  const order = new Map(report.documents.map((d, i) => [d.id, i]));
  const chars = new Map(report.documents.map((d) => [d.id, d.chars]));
  const dropped: CleanPlan['dropped'] = [];
  const droppedSet = new Set<string>();
  for (const c of report.clusters) {
    const keep = o.keep === 'first' ? c.docs[0]! : c.docs.reduce((best, d) => (chars.get(d)! > chars.get(best)! ? d : best));
    for (const d of c.docs) if (d !== keep) { dropped.push({ id: d, duplicateOf: keep }); droppedSet.add(d); }
  }
  const removed: Removal[] = [];
  for (const r of report.repeats) {
    if (droppedSet.has(r.doc)) continue;
    const copies = r.copies.slice().sort((x, y) => x.start - y.start);
    const kept = { doc: r.doc, start: copies[0]!.start, end: copies[0]!.end };
    for (const x of copies.slice(1)) removed.push(...subtract({ doc: r.doc, start: x.start, end: x.end }, kept, r.id, 'repeat'));
  }
  if (o.stripBoilerplate > 0) {
    for (const p of report.passages) {
      if (p.documents < o.stripBoilerplate) continue;
      const occ = p.occurrences.filter((x) => !droppedSet.has(x.doc)).sort((x, y) => order.get(x.doc)! - order.get(y.doc)! || x.start - y.start);
      if (new Set(occ.map((x) => x.doc)).size < 2) continue;
      const kept = occ[0]!;
      for (const x of occ.slice(1)) removed.push(...subtract(x, kept, p.id, 'boilerplate'));
    }
  }
  removed.sort((x, y) => order.get(x.doc)! - order.get(y.doc)! || x.start - y.start);
  const byDoc = new Map<string, [number, number][]>();
  for (const r of removed) { const l = byDoc.get(r.doc) ?? []; l.push([r.start, r.end]); byDoc.set(r.doc, l); }
  return {
    dropped,
    removed,
    keeps: (id) => !droppedSet.has(id),
    apply: (id, text) => cut(text, byDoc.get(id) ?? []),
  };
}

/** Clean documents held in memory (the CLI streams them through `planClean` instead). */
export function cleanDocuments(report: Report, texts: Map<string, string>, o: CleanOptions): CleanResult {
  const plan = planClean(report, o);
  const documents = report.documents.filter((d) => plan.keeps(d.id)).map((d) => ({ id: d.id, text: plan.apply(d.id, texts.get(d.id) ?? '') }));
  return { documents, dropped: plan.dropped, removed: plan.removed };
}

/** The part of occurrence x not covered by the kept occurrence (periodic repeats overlap their copy). */
function subtract(x: { doc: string; start: number; end: number }, kept: { doc: string; start: number; end: number }, passage: number, reason: Removal['reason']): Removal[] {
  const k = { doc: kept.doc, start: kept.start, end: kept.end };
  if (x.doc !== kept.doc || x.end <= kept.start || x.start >= kept.end) return [{ doc: x.doc, start: x.start, end: x.end, passage, reason, kept: k }];
  const out: Removal[] = [];
  if (x.start < kept.start) out.push({ doc: x.doc, start: x.start, end: kept.start, passage, reason, kept: k });
  if (x.end > kept.end) out.push({ doc: x.doc, start: kept.end, end: x.end, passage, reason, kept: k });
  return out;
}

/** Remove merged spans from a text, with the white space that follows a removed span. */
function cut(text: string, spans: readonly [number, number][]): string {
  if (!spans.length) return text;
  spans = [...spans].sort((a, b) => a[0] - b[0]);
  let out = '', at = 0;
  for (const [s, e] of spans) {
    if (e <= at) continue;
    out += text.slice(at, Math.max(at, s));
    at = e;
    while (at < text.length && /\s/.test(text[at]!)) at++;
  }
  return out + text.slice(at);
}
