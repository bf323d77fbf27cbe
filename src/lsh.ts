import { DEFAULT_FN_WEIGHT, DEFAULT_FP_WEIGHT } from './defaults.js';
import { ErrorCode, ReprintError } from './errors.js';
import { FNV_PRIME, fmix32, salt } from './hash.js';
import { growPairs, grown, type Spare } from './tables.js';
import { isEmpty } from './minhash.js';
import { lshOptionsSchema, parseOptions, type LshOptions, type ResolvedLshOptions } from './options.js';
import { jaccard } from './shingle.js';

/** Probability that a pair of Jaccard s shares at least one band of r rows among b bands. */
export function candidateProbability(s: number, bands: number, rows: number): number {
  return 1 - Math.pow(1 - Math.pow(s, rows), bands);
}

function integrate(f: (x: number) => number, a: number, b: number, n = 256): number {
  // composite Simpson's rule, n even
  const h = (b - a) / n;
  let sum = f(a) + f(b);
  for (let i = 1; i < n; i++) sum += (i & 1 ? 4 : 2) * f(a + i * h);
  return (sum * h) / 3;
}

/**
 * Bands and rows for a Jaccard threshold: minimize w_fp * FP + w_fn * FN over all b * r <= numPerm,
 * where FP is the area under P(candidate | s) on [0, t] and FN the area above it on [t, 1]
 * (datasketch's _optimal_param, re-derived with Simpson's rule instead of quad).
 */
export function optimalParams(threshold: number, numPerm: number, weights: readonly [number, number] = [DEFAULT_FP_WEIGHT, DEFAULT_FN_WEIGHT]): { bands: number; rows: number } {
  let best = { bands: 1, rows: numPerm }, bestErr = Infinity;
  for (let b = 1; b <= numPerm; b++) {
    for (let r = 1; b * r <= numPerm; r++) {
      const fp = integrate((s) => candidateProbability(s, b, r), 0, threshold);
      const fn = integrate((s) => 1 - candidateProbability(s, b, r), threshold, 1);
      const err = weights[0] * fp + weights[1] * fn;
      if (err < bestErr - 1e-12) { bestErr = err; best = { bands: b, rows: r }; }
    }
  }
  return best;
}

/**
 * Recall-first bands and rows: the largest r (fewest false candidates) such that, with
 * b = floor(numPerm / r) bands, a pair at the threshold becomes a candidate with probability at
 * least `recall`. For verified search (every candidate is checked), where a missed pair is lost
 * but a false candidate only costs one comparison.
 */
export function recallParams(threshold: number, numPerm: number, recall = 0.995): { bands: number; rows: number } {
  for (let r = numPerm; r >= 1; r--) {
    const b = Math.floor(numPerm / r);
    if (candidateProbability(threshold, b, r) >= recall) return { bands: b, rows: r };
  }
  return { bands: numPerm, rows: 1 };
}

/** Band keys of a signature: band i hashes rows i*r .. i*r+r-1 into one uint32 (FNV-1a over values, fmix32, band salt). */
export function bandKeys(sig: Uint32Array, bands: number, rows: number, seed = 0, out: Uint32Array = new Uint32Array(bands)): Uint32Array {
  for (let b = 0; b < bands; b++) {
    // h: running hash of band b
    let h = salt(seed, 1000 + b);
    for (let r = b * rows, end = r + rows; r < end; r++) h = Math.imul(h ^ sig[r]!, FNV_PRIME);
    out[b] = fmix32(h >>> 0);
  }
  return out;
}

/** The bucket of band b's key: one uint32 for (band, key), so one table holds every band's buckets. */
export function bucketOf(key: number, band: number): number {
  return fmix32((key ^ Math.imul(band + 1, 0x9e3779b1)) >>> 0);
}

/** The buckets a signature falls in, one per band (what `LshIndex` files a document under). */
export function bucketsOf(sig: Uint32Array, bands: number, rows: number, out: Uint32Array = new Uint32Array(bands)): Uint32Array {
  bandKeys(sig, bands, rows, 0, out);
  for (let b = 0; b < bands; b++) out[b] = bucketOf(out[b]!, b);
  return out;
}

export interface Match { id: string; similarity: number }

/** Signatures per chunk of an index's signature store. */
const SIG_CHUNK = 256;

/**
 * MinHash LSH index. Band keys are uint32; buckets live in one open-addressing table (Uint32Array
 * keys, Int32Array list heads) over a shared arena of (doc, next) entries, so no strings or
 * per-entry objects. Candidates can be verified by estimate or, where shingle sets were given to
 * `add` and `similar`, by exact Jaccard.
 */
export class LshIndex {
  readonly options: Readonly<ResolvedLshOptions>;
  readonly bands: number;
  readonly rows: number;
  // ids: undefined for documents removed or added by index
  private ids: (string | undefined)[] = [];
  private byId = new Map<string, number>();
  // stored signatures, SIG_CHUNK per chunk (growing copies nothing); sigAt[d] is document d's
  // place there, -1 for one added by index without keeping its signature
  private sigs: Uint32Array[] = [];
  private nSigs = 0;
  private sigAt = new Int32Array(64);
  // band keys of documents added by id (what `remove` unlinks); none for those added by index
  private keys: Uint32Array;
  private sets: (Uint32Array | undefined)[] = [];
  // table: open addressing from band key to the head entry of its bucket list
  // table: slot i holds band key at [2i] and list head at [2i+1] (one cache line for both)
  private table: Int32Array<ArrayBuffer>;
  private tUsed = 0;
  // arena: entry e is (doc, next entry or -1) at [2 * (e & 0xffff)] of chunk e >>> 16, so growing
  // copies nothing
  private entries: Int32Array[] = [];
  private eCount = 0;
  private free = -1;
  private stamp: Int32Array = new Int32Array(16);
  // shared[d]: bands a query shares with document d (valid where stamp[d] is the query's epoch)
  private shared: Int32Array = new Int32Array(16);
  private epoch = 0;
  private live = 0;
  private readonly scratch: Uint32Array;
  // band keys of a document added by index
  private readonly bandScratch: Uint32Array;
  // what a first pass read (kept so it is not optimized away)
  private touched = 0;

  // options resolved by an internal caller that parsed its own at its boundary (`LshIndex.of`)
  private static resolved: ResolvedLshOptions | undefined;

  /** An index for options already resolved (not parsed again); `spare` takes the tables it outgrows. */
  static of(options: ResolvedLshOptions, spare?: Spare): LshIndex {
    LshIndex.resolved = options;
    try { return new LshIndex({}, spare); } finally { LshIndex.resolved = undefined; }
  }

  /** `spare` (a Corpus's) takes the bucket tables the index outgrows. */
  constructor(options: LshOptions = {}, private readonly spare?: Spare) {
    const o = LshIndex.resolved ?? parseOptions(lshOptionsSchema, options, 'LshIndex options');
    if ((o.bands === undefined) !== (o.rows === undefined)) {
      const [name, other] = o.bands === undefined ? ['bands', 'rows'] : ['rows', 'bands'];
      throw new ReprintError(ErrorCode.INVALID_OPTION, `${name} must be given together with ${other}, got ${name} undefined`);
    }
    if (o.bands !== undefined && o.rows !== undefined && o.bands * o.rows > o.numPerm) {
      throw new ReprintError(ErrorCode.INVALID_OPTION, `bands * rows must be at most numPerm ${o.numPerm}, got ${o.bands} * ${o.rows} = ${o.bands * o.rows}`);
    }
    this.options = Object.freeze(o);
    const p = o.bands !== undefined && o.rows !== undefined ? { bands: o.bands, rows: o.rows } : optimalParams(o.threshold, o.numPerm, o.weights);
    this.bands = p.bands;
    this.rows = p.rows;
    this.keys = new Uint32Array(this.bands * 64);
    this.table = new Int32Array(2048).fill(-1);
    this.scratch = new Uint32Array(this.bands);
    this.bandScratch = new Uint32Array(this.bands);
  }

  get size(): number { return this.live; }

  /** Bytes the index holds: bucket table and entries, stored signatures and band keys, per-document marks. */
  get bytes(): number {
    return this.table.byteLength + this.entries.length * (2 << 16) * 4 + this.sigs.length * SIG_CHUNK * this.options.numPerm * 4 +
      this.keys.byteLength + this.sigAt.byteLength + this.stamp.byteLength + this.shared.byteLength + this.scratch.byteLength + this.bandScratch.byteLength;
  }

  has(id: string): boolean { return this.byId.has(id); }

  /** Add a document's signature (and, for exact verification, its sorted shingle set). */
  add(id: string, sig: Uint32Array, shingleSet?: Uint32Array): void {
    this.checkSig(sig);
    if (this.byId.has(id)) throw new ReprintError(ErrorCode.DUPLICATE_ID, `id must be unique in the index, got ${JSON.stringify(id)} twice`);
    const d = this.store(id, sig, shingleSet, true);
    if (isEmpty(sig)) return;
    const keys = bandKeys(sig, this.bands, this.rows, 0, this.keys.subarray(d * this.bands, (d + 1) * this.bands));
    this.reserve(this.bands);
    for (let b = 0; b < this.bands; b++) this.push(this.slotFor(this.tableKey(keys[b]!, b)), d);
  }

  /** Record a document's id (none for `addAndQueryIndex`), shingle set and (if `keep`) signature; returns its number. */
  private store(id: string | undefined, sig: Uint32Array, shingleSet: Uint32Array | undefined, keep: boolean): number {
    const d = this.ids.length;
    this.ids.push(id);
    this.sets.push(shingleSet);
    this.live++;
    if (d === this.sigAt.length) this.sigAt = grown(this.sigAt, d + 1);
    this.sigAt[d] = -1;
    if (keep) {
      const k = this.options.numPerm, at = this.nSigs++;
      if (at % SIG_CHUNK === 0) this.sigs.push(new Uint32Array(k * SIG_CHUNK));
      this.sigs[at / SIG_CHUNK | 0]!.set(sig, (at % SIG_CHUNK) * k);
      this.sigAt[d] = at;
    }
    if (id !== undefined) {
      this.byId.set(id, d);
      if ((d + 1) * this.bands > this.keys.length) this.keys = grown(this.keys, (d + 1) * this.bands);
      this.keys.fill(0, d * this.bands, (d + 1) * this.bands);
    }
    return d;
  }

  /**
   * Candidates for a signature (as `query`), then add it under `id`: one probe of the bucket table
   * per band serves both, where `query` then `add` would miss the cache twice.
   */
  addAndQuery(id: string, sig: Uint32Array, shingleSet?: Uint32Array): string[] {
    this.checkSig(sig);
    if (this.byId.has(id)) throw new ReprintError(ErrorCode.DUPLICATE_ID, `id must be unique in the index, got ${JSON.stringify(id)} twice`);
    return this.addQuery(id, sig, shingleSet, true).map((x) => this.ids[x]!);
  }

  /**
   * `addAndQuery` for a caller that numbers its documents itself (a Corpus): the signature is
   * stored without an id under the next index (0, 1, 2, ... in insertion order, shared with
   * documents added by id) and the candidates come back as indices, ascending. A caller that
   * verifies candidates itself (exact Jaccard) passes `keep: false`: the signature is not stored
   * (512 bytes a document at 128 permutations), and `similarityAt` gives NaN for it.
   *
   * `limit` bounds the candidates: the `limit` that share the most bands with the signature, the
   * newest first among equals, from the newest 2 * `limit` documents of each band's bucket. So the
   * work per document stays bounded when thousands of documents share buckets (copies of one
   * page), where every candidate is otherwise returned.
   */
  addAndQueryIndex(sig: Uint32Array, keep = true, limit = Infinity): number[] {
    this.checkSig(sig);
    return this.addQuery(undefined, sig, undefined, keep, limit);
  }

  /** Estimated Jaccard of a signature with the one stored at index d (NaN if it was not kept). */
  similarityAt(sig: Uint32Array, d: number): number {
    const k = this.options.numPerm, at = this.sigAt[d]!;
    return at < 0 ? NaN : estimate(sig, this.sigs[at / SIG_CHUNK | 0]!, (at % SIG_CHUNK) * k, k);
  }

  private addQuery(id: string | undefined, sig: Uint32Array, shingleSet: Uint32Array | undefined, keep: boolean, limit = Infinity): number[] {
    const d = this.store(id, sig, shingleSet, keep);
    if (isEmpty(sig)) return [];
    if (this.stamp.length <= d) this.growStamps((d + 1) * 2);
    const ep = ++this.epoch;
    this.stamp[d] = ep;
    // a document added by index is never removed: its band keys are not kept
    const keys = bandKeys(sig, this.bands, this.rows, 0, id === undefined ? this.bandScratch : this.keys.subarray(d * this.bands, (d + 1) * this.bands));
    this.reserve(this.bands);
    // first pass: read every band's home slot, so the cache misses overlap
    const t = this.table, mask = (t.length >> 1) - 1, tk = this.scratch;
    let sum = 0;
    for (let b = 0; b < this.bands; b++) { const k = this.tableKey(keys[b]!, b); tk[b] = k; sum += t[2 * (k & mask)]!; }
    this.touched = sum;
    const out: number[] = [];
    // entries read per bucket, newest first
    const walk = 2 * limit;
    for (let b = 0; b < this.bands; b++) {
      const slot = this.slotFor(tk[b]!);
      this.collect(slot, ep, out, walk);
      this.push(slot, d);
    }
    if (out.length > limit) {
      // the candidates sharing the most bands, the newest first among equals
      const sh = this.shared;
      out.sort((x, y) => sh[y]! - sh[x]! || y - x);
      out.length = limit;
    }
    return out.length > 1 ? out.sort((x, y) => x - y) : out;
  }

  private growStamps(n: number): void {
    this.stamp = grown(this.stamp, n);
    this.shared = grown(this.shared, n, 0);
  }

  /** Remove a document; its id may be added again. */
  remove(id: string): void {
    const d = this.byId.get(id);
    if (d === undefined) throw new ReprintError(ErrorCode.UNKNOWN_ID, `id must be in the index to remove it, got ${JSON.stringify(id)}`);
    this.byId.delete(id);
    this.ids[d] = undefined;
    this.sets[d] = undefined;
    this.live--;
    const sig = this.stored(d);
    if (isEmpty(sig)) return;
    for (let b = 0; b < this.bands; b++) this.unlink(this.tableKey(this.keys[d * this.bands + b]!, b), d);
  }

  /** Ids of documents sharing at least one band with the signature (unverified candidates). */
  query(sig: Uint32Array): string[] {
    return this.candidates(sig).map((d) => this.ids[d]!);
  }

  /**
   * Candidates verified against the threshold: exact Jaccard when both shingle sets are known,
   * else the signature estimate. Sorted by similarity, highest first.
   */
  similar(sig: Uint32Array, shingleSet?: Uint32Array, threshold = this.options.threshold): Match[] {
    const out: Match[] = [];
    for (const d of this.candidates(sig)) {
      const other = this.sets[d];
      const s = shingleSet && other ? jaccard(shingleSet, other) : this.similarityAt(sig, d);
      if (s >= threshold) out.push({ id: this.ids[d]!, similarity: s });
    }
    return out.sort((a, b) => b.similarity - a.similarity || (a.id < b.id ? -1 : 1));
  }

  /** The stored signature of an id. */
  signatureOf(id: string): Uint32Array | undefined {
    const d = this.byId.get(id);
    return d === undefined ? undefined : this.stored(d).slice();
  }

  /** View of the signature stored for index d (a document added by id always keeps it). */
  private stored(d: number): Uint32Array {
    const k = this.options.numPerm, at = this.sigAt[d]!, o = (at % SIG_CHUNK) * k;
    return this.sigs[at / SIG_CHUNK | 0]!.subarray(o, o + k);
  }

  private candidates(sig: Uint32Array): number[] {
    this.checkSig(sig);
    if (isEmpty(sig)) return [];
    if (this.stamp.length < this.ids.length) this.growStamps(this.ids.length * 2);
    const ep = ++this.epoch;
    const keys = bandKeys(sig, this.bands, this.rows, 0, this.scratch);
    const out: number[] = [];
    for (let b = 0; b < this.bands; b++) {
      const slot = this.find(this.tableKey(keys[b]!, b));
      if (slot >= 0) this.collect(slot, ep, out);
    }
    return out.sort((a, b) => a - b);
  }

  /**
   * Append the documents in a slot's bucket (the newest `walk` of them) that are not stamped with
   * `ep` yet, stamping them, and count the bands each shares in `shared`.
   */
  private collect(slot: number, ep: number, out: number[], walk = Infinity): void {
    const v = this.table[2 * slot + 1]!, stamp = this.stamp, shared = this.shared;
    if (v <= -3) {
      const d = -3 - v;
      if (stamp[d] !== ep) { stamp[d] = ep; shared[d] = 1; out.push(d); } else shared[d]!++;
      return;
    }
    let n = 0;
    for (let e = v; e >= 0 && n < walk; n++) {
      // c, o: chunk and offset of entry e
      const c = this.entries[e >>> 16]!, o = 2 * (e & 0xffff);
      const d = c[o]!;
      e = c[o + 1]!;
      if (stamp[d] !== ep) { stamp[d] = ep; shared[d] = 1; out.push(d); } else shared[d]!++;
    }
  }

  private tableKey(key: number, band: number): number {
    return bucketOf(key, band);
  }

  // slot states (the head): -1 never used, -2 used and empty, <= -3 one document (-3 - head)
  // held in the slot, >= 0 head entry of a list of two or more
  private find(key: number): number {
    const t = this.table, mask = (t.length >> 1) - 1, k = key | 0;
    for (let i = key & mask; ; i = (i + 1) & mask) {
      if (t[2 * i + 1] === -1) return -1;
      if (t[2 * i] === k) return i;
    }
  }

  /** Grow the key table now to hold `factor` times the keys it holds (see `Corpus.reserve`). */
  grow(factor: number): void {
    this.reserve(Math.max(0, Math.ceil(this.tUsed * (factor - 1))));
  }

  /** Room for n more keys at load factor 3/4 (as the fingerprint index: fresh memory costs more than probes). */
  private reserve(n: number): void {
    if ((this.tUsed + n) * 4 > (this.table.length >> 1) * 3) this.table = growPairs(this.table, this.spare, this.tUsed + n);
  }

  /** The slot of a key, claimed if it is new (the caller reserved room for it). */
  private slotFor(key: number): number {
    const t = this.table, mask = (t.length >> 1) - 1, k = key | 0;
    let i = key & mask;
    while (t[2 * i + 1] !== -1 && t[2 * i] !== k) i = (i + 1) & mask;
    if (t[2 * i + 1] === -1) { t[2 * i] = k; t[2 * i + 1] = -2; this.tUsed++; }
    return i;
  }

  /**
   * Put document d in a slot's bucket: held in the slot when it is the only one (most buckets
   * never get a second document), else at the head of its list.
   */
  private push(slot: number, d: number): void {
    let head = this.table[2 * slot + 1]!;
    if (head === -1 || head === -2) { this.table[2 * slot + 1] = -3 - d; return; }
    // a second document: the first one moves into the list
    if (head <= -3) head = this.entry(-3 - head, -1);
    this.table[2 * slot + 1] = this.entry(d, head);
  }

  /** A new entry (doc, next). */
  private entry(d: number, next: number): number {
    const e = this.alloc();
    const c = this.entries[e >>> 16]!, o = 2 * (e & 0xffff);
    c[o] = d;
    c[o + 1] = next;
    return e;
  }

  private unlink(key: number, d: number): void {
    const slot = this.find(key);
    if (slot < 0) return;
    const v = this.table[2 * slot + 1]!;
    if (v <= -3) { if (-3 - v === d) this.table[2 * slot + 1] = -2; return; }
    let prev = -1;
    for (let e = v; e >= 0; prev = e, e = this.nextOf(e)) {
      if (this.docOf(e) !== d) continue;
      const next = this.nextOf(e);
      if (prev < 0) this.table[2 * slot + 1] = next >= 0 ? next : -2; else this.setNext(prev, next);
      this.setNext(e, this.free); this.free = e;
      return;
    }
  }

  private alloc(): number {
    if (this.free >= 0) { const e = this.free; this.free = this.nextOf(e); return e; }
    if (this.eCount === this.entries.length << 16) this.entries.push(new Int32Array(2 << 16));
    return this.eCount++;
  }

  private docOf(e: number): number { return this.entries[e >>> 16]![2 * (e & 0xffff)]!; }
  private nextOf(e: number): number { return this.entries[e >>> 16]![2 * (e & 0xffff) + 1]!; }
  private setNext(e: number, next: number): void { this.entries[e >>> 16]![2 * (e & 0xffff) + 1] = next; }

  private checkSig(sig: Uint32Array): void {
    if (!(sig instanceof Uint32Array) || sig.length !== this.options.numPerm) {
      throw new ReprintError(ErrorCode.SIGNATURE_MISMATCH, `signature must be a Uint32Array of numPerm ${this.options.numPerm} values, got ${sig instanceof Uint32Array ? `length ${sig.length}` : typeof sig}`);
    }
  }
}

/** Estimated Jaccard of signature a with the k values of arena from off: the fraction of equal slots. */
export function estimate(a: Uint32Array, arena: Uint32Array, off: number, k: number): number {
  let eq = 0;
  for (let i = 0; i < k; i++) if (a[i] === arena[off + i]) eq++;
  return eq / k;
}
