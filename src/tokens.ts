/**
 * Kept tokens: the layout alignment reads of every document (token hashes and packed,
 * punctuation-extended offsets) and the store that numbers documents and holds their arrays.
 */
import { grown, type Spare } from './tables.js';

/**
 * Tokens of one text in a reusable arena: token i is text[starts[i], ends[i]) (JavaScript string
 * indices, also when the input was UTF-8 bytes) and hashes to hashes[i]. The arrays may be longer
 * than `count`; only the first `count` entries are valid.
 */
export interface Tokens {
  count: number;
  starts: Int32Array;
  ends: Int32Array;
  hashes: Uint32Array;
}

export function createTokens(capacity = 1024): Tokens {
  return { count: 0, starts: new Int32Array(capacity), ends: new Int32Array(capacity), hashes: new Uint32Array(capacity) };
}

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
export function carve(buf: ArrayBuffer | SharedArrayBuffer, at: number, n: number): DocTokens {
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
  private bufs: (ArrayBuffer | SharedArrayBuffer)[] = [];
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
  /**
   * `spare`: buffers to fill before new chunks (their contents are overwritten). Chunks grow to
   * 32 MB: where the C library is asked for huge pages, it backs nearly all of such a chunk with
   * them, where a 4 MB chunk got one or two.
   */
  constructor(private readonly chunk = 1 << 25, private readonly spare?: Spare) {
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
    if (!(buf instanceof ArrayBuffer || buf instanceof SharedArrayBuffer) || t.anchors.buffer !== buf || t.bytes.buffer !== buf || t.anchors.byteOffset !== anchorsAt(at, n) || t.bytes.byteOffset !== bytesAt(at, n)) {
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
    if (3 * d + 3 > this.where.length) this.where = grown(this.where, 3 * d + 3);
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
