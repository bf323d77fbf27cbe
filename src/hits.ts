/**
 * The stage SQL's hits (d, e, i, j) as the refine stage reads them: each batch document's rows,
 * ordered by its position i, then handed to the alignment as flat (e, i, j) triples.
 */
import type { IntRows } from './duckdb.js';

/** No rows of `columns` INTEGER columns (a stage that the options leave out). */
export function noRows(columns: number): IntRows {
  return { n: 0, cols: Array.from({ length: columns }, () => new Int32Array(0)) };
}

/** Where each batch document's rows start in a column sorted by document (n + 1 entries). */
export function startsOf(docs: Int32Array, rows: number, first: number, n: number): Int32Array {
  const at = new Int32Array(n + 1);
  for (let x = 0; x < rows; x++) at[docs[x]! - first + 1]!++;
  for (let t = 0; t < n; t++) at[t + 1]! += at[t]!;
  return at;
}

/** The most rows of any one batch document (from `startsOf`). */
export function maxRun(at: Int32Array): number {
  let m = 0;
  for (let t = 0; t + 1 < at.length; t++) m = Math.max(m, at[t + 1]! - at[t]!);
  return m;
}

/**
 * The hits rows by batch document, then position in it (what `alignCandidates` asks of each
 * earlier document's hits): a counting sort by position, then a stable one by document.
 */
export function orderHits(hits: IntRows, at: Int32Array, first: number): Int32Array {
  const d = hits.cols[0]!, i = hits.cols[2]!, rows = hits.n;
  let top = 0;
  for (let x = 0; x < rows; x++) if (i[x]! > top) top = i[x]!;
  const count = new Int32Array(top + 2);
  for (let x = 0; x < rows; x++) count[i[x]! + 1]!++;
  for (let p = 0; p <= top; p++) count[p + 1]! += count[p]!;
  const byPos = new Int32Array(rows);
  for (let x = 0; x < rows; x++) byPos[count[i[x]!]!++] = x;
  const fill = at.slice(), order = new Int32Array(rows);
  for (let k = 0; k < rows; k++) { const x = byPos[k]!; order[fill[d[x]! - first]!++] = x; }
  return order;
}

/** Hits rows order[from, to) as flat (document, i, j) triples in L; returns the count. */
export function fillHits(L: Int32Array, cols: Int32Array[], order: Int32Array, from: number, to: number): number {
  const e = cols[1]!, i = cols[2]!, j = cols[3]!;
  for (let x = from; x < to; x++) { const r = order[x]!, o = 3 * (x - from); L[o] = e[r]!; L[o + 1] = i[r]!; L[o + 2] = j[r]!; }
  return to - from;
}
