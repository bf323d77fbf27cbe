/** The text report for a terminal: totals, each document's repeats, shared passages most widespread first, clusters. */
import type { Report } from './report.js';

export interface FormatOptions {
  color: boolean;
  /** Occurrences listed per passage before "... and N more". */
  maxOccurrences?: number;
  /** Passages listed before "... and N more". */
  maxPassages?: number;
}

/** A number with thousands separators. */
export const n = (x: number): string => x.toLocaleString('en-US');
/** A count and its noun, singular for one ("1 copy", "2 copies"). */
export const plural = (k: number, word: string, many = `${word}s`): string => `${n(k)} ${k === 1 ? word : many}`;

/** Line number (1-based) of an offset, from a cached table of line starts. */
export function lineFinder(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid]! <= offset) lo = mid; else hi = mid - 1; }
    return lo + 1;
  };
}

/** The line (from 1) of an offset in a document of `texts`, its table of line starts made once; undefined for a text not given. */
export function lineLocator(texts: Map<string, string>): (doc: string, offset: number) => number | undefined {
  const finders = new Map<string, (offset: number) => number>();
  return (doc, offset) => {
    const text = texts.get(doc);
    if (text === undefined) return undefined;
    let f = finders.get(doc);
    if (!f) finders.set(doc, f = lineFinder(text));
    return f(offset);
  };
}

/** A one-line excerpt of at most `max` characters. */
export function excerpt(text: string, start: number, end: number, max = 100): string {
  const s = text.slice(start, Math.min(end, start + max * 2)).replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function formatText(report: Report, texts: Map<string, string>, o: FormatOptions): string {
  const c = (code: string, s: string) => (o.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const bold = (s: string) => c('1', s), dim = (s: string) => c('2', s), cyan = (s: string) => c('36', s), yellow = (s: string) => c('33', s);
  const t = report.totals;
  const lines: string[] = [];
  lines.push(bold(`reprint: ${plural(t.documents, 'document')}, ${plural(t.chars, 'character')}; ${plural(t.repeats, 'repeat')} inside documents (${plural(t.copies, 'copy', 'copies')}), ${plural(t.passages, 'passage')} shared across documents (${plural(t.occurrences, 'occurrence')}), ${plural(t.repeatedChars, 'repeated character')}, ${plural(t.nearDuplicates, 'near-duplicate pair')} in ${plural(t.clusters, 'cluster')}`));
  const lineOf = lineLocator(texts);
  const maxP = o.maxPassages ?? 50, maxO = o.maxOccurrences ?? 8;
  const where = (doc: string, x: { start: number; end: number; similarity: number }, rep: boolean) => {
    const line = lineOf(doc, x.start);
    return `    ${cyan(doc)}${line === undefined ? '' : dim(`:${line}`)}  [${x.start}, ${x.end})${rep ? dim('  representative') : dim(`  ${x.similarity.toFixed(2)}`)}`;
  };
  const quote = (doc: string, x: { start: number; end: number }) => {
    const text = texts.get(doc);
    if (text !== undefined) lines.push(`    "${excerpt(text, x.start, x.end)}"`);
  };
  if (report.repeats.length) {
    lines.push('', bold('Repeats inside documents') + dim(' (in input order)'));
    for (const r of report.repeats.slice(0, maxP)) {
      lines.push(`${yellow(`R${r.id}`)}  ${plural(r.words, 'word')}, ${plural(r.copies.length, 'copy', 'copies')}, similarity ${r.similarity.toFixed(2)}`);
      quote(r.doc, r.copies[r.representative]!);
      r.copies.slice(0, maxO).forEach((c, k) => lines.push(where(r.doc, c, k === r.representative)));
      if (r.copies.length > maxO) lines.push(dim(`    … and ${n(r.copies.length - maxO)} more`));
    }
    if (report.repeats.length > maxP) lines.push(dim(`… and ${plural(report.repeats.length - maxP, 'more repeat')} (--format json lists all)`));
  }
  if (report.passages.length) {
    lines.push('', bold('Passages shared across documents') + dim(' (most widespread first)'));
    for (const p of report.passages.slice(0, maxP)) {
      lines.push(`${yellow(`#${p.id}`)}  ${plural(p.words, 'word')} in ${n(p.documents)} documents, ${plural(p.occurrences.length, 'occurrence')}, similarity ${p.similarity.toFixed(2)}`);
      const rep = p.occurrences[p.representative]!;
      quote(rep.doc, rep);
      p.occurrences.slice(0, maxO).forEach((x, k) => lines.push(where(x.doc, x, k === p.representative)));
      if (p.occurrences.length > maxO) lines.push(dim(`    … and ${n(p.occurrences.length - maxO)} more`));
    }
    if (report.passages.length > maxP) lines.push(dim(`… and ${plural(report.passages.length - maxP, 'more passage')} (--format json lists all)`));
  }
  if (report.clusters.length) {
    lines.push('', bold('Near-duplicate clusters') + dim(` (Jaccard >= ${report.options.threshold})`));
    const sim = new Map<string, number>();
    for (const d of report.nearDuplicates) { sim.set(d.a, Math.max(sim.get(d.a) ?? 0, d.similarity)); sim.set(d.b, Math.max(sim.get(d.b) ?? 0, d.similarity)); }
    report.clusters.forEach((cl, i) => {
      lines.push(`${yellow(`#${i + 1}`)}  ${plural(cl.docs.length, 'document')}: ${cl.docs.slice(0, 10).map((d) => `${cyan(d)} ${dim((sim.get(d) ?? 0).toFixed(2))}`).join(', ')}${cl.docs.length > 10 ? dim(` … and ${cl.docs.length - 10} more`) : ''}`);
    });
  }
  if (!report.repeats.length && !report.passages.length && !report.clusters.length) lines.push('', 'No repeats, no shared passages and no near-duplicates.');
  return lines.join('\n') + '\n';
}
