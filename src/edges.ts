/** Aligned passage pairs ("edges") and the typed columns they are kept in. */
import { grown } from './tables.js';

/** Aligned spans of two documents (token indices, end exclusive): a[aStart, aEnd) ~ b[bStart, bEnd). */
export interface Edge {
  a: number; aStart: number; aEnd: number;
  b: number; bStart: number; bEnd: number;
  /** Matched words over the longer span's words. */
  similarity: number;
  /** The exact runs of the chain, flattened as (aPos, bPos, len) triples, in order. */
  runs: Int32Array;
}

/**
 * Edges as typed columns: edge e at cols[8e, 8e + 8) is a, aStart, aEnd, b, bStart, bEnd, then
 * where its runs start in `runs` and how many ints they take; its similarity is sims[e].
 */
export interface EdgeColumns { count: number; cols: Int32Array; sims: Float64Array; runs: Int32Array }

/**
 * Edges kept for the report in typed columns, with every edge's runs in one arena: no objects per
 * edge for the garbage collector to trace while a corpus grows. `all` makes the objects.
 */
export class EdgeStore {
  // per edge e at [8e, 8e + 8): a, aStart, aEnd, b, bStart, bEnd, then where its runs start in
  // the arena and how many ints they take
  private cols = new Int32Array(8 * 256);
  private sims = new Float64Array(256);
  private runs = new Int32Array(3 * 1024);
  private nRuns = 0;
  size = 0;

  push(e: Edge): void {
    const i = this.size++, r = e.runs.length;
    if (8 * this.size > this.cols.length) { this.cols = grown(this.cols, 8 * this.size); this.sims = grown(this.sims, this.size); }
    if (this.nRuns + r > this.runs.length) this.runs = grown(this.runs, this.nRuns + r, this.nRuns);
    const c = this.cols, o = 8 * i;
    c[o] = e.a; c[o + 1] = e.aStart; c[o + 2] = e.aEnd; c[o + 3] = e.b; c[o + 4] = e.bStart; c[o + 5] = e.bEnd;
    c[o + 6] = this.nRuns; c[o + 7] = r;
    this.sims[i] = e.similarity;
    this.runs.set(e.runs, this.nRuns);
    this.nRuns += r;
  }

  /** Every edge kept, as the columns themselves (no copy; valid until the next push). */
  columns(): EdgeColumns {
    return { count: this.size, cols: this.cols, sims: this.sims, runs: this.runs };
  }

  /** Every edge kept, in order, as objects (runs are views of the arena). */
  all(): Edge[] {
    const c = this.cols, out: Edge[] = new Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const o = 8 * i;
      out[i] = { a: c[o]!, aStart: c[o + 1]!, aEnd: c[o + 2]!, b: c[o + 3]!, bStart: c[o + 4]!, bEnd: c[o + 5]!, similarity: this.sims[i]!, runs: this.runs.subarray(c[o + 6]!, c[o + 6]! + c[o + 7]!) };
    }
    return out;
  }
}
