/**
 * The cross-document fingerprint index: fingerprint -> the earliest documents' postings, capped
 * per fingerprint so that boilerplate stays linear.
 */
import { ErrorCode, ReprintError } from './errors.js';
import { growPairs, grown, type Spare } from './tables.js';

/** Postings a document's fingerprints met in the index: flat (earlier doc, position here, position there). */
export interface Hits { list: Int32Array; count: number }

export function createHits(): Hits {
  // small, so that growing is exercised by the first documents (see HitGroups)
  return { list: new Int32Array(3 * 16), count: 0 };
}

/**
 * log2 of the postings per chunk of the fingerprint index's list arena: 1,024 (8 KB), so that a
 * second chunk is taken within the first 100 or so documents, while `addDocument` still runs in
 * the interpreter (a path first taken after the compiler's version sends it back).
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
 * itself: most fingerprints never occur again, and they then cost
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
   * dedupes). The postings each key already had are appended to `hits` as (doc there, pos[t],
   * position there), newest first.
   */
  addDocument(doc: number, tokens: number, keys: Uint32Array, pos: Int32Array, n: number, hits: Hits): void {
    if (doc !== this.docs) throw new Error(`fingerprint index: document ${doc} added after ${this.docs - 1}`);
    this.checkRoom(tokens);
    this.number(tokens);
    this.room(this.used + n);
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
      if (v >= 0) {
        // one posting, in the slot
        const d = this.docAt(v);
        pushHit(hits, d, pos[x]!, v - this.base[d]!);
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
      // a list (at most cap long): its postings, and its length
      const h = -v - 2;
      let count = 0;
      for (let q = h; q >= 0; count++) {
        // cq, oq: chunk and offset of posting q
        const cq = chunks[q >>> CHUNK_BITS]!, oq = 2 * (q & IN_CHUNK);
        const u = cq[oq]!, d = this.docAt(u);
        pushHit(hits, d, pos[x]!, u - this.base[d]!);
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
    if (d + 2 > this.base.length) this.base = grown(this.base, d + 2);
    const b0 = this.base[d]!, b1 = b0 + tokens;
    this.base[d + 1] = b1;
    // blocks whose first token is in [b0, b1)
    const first = (b0 + (1 << BLOCK_BITS) - 1) >>> BLOCK_BITS, end = (b1 + (1 << BLOCK_BITS) - 1) >>> BLOCK_BITS;
    if (end > this.dir.length) this.dir = grown(this.dir, end);
    this.dir.fill(d, first, end);
  }

  /** Grow the table now to hold `factor` times the fingerprints it holds (see `Corpus.reserve`). */
  reserve(factor: number): void {
    this.room(Math.ceil(this.used * factor));
  }

  /** Room for `keys` fingerprints at load factor 3/4, the table grown in one step if it has not. */
  private room(keys: number): void {
    if (keys * 4 <= (this.mask + 1) * 3) return;
    this.table = growPairs(this.table, this.spare, keys);
    this.mask = (this.table.length >> 1) - 1;
  }
}

function pushHit(h: Hits, doc: number, i: number, j: number): void {
  if (3 * (h.count + 1) > h.list.length) h.list = grown(h.list, 3 * (h.count + 1));
  const c = 3 * h.count++;
  h.list[c] = doc; h.list[c + 1] = i; h.list[c + 2] = j;
}

