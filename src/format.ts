/** The text report for a terminal: passages most widespread first, clusters, totals. */
import type { Report } from './report.js';

export interface FormatOptions {
  color: boolean;
  /** Occurrences listed per passage before "... and N more". */
  maxOccurrences?: number;
  /** Passages listed before "... and N more". */
  maxPassages?: number;
}

const n = (x: number) => x.toLocaleString('en-US');
const plural = (k: number, word: string) => `${n(k)} ${word}${k === 1 ? '' : 's'}`;

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
  lines.push(bold(`reprint: ${plural(t.documents, 'document')}, ${plural(t.chars, 'character')}; ${plural(t.passages, 'repeated passage')} (${plural(t.occurrences, 'occurrence')}, ${plural(t.repeatedChars, 'repeated character')}), ${plural(t.nearDuplicates, 'near-duplicate pair')} in ${plural(t.clusters, 'cluster')}`));
  const finders = new Map<string, (o: number) => number>();
  const lineOf = (doc: string, off: number) => {
    const text = texts.get(doc);
    if (text === undefined) return undefined;
    let f = finders.get(doc);
    if (!f) { f = lineFinder(text); finders.set(doc, f); }
    return f(off);
  };
  if (report.passages.length) {
    lines.push('', bold('Repeated passages') + dim(' (most widespread first)'));
    const maxP = o.maxPassages ?? 50, maxO = o.maxOccurrences ?? 8;
    for (const p of report.passages.slice(0, maxP)) {
      const where = p.documents === 1 ? 'inside 1 document' : `in ${n(p.documents)} documents`;
      lines.push(`${yellow(`#${p.id}`)}  ${plural(p.words, 'word')} ${where}, ${p.occurrences.length} occurrences, similarity ${p.similarity.toFixed(2)}`);
      const first = p.occurrences[0]!;
      const text = texts.get(first.doc);
      if (text !== undefined) lines.push(`    "${excerpt(text, first.start, first.end)}"`);
      for (const occ of p.occurrences.slice(0, maxO)) {
        const line = lineOf(occ.doc, occ.start);
        lines.push(`    ${cyan(occ.doc)}${line === undefined ? '' : dim(`:${line}`)}  [${occ.start}, ${occ.end})`);
      }
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
  if (!report.passages.length && !report.clusters.length) lines.push('', 'No repeated passages and no near-duplicates.');
  return lines.join('\n') + '\n';
}
