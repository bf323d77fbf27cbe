/**
 * Seeds and winnowing: rolling hashes of seedWords consecutive tokens, the fingerprints winnowing
 * keeps of them (Schleimer, Wilkerson, Aiken 2003), and the table that finds a document's own
 * repeated seeds.
 */
import { rollingHashes } from './hash.js';
import type { DocTokens } from './tokens.js';
import { grown } from './tables.js';

/** Seeds of a document: rolling hashes of every k consecutive token hashes (none if fewer than k tokens). */
export function seedsOf(doc: DocTokens, k: number): Uint32Array {
  if (doc.n < k) return new Uint32Array(0);
  const out = new Uint32Array(doc.n - k + 1);
  rollingHashes(doc.hashes, doc.n, k, out);
  return out;
}

/**
 * Robust winnowing: in every window of w seeds keep the minimum (the rightmost on ties, but a
 * kept minimum stays while it is in the window), so runs of equal seeds keep one per window.
 * Returns the kept positions in increasing order.
 */
export function winnow(seeds: Uint32Array, w: number): Int32Array {
  const n = seeds.length;
  if (n === 0) return new Int32Array(0);
  if (n <= w) {
    let m = 0;
    for (let i = 1; i < n; i++) if (seeds[i]! <= seeds[m]!) m = i;
    return Int32Array.of(m);
  }
  const out: number[] = [];
  let m = -1;
  for (let end = w - 1; end < n; end++) {
    const start = end - w + 1;
    if (m < start) {
      m = start;
      for (let i = start + 1; i <= end; i++) if (seeds[i]! <= seeds[m]!) m = i;
      out.push(m);
    } else if (seeds[end]! < seeds[m]!) {
      m = end;
      out.push(m);
    }
  }
  return Int32Array.from(out);
}

/**
 * What a document repeats of itself, seed by seed, and its fingerprints for the index (one
 * document's; reused by the next). Views are valid up to the counts.
 */
export interface Repeats {
  /** Flat (position, first position) pairs: every seed seen before in the document, in order. */
  hits: Int32Array;
  nHits: number;
  /**
   * Each distinct fingerprint key (the marks in order, a key once) and its position: every one
   * looks up its postings, also one whose seed occurred unmarked earlier in the document (periodic
   * text marks a later place of a seed).
   */
  keys: Uint32Array;
  pos: Int32Array;
  n: number;
}

export function createRepeats(): Repeats {
  // room for documents of 4,096 seeds: growing is rare, and rarely taken paths cost a return to
  // the interpreter when first taken after the code is optimized
  return { hits: new Int32Array(8192), nHits: 0, keys: new Uint32Array(4096), pos: new Int32Array(4096), n: 0 };
}

/** Room in `r` for m seeds (and as many pairs and fingerprints); contents are not kept. */
export function reserveRepeats(r: Repeats, m: number): void {
  if (r.keys.length < m) { const c = 2 * m; r.keys = new Uint32Array(c); r.pos = new Int32Array(c); }
  if (r.hits.length < 2 * m) r.hits = new Int32Array(4 * m);
}

/**
 * `Repeats` in JavaScript (the kernel's `repeats` computes the same): an open-addressing table
 * from seed to its first position, with epoch stamps so it is never cleared, and reused.
 */
export class SeedTable {
  private keys = new Uint32Array(1 << 12);
  private first = new Int32Array(1 << 12);
  private stamp = new Int32Array(1 << 12);
  // the epoch at which a key's fingerprint was taken for the current document
  private marked = new Int32Array(1 << 12);
  private epoch = 0;
  // per seed: its slot
  private slotOf = new Int32Array(1024);

  /** A document's repeats and fingerprints from its seeds and winnowed marks, into `out`. */
  repeats(seeds: Uint32Array, marks: Int32Array, out: Repeats): Repeats {
    const m = seeds.length;
    this.reserve(m);
    reserveRepeats(out, m);
    const slotOf = this.slotOf, keys = this.keys, first = this.first, stamp = this.stamp;
    const mask = keys.length - 1, ep = ++this.epoch, hits = out.hits;
    let h = 0;
    for (let i = 0; i < m; i++) {
      const key = seeds[i]!;
      let s = key & mask;
      while (stamp[s] === ep && keys[s] !== key) s = (s + 1) & mask;
      slotOf[i] = s;
      if (stamp[s] === ep) { hits[2 * h] = i; hits[2 * h + 1] = first[s]!; h++; }
      else { stamp[s] = ep; keys[s] = key; first[s] = i; }
    }
    out.nHits = h;
    let n = 0;
    for (let t = 0; t < marks.length; t++) {
      const i = marks[t]!, s = slotOf[i]!;
      if (this.marked[s] === ep) continue;
      this.marked[s] = ep;
      out.keys[n] = seeds[i]!; out.pos[n] = i; n++;
    }
    out.n = n;
    return out;
  }

  private reserve(m: number): void {
    if (this.slotOf.length < m) this.slotOf = grown(this.slotOf, m, 0);
    if (this.keys.length >= m * 2) return;
    // contents are not kept: the stamps start again
    this.keys = grown(this.keys, 2 * m, 0); this.first = grown(this.first, 2 * m, 0); this.stamp = grown(this.stamp, 2 * m, 0); this.marked = grown(this.marked, 2 * m, 0);
    this.epoch = 0;
  }
}
