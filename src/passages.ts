/**
 * Repeated passages: seeds, the cross-document fingerprint index, and seed-and-extend alignment.
 *
 * A document's tokens give seeds (rolling hashes of seedWords consecutive token hashes). Inside one
 * document, a table from seed to its first position finds every repeat: each hit is verified and
 * extended token by token into an exact run, and later hits on a diagonal a run already covers are
 * skipped, so a doubled body costs one extension, and "the the the ..." one run. Across documents,
 * winnowing (Schleimer, Wilkerson, Aiken 2003) keeps about 2/(w+1) of each document's seeds in an
 * inverted index with a cap on postings per fingerprint; a new document looks
 * up its own fingerprints (first occurrence only), and since winnowing is local, any shared run of
 * seedWords + w - 1 words yields the same fingerprint in both documents. Runs on
 * neighbouring diagonals are chained across small edits (gaps scored by LCS), and a chain of at
 * least minWords words on both sides with enough matched words is a passage pair (an "edge").
 */
import { ErrorCode, ReprintError } from './errors.js';
import { growPairs, rollingHashes, type Spare } from './hash.js';
import type { Tokens } from './tokenize.js';

/**
 * What alignment keeps of a document: token hashes and punctuation-extended token offsets. The
 * offsets are packed (`packOffsets`), read back with `startOf` and `endOf`: the start of token i
 * is extended back over punctuation attached to it (opening quotes, brackets), its end forward
 * (full stop, closing quote).
 */
export interface DocTokens {
  /** Token count. */
  n: number;
  hashes: Uint32Array;
  /**
   * One byte per token: its start minus the previous token's end, plus 1, in the top 3 bits (a
   * gap of -1 to 5), and its length in the low 5 bits (0 to 30); 7 and 31 mark an escaped value.
   */
  bytes: Uint8Array;
  /** The start of every ANCHOR-th token. */
  anchors: Int32Array;
  /**
   * Values that did not fit, as (field, value) pairs in field order, where token i's gap is field
   * 2i and its length field 2i + 1; null if none.
   */
  escapes: Int32Array | null;
}

/** A document's token hashes and their count (what alignment and Jaccard read of its tokens). */
export type TokenHashes = Pick<DocTokens, 'hashes' | 'n'>;

/** Tokens per anchor of packed offsets: reading an offset adds at most this many lengths and gaps. */
export const ANCHOR = 16;

/**
 * Pack extended token offsets (xs[xsAt + i], xe[xeAt + i] for i < n) into t: about 1.25 bytes a
 * token instead of 8, so a large corpus touches far less fresh memory (page faults dominate its
 * cost on some machines). In prose nearly every gap is 1 (one space) or -1 (a token split off
 * inside a word, as in "a--b"), and words are short: a gap outside [-1, 5] or a length over 30
 * is escaped (about 1 token in 7,000 in the benchmark's news).
 */
export function packOffsets(src: Int32Array, xsAt: number, xeAt: number, n: number, t: DocTokens): void {
  const bytes = t.bytes, anchors = t.anchors;
  // esc: escaped (field, value) pairs; prev: the previous token's end
  let esc: number[] | undefined;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const s = src[xsAt + i]!, e = src[xeAt + i]!;
    if (i % ANCHOR === 0) anchors[i / ANCHOR] = s;
    const gap = s - prev, len = e - s;
    let g = gap + 1, l = len;
    if (g < 0 || g > 6) { g = 7; (esc ??= []).push(2 * i, gap); }
    if (l > 30) { l = 31; (esc ??= []).push(2 * i + 1, len); }
    bytes[i] = (g << 5) | l;
    prev = e;
  }
  t.escapes = esc ? Int32Array.from(esc) : null;
}

/** Field k of packed offsets (bytes at bytes[b0]) as its value: token k >> 1's gap (k even) or length (k odd). */
function packed(bytes: Uint8Array, b0: number, escapes: Int32Array | null, k: number): number {
  const b = bytes[b0 + (k >> 1)]!;
  // v: the field's bits, 7 or 31 when escaped
  const v = k & 1 ? b & 31 : b >>> 5;
  if (k & 1 ? v !== 31 : v !== 7) return k & 1 ? v : v - 1;
  // an escaped value: binary search of the escapes
  const e = escapes!;
  let lo = 0, hi = e.length / 2 - 1;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (e[2 * mid]! < k) lo = mid + 1; else hi = mid; }
  return e[2 * lo + 1]!;
}

/** Extended start of token i of packed offsets whose anchors are at anchors[a0] and bytes at bytes[b0]. */
function startAt(anchors: Int32Array, a0: number, bytes: Uint8Array, b0: number, escapes: Int32Array | null, i: number): number {
  let x = anchors[a0 + Math.floor(i / ANCHOR)]!;
  // from the anchor: token u's length and token u + 1's gap, each from its byte unless escaped
  for (let u = i - (i % ANCHOR); u < i; u++) {
    const len = bytes[b0 + u]! & 31, gap = bytes[b0 + u + 1]! >>> 5;
    x += (len !== 31 ? len : packed(bytes, b0, escapes, 2 * u + 1)) + (gap !== 7 ? gap - 1 : packed(bytes, b0, escapes, 2 * u + 2));
  }
  return x;
}

/** Extended start of token i. */
export function startOf(t: DocTokens, i: number): number {
  return startAt(t.anchors, 0, t.bytes, 0, t.escapes, i);
}

/** Extended end of token i (exclusive). */
export function endOf(t: DocTokens, i: number): number {
  return startOf(t, i) + packed(t.bytes, 0, t.escapes, 2 * i + 1);
}

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

/** Edges as columns (the runs copied into one arena). */
export function edgeColumns(edges: readonly Edge[]): EdgeColumns {
  const store = new EdgeStore();
  for (const e of edges) store.push(e);
  return store.columns();
}

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
    if (8 * this.size > this.cols.length) {
      const c = new Int32Array(2 * this.cols.length); c.set(this.cols); this.cols = c;
      const m = new Float64Array(2 * this.sims.length); m.set(this.sims); this.sims = m;
    }
    if (this.nRuns + r > this.runs.length) {
      let cap = this.runs.length;
      while (this.nRuns + r > cap) cap *= 2;
      const x = new Int32Array(cap); x.set(this.runs.subarray(0, this.nRuns)); this.runs = x;
    }
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

export interface AlignOptions {
  minWords: number;
  seedWords: number;
  maxGap: number;
  passageSimilarity: number;
}

/** Space, line breaks and the Unicode spaces: what ends attached punctuation. */
function isSpace(c: number): boolean {
  return c <= 0x20 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

// extended offsets of the document being kept: xs in [0, n), xe in [n, 2n)
let extended = new Int32Array(2048);

/** Keep a document's tokens for alignment: copy hashes, extend offsets over attached punctuation. */
export function keepTokens(text: string, t: Tokens, store?: TokenAlloc): DocTokens {
  const n = t.count;
  const out = allocTokens(n, store);
  if (extended.length < 2 * n) extended = new Int32Array(4 * n);
  const x = extended;
  out.hashes.set(t.hashes.subarray(0, n));
  for (let i = 0; i < n; i++) {
    const lo = i > 0 ? t.ends[i - 1]! : 0;
    let s = t.starts[i]!;
    while (s > lo && !isSpace(text.charCodeAt(s - 1))) s--;
    x[i] = s;
    const hi = i + 1 < n ? t.starts[i + 1]! : text.length;
    let e = t.ends[i]!;
    while (e < hi && !isSpace(text.charCodeAt(e))) e++;
    x[n + i] = e;
  }
  packOffsets(x, 0, n, n, out);
  return out;
}

/** Bytes of a document's kept tokens: hashes, anchors, packed offsets (4-byte aligned). */
export function tokenBytes(n: number): number {
  return 4 * n + 4 * Math.ceil(n / ANCHOR) + ((n + 3) & ~3);
}

/** Byte offsets of the anchors and the offset bytes of n kept tokens laid out from byte `at`. */
const anchorsAt = (at: number, n: number): number => at + 4 * n;
const bytesAt = (at: number, n: number): number => at + 4 * n + 4 * Math.ceil(n / ANCHOR);

/** Views for n tokens at byte `at` of `buf` (4-byte aligned), laid out as `tokenBytes` counts. */
export function carve(buf: ArrayBuffer, at: number, n: number): DocTokens {
  return { n, hashes: new Uint32Array(buf, at, n), anchors: new Int32Array(buf, anchorsAt(at, n), Math.ceil(n / ANCHOR)), bytes: new Uint8Array(buf, bytesAt(at, n), n), escapes: null };
}

/** Where kept token arrays are carved (a TokenStore, or a worker's reused staging memory). */
export interface TokenAlloc { alloc(n: number): DocTokens }

/** Arrays for a document of n tokens: from the store when given, else in one buffer of their own. */
export function allocTokens(n: number, store?: TokenAlloc): DocTokens {
  return store ? store.alloc(n) : carve(new ArrayBuffer(tokenBytes(n)), 0, n);
}

/**
 * Every document's kept tokens, numbered in arrival order. Arrays are carved from large shared
 * chunks (one backing store per chunk instead of three per document), and a document is recorded
 * as (buffer, byte offset, token count) in typed arrays: no object per document for the garbage
 * collector to trace. `get` makes the views when they are needed.
 */
export class TokenStore implements TokenAlloc {
  private buf = new ArrayBuffer(0);
  private used = 0;
  // buffers documents live in (store chunks, or batches from workers), and per document d:
  // buffer number at [3d], byte offset at [3d + 1], token count at [3d + 2]
  private bufs: ArrayBuffer[] = [];
  // each buffer's bytes, and its 32-bit words once needed (for offsets read without views)
  private u8: Uint8Array[] = [];
  private i32: (Int32Array | undefined)[] = [];
  private where = new Int32Array(3 * 1024);
  // escaped offsets (rare) by document
  private escapes = new Map<number, Int32Array>();
  private docs = 0;
  // the next new chunk's size: doubling from 64 KB up to `chunk`, so that a corpus's first
  // documents already take new chunks (and spare buffers) while `alloc` runs in the interpreter;
  // a path first taken after the compiler optimized it sends the code back to the interpreter
  private next: number;
  /** `spare`: buffers to fill before new chunks (their contents are overwritten). */
  constructor(private readonly chunk = 1 << 22, private readonly spare?: Spare) {
    this.next = Math.min(1 << 16, chunk);
  }

  /** Documents kept. */
  get size(): number { return this.docs; }

  /** Views for a document of n tokens. */
  alloc(n: number): DocTokens {
    const size = tokenBytes(n);
    if (this.used + size > this.buf.byteLength) { this.buf = this.spare?.take(size) ?? this.fresh(size); this.used = 0; }
    const t = carve(this.buf, this.used, n);
    this.used += size;
    return t;
  }

  /** A new chunk of at least `size` bytes. */
  private fresh(size: number): ArrayBuffer {
    const b = new ArrayBuffer(Math.max(this.next, size));
    this.next = Math.min(2 * this.next, this.chunk);
    return b;
  }

  /**
   * Keep t as the next document; returns its number. Arrays laid out by `carve` (from `alloc`, or
   * a worker's batch) are kept where they are; others are copied into the store.
   */
  keep(t: DocTokens): number {
    const n = t.n, buf = t.hashes.buffer, at = t.hashes.byteOffset, na = t.anchors.length;
    if (!(buf instanceof ArrayBuffer) || t.anchors.buffer !== buf || t.bytes.buffer !== buf || t.anchors.byteOffset !== anchorsAt(at, n) || t.bytes.byteOffset !== bytesAt(at, n)) {
      const c = this.alloc(n);
      c.hashes.set(t.hashes.subarray(0, n)); c.anchors.set(t.anchors.subarray(0, na)); c.bytes.set(t.bytes.subarray(0, n));
      c.escapes = t.escapes;
      return this.keep(c);
    }
    const d = this.docs++;
    let b = this.bufs.length - 1;
    if (b < 0 || this.bufs[b] !== buf) {
      this.bufs.push(buf); this.u8.push(new Uint8Array(buf)); b++;
      // tokens that come in buffers of their own (workers' batches) leave the spare buffers unused
      if (buf !== this.buf) this.spare?.close();
    }
    if (3 * d + 3 > this.where.length) { const w = new Int32Array(2 * this.where.length); w.set(this.where); this.where = w; }
    this.where[3 * d] = b; this.where[3 * d + 1] = at; this.where[3 * d + 2] = n;
    if (t.escapes) this.escapes.set(d, t.escapes);
    return d;
  }

  /** Token count of document d. */
  count(d: number): number { return this.where[3 * d + 2]!; }

  /** Extended start of token i of document d (`startOf`, without making views). */
  startOf(d: number, i: number): number {
    const b = this.where[3 * d]!, at = this.where[3 * d + 1]!, n = this.where[3 * d + 2]!;
    return startAt(this.words(b), anchorsAt(at, n) >> 2, this.u8[b]!, bytesAt(at, n), this.escapes.get(d) ?? null, i);
  }

  /** Extended end of token i of document d (exclusive). */
  endOf(d: number, i: number): number {
    const b = this.where[3 * d]!, at = this.where[3 * d + 1]!, n = this.where[3 * d + 2]!, u8 = this.u8[b]!, esc = this.escapes.get(d) ?? null;
    return startAt(this.words(b), anchorsAt(at, n) >> 2, u8, bytesAt(at, n), esc, i) + packed(u8, bytesAt(at, n), esc, 2 * i + 1);
  }

  /** Buffer b as 32-bit words (made once). */
  private words(b: number): Int32Array {
    return this.i32[b] ??= new Int32Array(this.bufs[b]!, 0, this.bufs[b]!.byteLength >> 2);
  }

  /** A view of document d's token hashes, with its count: all that alignment and Jaccard read (`get` makes every view). */
  hashes(d: number): TokenHashes {
    return { hashes: new Uint32Array(this.bufs[this.where[3 * d]!]!, this.where[3 * d + 1]!, this.where[3 * d + 2]!), n: this.where[3 * d + 2]! };
  }

  /** Views of document d's tokens. */
  get(d: number): DocTokens {
    const t = carve(this.bufs[this.where[3 * d]!]!, this.where[3 * d + 1]!, this.where[3 * d + 2]!);
    t.escapes = this.escapes.get(d) ?? null;
    return t;
  }

  /** Bytes of every document's kept tokens (for memory accounting). */
  bytes(): number {
    let sum = 0;
    for (let d = 0; d < this.docs; d++) sum += tokenBytes(this.count(d));
    for (const e of this.escapes.values()) sum += e.byteLength;
    return sum;
  }
}

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
  /** Each distinct fingerprint key (the marks in order, a key once) and its position. */
  keys: Uint32Array;
  pos: Int32Array;
  /** 1 where that position is the key's first occurrence in the document (its hits are wanted). */
  want: Uint8Array;
  n: number;
}

export function createRepeats(): Repeats {
  // room for documents of 4,096 seeds: growing is rare, and rarely taken paths cost a return to
  // the interpreter when first taken after the code is optimized
  return { hits: new Int32Array(8192), nHits: 0, keys: new Uint32Array(4096), pos: new Int32Array(4096), want: new Uint8Array(4096), n: 0 };
}

/** Room in `r` for m seeds (and as many pairs and fingerprints); contents are not kept. */
export function reserveRepeats(r: Repeats, m: number): void {
  if (r.keys.length < m) { const c = 2 * m; r.keys = new Uint32Array(c); r.pos = new Int32Array(c); r.want = new Uint8Array(c); }
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
  // per seed: first occurrence, and its slot
  private isFirst = new Uint8Array(1024);
  private slotOf = new Int32Array(1024);

  /** A document's repeats and fingerprints from its seeds and winnowed marks, into `out`. */
  repeats(seeds: Uint32Array, marks: Int32Array, out: Repeats): Repeats {
    const m = seeds.length;
    this.reserve(m);
    reserveRepeats(out, m);
    const isFirst = this.isFirst, slotOf = this.slotOf, keys = this.keys, first = this.first, stamp = this.stamp;
    const mask = keys.length - 1, ep = ++this.epoch, hits = out.hits;
    let h = 0;
    for (let i = 0; i < m; i++) {
      const key = seeds[i]!;
      let s = key & mask;
      while (stamp[s] === ep && keys[s] !== key) s = (s + 1) & mask;
      slotOf[i] = s;
      if (stamp[s] === ep) { hits[2 * h] = i; hits[2 * h + 1] = first[s]!; h++; isFirst[i] = 0; }
      else { stamp[s] = ep; keys[s] = key; first[s] = i; isFirst[i] = 1; }
    }
    out.nHits = h;
    let n = 0;
    for (let t = 0; t < marks.length; t++) {
      const i = marks[t]!, s = slotOf[i]!;
      if (this.marked[s] === ep) continue;
      this.marked[s] = ep;
      out.keys[n] = seeds[i]!; out.pos[n] = i; out.want[n] = isFirst[i]!; n++;
    }
    out.n = n;
    return out;
  }

  private reserve(m: number): void {
    if (this.isFirst.length < m) { this.isFirst = new Uint8Array(2 * m); this.slotOf = new Int32Array(2 * m); }
    if (this.keys.length >= m * 2) return;
    let cap = this.keys.length;
    while (cap < m * 2) cap *= 2;
    this.keys = new Uint32Array(cap); this.first = new Int32Array(cap); this.stamp = new Int32Array(cap); this.marked = new Int32Array(cap);
    this.epoch = 0;
  }
}

/** Postings a document's fingerprints met in the index: flat (earlier doc, position here, position there). */
export interface Hits { list: Int32Array; count: number }

export function createHits(): Hits {
  // small, so that growing is exercised by the first documents (see HitGroups)
  return { list: new Int32Array(3 * 16), count: 0 };
}

/**
 * log2 of the postings per chunk of the fingerprint index's list arena: 1,024 (8 KB), so that a
 * second chunk is taken within the first 100 or so documents, while `addDocument` still runs in
 * the interpreter (with 4,096 it came after the compiler's first version, which then went back).
 */
const CHUNK_BITS = 10;
/** Postings per chunk (small, so that growing is exercised from the first documents on, see `addDocument`). */
const CHUNK_POSTINGS = 1 << CHUNK_BITS;
/** Offset of a posting in its chunk. */
const IN_CHUNK = CHUNK_POSTINGS - 1;

/** log2 of the tokens per block of the fingerprint index's directory from token number to document. */
const BLOCK_BITS = 8;

/**
 * Most tokens one fingerprint index numbers (a posting is a token number in an int32, and the
 * negative values mark lists): 2^31 - 2, about 14 GB of English text.
 */
export const MAX_INDEX_TOKENS = 2 ** 31 - 2;

/**
 * Inverted index from fingerprint to (doc, position) postings, the earliest `maxPostings`
 * documents per fingerprint. A posting is one int: a token number, counting every document's
 * tokens in arrival order, which a directory turns back into (doc, position).
 *
 * An open-addressing table of 8-byte slots (key, value) holds a key's one posting in the slot
 * itself: most fingerprints never occur again (82% at 64,000 news articles), and they then cost
 * no posting and no second cache miss. A key's second occurrence moves both into a list in a
 * posting arena of (token number, next), newest first; a list is at most maxPostings long, so
 * its length is counted on the walk instead of stored. Each document is added in one call: a
 * first pass only reads its fingerprints' home slots, so their cache misses overlap instead of
 * queueing behind each insert.
 */
export class FingerprintIndex {
  // table: slot i holds key at [2i] and at [2i+1] its value: -1 free, >= 0 its one posting,
  // <= -2 the list whose head posting is -value - 2
  private table: Int32Array<ArrayBuffer> = new Int32Array(2 << 12).fill(-1);
  private mask = (1 << 12) - 1;
  private used = 0;
  // list postings: token number, next (-1 ends); two ints each, in chunks of CHUNK_POSTINGS
  // (posting p is at chunk p >>> CHUNK_BITS), so growing copies nothing
  private chunks: Int32Array[] = [];
  private pUsed = 0;
  // postings in all (in the table and in lists)
  private count = 0;
  // documents added; base[d]: document d's first token number (base[docs]: tokens so far)
  private docs = 0;
  private base = new Int32Array(4);
  // dir[b]: the document holding token number b << BLOCK_BITS
  private dir = new Int32Array(4);
  // what the first pass read (kept so it is not optimized away)
  private touched = 0;

  /** `spare` takes the tables the index outgrows; `maxTokens` is for tests of the limit. */
  constructor(readonly maxPostings: number, private readonly spare?: Spare, private readonly maxTokens = MAX_INDEX_TOKENS) {}

  /** Fingerprints stored and postings kept (for memory accounting). */
  get stats(): { fingerprints: number; postings: number; bytes: number } {
    return { fingerprints: this.used, postings: this.count, bytes: this.table.byteLength + this.chunks.length * 2 * CHUNK_POSTINGS * 4 + this.base.byteLength + this.dir.byteLength };
  }

  /** Throws unless a document of `tokens` tokens fits (checked before a caller changes anything). */
  checkRoom(tokens: number): void {
    const total = this.base[this.docs]! + tokens;
    if (total > this.maxTokens) {
      throw new ReprintError(ErrorCode.CAPACITY, `a fingerprint index holds at most ${this.maxTokens} tokens, got ${total} with document ${this.docs + 1}: split the corpus`);
    }
  }

  /** A key's postings as flat (doc, position) pairs, newest first. */
  postings(key: number): number[] {
    const t = this.table, mask = this.mask, k = key | 0, out: number[] = [];
    let i = key & mask;
    while (t[2 * i + 1] !== -1 && t[2 * i] !== k) i = (i + 1) & mask;
    const v = t[2 * i + 1]!;
    if (v >= 0) this.decode(v, out);
    for (let q = v <= -2 ? -v - 2 : -1; q >= 0; q = this.chunks[q >>> CHUNK_BITS]![2 * (q & IN_CHUNK) + 1]!) this.decode(this.chunks[q >>> CHUNK_BITS]![2 * (q & IN_CHUNK)]!, out);
    return out;
  }

  private decode(tok: number, out: number[]): void {
    const d = this.docAt(tok);
    out.push(d, tok - this.base[d]!);
  }

  /** The document holding token number `tok`: its block's document, or one of the next few. */
  private docAt(tok: number): number {
    const base = this.base;
    let d = this.dir[tok >>> BLOCK_BITS]!;
    while (base[d + 1]! <= tok) d++;
    return d;
  }

  /**
   * Add document `doc` (the next one: 0, 1, 2, ...) of `tokens` tokens, and its fingerprints:
   * keys[t] at positions pos[t] for t < n, each key at most once per document (the caller
   * dedupes). Where want[t] is set, the postings the key already had are appended to `hits` as
   * (doc there, pos[t], position there), newest first.
   */
  addDocument(doc: number, tokens: number, keys: Uint32Array, pos: Int32Array, want: Uint8Array, n: number, hits: Hits): void {
    if (doc !== this.docs) throw new Error(`fingerprint index: document ${doc} added after ${this.docs - 1}`);
    this.checkRoom(tokens);
    this.number(tokens);
    while ((this.used + n) * 4 > (this.mask + 1) * 3) this.rehash();
    // each key adds at most two list postings (its second occurrence moves the first one too)
    while (this.chunks.length * CHUNK_POSTINGS < this.pUsed + 2 * n) this.chunks.push(new Int32Array(2 * CHUNK_POSTINGS));
    const t = this.table, mask = this.mask, chunks = this.chunks, cap = this.maxPostings, b0 = this.base[doc]!;
    // first pass: read every home slot, so the misses overlap
    let sum = 0;
    for (let x = 0; x < n; x++) sum += t[2 * (keys[x]! & mask)]!;
    this.touched = sum;
    hits.count = 0;
    // added: postings this document adds, counted in a local so that the paths for a full list
    // touch no property: a path first taken after the function is optimized sends it back to the
    // interpreter for lack of type feedback
    let added = 0;
    for (let x = 0; x < n; x++) {
      const k = keys[x]! | 0, tok = b0 + pos[x]!;
      let i = k & mask;
      while (t[2 * i + 1] !== -1 && t[2 * i] !== k) i = (i + 1) & mask;
      const v = t[2 * i + 1]!;
      // a new key: its posting goes in the slot
      if (v === -1) { t[2 * i] = k; t[2 * i + 1] = tok; this.used++; added++; continue; }
      const wanted = want[x] === 1;
      if (v >= 0) {
        // one posting, in the slot
        if (wanted) { const d = this.docAt(v); pushHit(hits, d, pos[x]!, v - this.base[d]!); }
        if (cap <= 1) continue;
        const p = this.pUsed, c0 = chunks[p >>> CHUNK_BITS]!, o0 = 2 * (p & IN_CHUNK);
        c0[o0] = v; c0[o0 + 1] = -1;
        const c1 = chunks[(p + 1) >>> CHUNK_BITS]!, o1 = 2 * ((p + 1) & IN_CHUNK);
        c1[o1] = tok; c1[o1 + 1] = p;
        this.pUsed = p + 2;
        t[2 * i + 1] = -(p + 1) - 2;
        added++;
        continue;
      }
      // a list: its length (walked to the end when its postings are wanted, else to the cap)
      const h = -v - 2, limit = wanted ? 0x7fffffff : cap;
      let count = 0;
      for (let q = h; q >= 0 && count < limit; count++) {
        // cq, oq: chunk and offset of posting q
        const cq = chunks[q >>> CHUNK_BITS]!, oq = 2 * (q & IN_CHUNK);
        if (wanted) { const u = cq[oq]!, d = this.docAt(u); pushHit(hits, d, pos[x]!, u - this.base[d]!); }
        q = cq[oq + 1]!;
      }
      if (count >= cap) continue;
      const p = this.pUsed++;
      const c = chunks[p >>> CHUNK_BITS]!, o = 2 * (p & IN_CHUNK);
      c[o] = tok; c[o + 1] = h;
      t[2 * i + 1] = -p - 2;
      added++;
    }
    this.count += added;
  }

  /** Number the next document's tokens: its base, and the directory blocks that start in it. */
  private number(tokens: number): void {
    const d = this.docs++;
    if (d + 2 > this.base.length) { const b = new Int32Array(2 * this.base.length); b.set(this.base); this.base = b; }
    const b0 = this.base[d]!, b1 = b0 + tokens;
    this.base[d + 1] = b1;
    // blocks whose first token is in [b0, b1)
    const first = (b0 + (1 << BLOCK_BITS) - 1) >>> BLOCK_BITS, end = (b1 + (1 << BLOCK_BITS) - 1) >>> BLOCK_BITS;
    if (end > this.dir.length) { let n = this.dir.length; while (n < end) n *= 2; const x = new Int32Array(n); x.set(this.dir); this.dir = x; }
    this.dir.fill(d, first, end);
  }

  private rehash(): void {
    this.table = growPairs(this.table, this.spare);
    this.mask = (this.table.length >> 1) - 1;
  }
}

function pushHit(h: Hits, doc: number, i: number, j: number): void {
  if (3 * (h.count + 1) > h.list.length) { const l = new Int32Array(h.list.length * 2); l.set(h.list); h.list = l; }
  const c = 3 * h.count++;
  h.list[c] = doc; h.list[c + 1] = i; h.list[c + 2] = j;
}

// two rows of the LCS table, reused
let lcsRows = new Int32Array(256);

/** Length of the longest common subsequence of a[a0, a1) and b[b0, b1) (small gaps only). */
function lcs(a: Uint32Array, a0: number, a1: number, b: Uint32Array, b0: number, b1: number): number {
  const m = a1 - a0, n = b1 - b0;
  if (m <= 0 || n <= 0) return 0;
  if (lcsRows.length < 2 * (n + 1)) lcsRows = new Int32Array(4 * (n + 1));
  let prev = lcsRows.subarray(0, n + 1).fill(0), cur = lcsRows.subarray(n + 1, 2 * (n + 1)).fill(0);
  for (let i = 1; i <= m; i++) {
    const x = a[a0 + i - 1]!;
    for (let j = 1; j <= n; j++) {
      cur[j] = x === b[b0 + j - 1]! ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    }
    const t = prev; prev = cur; cur = t;
  }
  return prev[n]!;
}

/**
 * Collects exact runs between two token sequences from seed hits and turns them into edges.
 * For a document against itself, A and B are the same and every hit has i > j (a is the later copy).
 */
export class Aligner {
  // runs found so far: flattened (aPos, bPos, len)
  private runs: number[] = [];
  // diagonal -> end (in a) of the last run found on it: the latest diagonal in lastD/lastEnd
  // (hits along one shared passage stay on it), the others in a map made when needed
  private lastD = 0;
  private lastEnd = -1;
  private covered: Map<number, number> | undefined;

  // self alignment: furthest end (in a) of any run; hits before it are inside a repeat already found
  private reach = 0;

  constructor(private readonly A: TokenHashes, private readonly B: TokenHashes, private readonly o: AlignOptions) {}

  /** A seed of seedWords tokens matches at a[i] and b[j]: verify and extend it into a run, unless a run already covers it. */
  hit(i: number, j: number): void {
    const self = this.A === this.B;
    // inside one document every later hit of a seed points at its first position, a new diagonal
    // each time in "the the the ...": without this skip that would be quadratic
    if (self && i < this.reach) return;
    const d = i - j;
    const end = d === this.lastD ? this.lastEnd : this.covered?.get(d);
    if (end !== undefined && i < end) return;
    const A = this.A.hashes, B = this.B.hashes, k = this.o.seedWords;
    for (let t = 0; t < k; t++) if (A[i + t] !== B[j + t]) return;
    let s = 0;
    while (i - s > 0 && j - s > 0 && A[i - s - 1] === B[j - s - 1]) s++;
    let e = k;
    const na = this.A.n, nb = this.B.n;
    while (i + e < na && j + e < nb && A[i + e] === B[j + e]) e++;
    this.runs.push(i - s, j - s, s + e);
    if (d !== this.lastD && this.lastEnd >= 0) (this.covered ??= new Map()).set(this.lastD, this.lastEnd);
    this.lastD = d;
    this.lastEnd = i + e;
    if (self && i + e > this.reach) this.reach = i + e;
  }

  /** Chain the runs into passages; return the edges that pass minWords and passageSimilarity. */
  edges(a: number, b: number): Edge[] {
    const R = this.runs;
    const count = R.length / 3;
    if (count === 0) return [];
    if (count === 1) {
      // one exact run: no chaining, similarity 1
      const [ra, rb, len] = R as [number, number, number];
      return len < this.o.minWords ? [] : [{ a, aStart: ra, aEnd: ra + len, b, bStart: rb, bEnd: rb + len, similarity: 1, runs: Int32Array.of(ra, rb, len) }];
    }
    const order = Array.from({ length: count }, (_, r) => r).sort((x, y) => R[3 * x]! - R[3 * y]! || R[3 * x + 1]! - R[3 * y + 1]!);
    const gap = this.o.maxGap;
    // chains: each an array of run triples; open: chains that can still be extended
    const chains: number[][] = [];
    for (const r of order) {
      let ra = R[3 * r]!, rb = R[3 * r + 1]!, len = R[3 * r + 2]!;
      let best = -1, bestCost = Infinity;
      for (let c = chains.length - 1; c >= 0; c--) {
        const ch = chains[c]!;
        const la = ch[ch.length - 3]!, lb = ch[ch.length - 2]!, ll = ch[ch.length - 1]!;
        const ea = la + ll, eb = lb + ll;
        // chains are ordered by end: once one ends too far back, all earlier ones do
        if (ea + gap < ra) break;
        // trim the overlap with the chain's end
        const over = Math.max(0, ea - ra, eb - rb);
        if (over >= len) { best = -2; break; }
        const ga = ra + over - ea, gb = rb + over - eb;
        if (ga < 0 || gb < 0 || ga > gap || gb > gap) continue;
        const cost = Math.max(ga, gb);
        if (cost < bestCost) { bestCost = cost; best = c; }
      }
      if (best === -2) continue;
      if (best >= 0) {
        const ch = chains[best]!;
        const la = ch[ch.length - 3]!, lb = ch[ch.length - 2]!, ll = ch[ch.length - 1]!;
        const over = Math.max(0, la + ll - ra, lb + ll - rb);
        ra += over; rb += over; len -= over;
        ch.push(ra, rb, len);
        // keep chains ordered by their end so the scan above can stop early
        chains.splice(best, 1);
        let p = chains.length;
        while (p > 0) { const q = chains[p - 1]!; if (q[q.length - 3]! + q[q.length - 1]! <= ra + len) break; p--; }
        chains.splice(p, 0, ch);
      } else {
        let p = chains.length;
        while (p > 0) { const q = chains[p - 1]!; if (q[q.length - 3]! + q[q.length - 1]! <= ra + len) break; p--; }
        chains.splice(p, 0, [ra, rb, len]);
      }
    }
    const out: Edge[] = [];
    const A = this.A.hashes, B = this.B.hashes;
    for (const ch of chains) {
      const aStart = ch[0]!, bStart = ch[1]!;
      const aEnd = ch[ch.length - 3]! + ch[ch.length - 1]!, bEnd = ch[ch.length - 2]! + ch[ch.length - 1]!;
      const lenA = aEnd - aStart, lenB = bEnd - bStart;
      if (lenA < this.o.minWords || lenB < this.o.minWords) continue;
      let matched = 0;
      for (let t = 0; t < ch.length; t += 3) {
        matched += ch[t + 2]!;
        if (t > 0) {
          const pa = ch[t - 3]! + ch[t - 1]!, pb = ch[t - 2]! + ch[t - 1]!;
          matched += lcs(A, pa, ch[t]!, B, pb, ch[t + 1]!);
        }
      }
      const similarity = matched / Math.max(lenA, lenB);
      if (similarity < this.o.passageSimilarity) continue;
      out.push({ a, aStart, aEnd, b, bStart, bEnd, similarity, runs: Int32Array.from(ch) });
    }
    return out;
  }
}

/**
 * Map a token position inside one side of an edge to the other side along its runs: exact inside a
 * run, interpolated in a gap between runs. `fromA` maps a -> b, else b -> a.
 */
export function mapAcross(e: Edge, p: number, fromA: boolean): number {
  return mapRuns(e.runs, 0, e.runs.length, p, fromA, fromA ? e.bStart : e.aStart, fromA ? e.bEnd : e.aEnd);
}

/**
 * mapAcross over an edge's runs at r[from, to) (an arena), where the target side spans
 * [lo, hi): what a position before the first run or after the last maps to.
 */
export function mapRuns(r: Int32Array, from: number, to: number, p: number, fromA: boolean, lo: number, hi: number): number {
  // s: offset of the source coordinate in a run triple, t: of the target coordinate
  const s = fromA ? 0 : 1, t = fromA ? 1 : 0;
  for (let i = from; i < to; i += 3) {
    const src = r[i + s]!, dst = r[i + t]!, len = r[i + 2]!;
    if (p < src) {
      if (i === from) return lo;
      const ps = r[i - 3 + s]! + r[i - 1]!, pd = r[i - 3 + t]! + r[i - 1]!;
      return pd + Math.round(((p - ps) * (dst - pd)) / Math.max(1, src - ps));
    }
    if (p <= src + len) return dst + (p - src);
  }
  return hi;
}

/** Map a position in edge.a's span to edge.b's span. */
export const mapAtoB = (e: Edge, p: number): number => mapAcross(e, p, true);
/** Map a position in edge.b's span to edge.a's span. */
export const mapBtoA = (e: Edge, p: number): number => mapAcross(e, p, false);
