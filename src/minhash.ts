import { ErrorCode, ReprintError } from './errors.js';
import { ROLL, fmix32, rollPower, salt, tokenBasis } from './hash.js';
import { kernelSketch, kernelTakes } from './kernel.js';
import type { ResolvedHasherOptions } from './options.js';
import { charShingles, wordShingles } from './shingle.js';
import { createTokens, tokenize, tokenizeBytes, type Tokens } from './tokenize.js';

/** A text as a JavaScript string or as UTF-8 bytes (faster: no decoding). */
export type TextInput = string | Uint8Array;

/** Marker of a bin no shingle fell into (sketches of empty or tiny sets). */
export const EMPTY = 0xffffffff;
/** Values (uint32) in each of the shared chunks that signatures are carved from. */
const SIG_CHUNK = 4096;
// chunk, used: the current chunk and how many of its values are handed out
let chunk = new Uint32Array(0);
let used = 0;

/**
 * A new signature-sized array of k values (zeros), carved from a shared 16 KB chunk: a backing
 * store of its own per signature (512 bytes at k = 128) costs V8 a malloc and, on fresh memory,
 * page faults, together over a microsecond a signature, as much as sketching a short document.
 */
export function newSignature(k: number): Uint32Array {
  if (k > SIG_CHUNK / 4) return new Uint32Array(k);
  if (used + k > chunk.length) { chunk = new Uint32Array(SIG_CHUNK); used = 0; }
  const out = chunk.subarray(used, used + k);
  used += k;
  return out;
}

/** Rounds of fast similarity sketching before densification takes over (values keep 8 bits for the round). */
const MAX_ROUNDS = 255;

/**
 * MinHash signatures.
 *
 * Default mode 'oph': one-permutation hashing (Li, Owen, Zhang 2012) extended by rounds, as in
 * fast similarity sketching (Dahlgaard, Knudsen, Thorup 2017). Each shingle hash is mixed once
 * (fmix32): the top 16 bits of the mix pick one of k bins, its low 24 bits are the value, and a bin
 * keeps its minimum. Bins still empty are filled by further rounds over the same shingles (see
 * `rounds`); a document with more shingles than k needs about one pass, a sparse one gets bins as
 * independent as classic MinHash's, so the estimate is unbiased with RMSE sqrt(J(1-J)/k) at every
 * set size. Sets too small to fill every bin in 255 rounds (a handful of shingles) fall back to
 * optimal densification (Shrivastava, ICML 2017): empty bin i copies the first non-empty bin on its
 * seeded probe sequence h(i, 1), h(i, 2), ...
 *
 * Mode 'classic': k permutations x -> a_p * x + b_p (mod 2^32, a_p odd) of the mixed shingle
 * hash, compared as signed int32; the reference estimator, k times the work.
 *
 * Sketches (bins before densification, EMPTY where nothing fell) merge by element-wise minimum
 * into the sketch of the union; `signature` is the densified sketch, and equals it whenever the set
 * filled every bin (anything beyond a few shingles).
 *
 * This class takes options already resolved, so that the worker threads that sketch never load
 * the options' schemas; `MinHasher` (hasher.ts) is the public class, which parses a caller's.
 */
export class SignatureHasher {
  readonly options: Readonly<ResolvedHasherOptions>;
  readonly numPerm: number;
  // s1: salt of the shingle mix; sd: salt of the densification probes
  private readonly s1: number;
  private readonly sd: number;
  // pa/pb: classic-mode permutation parameters
  private readonly pa: Int32Array;
  private readonly pb: Int32Array;
  private readonly tokens: Tokens = createTokens(4096);
  private shingles = new Uint32Array(4096);
  // densification's copy of the bins
  private readonly probe: Uint32Array;
  // FNV basis of token hashes under the seed
  private readonly basis: number;

  constructor(options: ResolvedHasherOptions) {
    this.options = Object.freeze({ ...options });
    const { numPerm, seed } = this.options;
    this.numPerm = numPerm;
    this.s1 = salt(seed, 1);
    this.sd = salt(seed, 3);
    this.pa = new Int32Array(numPerm);
    this.pb = new Int32Array(numPerm);
    this.probe = new Uint32Array(numPerm);
    this.basis = tokenBasis(seed);
    for (let p = 0; p < numPerm; p++) {
      this.pa[p] = salt(seed, 100 + 2 * p) | 1;
      this.pb[p] = salt(seed, 101 + 2 * p) | 0;
    }
  }

  /** Shingle hashes of a text under this hasher's options (text order, duplicates kept). */
  shingleHashes(text: TextInput): Uint32Array {
    if (this.options.shingle === 'char') return charShingles(asString(text), this.options.charNgram, this.options.seed, this.options.foldDigits);
    this.tokenize(text);
    this.shingles = this.shingles.length > this.tokens.count ? this.shingles : new Uint32Array(this.tokens.count * 2);
    return wordShingles(this.tokens, this.options.shingleSize, this.shingles);
  }

  /** Undensified sketch of a text (mergeable). In classic mode the sketch is the signature. */
  sketch(text: TextInput): Uint32Array {
    if (this.options.shingle === 'word' && this.options.mode === 'oph') {
      if (kernelTakes(text.length)) {
        const bins = newSignature(this.numPerm);
        if (kernelSketch(text, this.basis, this.options.seed, this.options.shingleSize, bins, this.options.foldDigits)) return bins;
      }
      this.tokenize(text);
      return this.sketchTokens(this.tokens.hashes, this.tokens.count);
    }
    return this.sketchShingles(this.shingleHashes(text));
  }

  /** MinHash signature of a text: numPerm uint32 values. */
  signature(text: TextInput): Uint32Array {
    return this.densifyInPlace(this.sketch(text));
  }

  private tokenize(text: TextInput): Tokens {
    if (typeof text === 'string') return tokenize(text, this.options.seed, this.tokens, this.options.foldDigits);
    if (text instanceof Uint8Array) return tokenizeBytes(text, this.options.seed, this.tokens, this.options.foldDigits);
    throw new ReprintError(ErrorCode.INVALID_INPUT, `text must be a string or UTF-8 bytes (Uint8Array), got ${text === null ? 'null' : typeof text}`);
  }

  /** Signature from token hashes (as from `tokenize`) without re-reading the text (word shingles). */
  signatureOfTokens(hashes: Uint32Array, count: number): Uint32Array {
    if (this.options.mode === 'oph') return this.densifyInPlace(this.sketchTokens(hashes, count));
    const sh = new Uint32Array(Math.max(1, count));
    const t: Tokens = { count, hashes, starts: new Int32Array(0), ends: new Int32Array(0) };
    return this.sketchShingles(wordShingles(t, this.options.shingleSize, sh));
  }

  /** Sketch of precomputed shingle hashes. */
  sketchShingles(shingles: Uint32Array): Uint32Array {
    const k = this.numPerm;
    if (shingles.length === 0) return newSignature(k).fill(EMPTY);
    if (this.options.mode === 'classic') return this.classic(shingles, newSignature(k));
    return this.rounds(shingles, shingles.length, newSignature(k).fill(EMPTY), 1);
  }

  /** Fused sketch over token hashes: rolling shingle hash and first-round bin update in one loop. */
  private sketchTokens(hashes: Uint32Array, n: number): Uint32Array {
    const k = this.numPerm;
    const bins = newSignature(k).fill(EMPTY);
    if (n === 0) return bins;
    const w = n < this.options.shingleSize ? n : this.options.shingleSize;
    const m = n - w + 1;
    if (this.shingles.length < m) this.shingles = new Uint32Array(m * 2);
    const sh = this.shingles;
    // pk: weight of the token leaving the window
    const pk = rollPower(w - 1) | 0;
    const s1 = this.s1 | 0;
    let h = 0;
    for (let i = 0; i < w - 1; i++) h = (Math.imul(h, ROLL) + (hashes[i]! | 0)) | 0;
    for (let i = w - 1; i < n; i++) {
      const out = i >= w ? Math.imul(hashes[i - w]! | 0, pk) : 0;
      h = (Math.imul((h - out) | 0, ROLL) + (hashes[i]! | 0)) | 0;
      sh[i - w + 1] = h;
      // x: fmix32 of the salted shingle hash; top 16 bits pick the bin, low 24 bits are the value
      let x = h ^ s1;
      x ^= x >>> 16; x = Math.imul(x, 0x85ebca6b); x ^= x >>> 13; x = Math.imul(x, 0xc2b2ae35); x ^= x >>> 16;
      const b = ((x >>> 16) * k) >>> 16;
      const v = x & 0xffffff;
      if (v < bins[b]!) bins[b] = v;
    }
    return this.rounds(sh, m, bins, 2);
  }

  /**
   * Rounds of "fast similarity sketching" (Dahlgaard, Knudsen, Thorup, FOCS 2017): round r hashes
   * every shingle again to a bin, with value (r - 1) * 2^24 + 24 random bits, so a bin's minimum is
   * taken over all rounds with earlier rounds first; stop once every bin is filled (later rounds
   * cannot change a filled bin). A set with n >= k shingles needs one or two rounds; a sparse set
   * takes about k ln k / n, so its bins are as independent as classic MinHash's. After 255 rounds
   * (sets of a handful of shingles) any bin still empty stays EMPTY for `densify`.
   */
  private rounds(shingles: Uint32Array, n: number, bins: Uint32Array, from: number): Uint32Array {
    const k = this.numPerm;
    let empty = 0;
    for (let b = 0; b < k; b++) if (bins[b] === EMPTY) empty++;
    for (let r = from; empty > 0 && r <= MAX_ROUNDS; r++) {
      // sr: salt of round r; base: the round's value offset
      const sr = r === 1 ? this.s1 | 0 : salt(this.options.seed, 10 + r) | 0;
      const base = (r - 1) * 0x1000000;
      for (let i = 0; i < n; i++) {
        let x = shingles[i]! ^ sr;
        x ^= x >>> 16; x = Math.imul(x, 0x85ebca6b); x ^= x >>> 13; x = Math.imul(x, 0xc2b2ae35); x ^= x >>> 16;
        const b = ((x >>> 16) * k) >>> 16;
        const v = base + (x & 0xffffff);
        const old = bins[b]!;
        if (v < old) { bins[b] = v; if (old === EMPTY) empty--; }
      }
    }
    return bins;
  }

  private classic(shingles: Uint32Array, out: Uint32Array): Uint32Array {
    const k = this.numPerm, n = shingles.length;
    const xs = new Int32Array(n);
    for (let i = 0; i < n; i++) xs[i] = fmix32((shingles[i]! ^ this.s1) >>> 0) | 0;
    const pa = this.pa, pb = this.pb;
    let p = 0;
    // four permutations per pass over the shingles
    for (; p + 4 <= k; p += 4) {
      const a0 = pa[p]!, a1 = pa[p + 1]!, a2 = pa[p + 2]!, a3 = pa[p + 3]!;
      const b0 = pb[p]!, b1 = pb[p + 1]!, b2 = pb[p + 2]!, b3 = pb[p + 3]!;
      let m0 = 0x7fffffff, m1 = 0x7fffffff, m2 = 0x7fffffff, m3 = 0x7fffffff;
      for (let i = 0; i < n; i++) {
        const x = xs[i]!;
        const v0 = (Math.imul(a0, x) + b0) | 0; if (v0 < m0) m0 = v0;
        const v1 = (Math.imul(a1, x) + b1) | 0; if (v1 < m1) m1 = v1;
        const v2 = (Math.imul(a2, x) + b2) | 0; if (v2 < m2) m2 = v2;
        const v3 = (Math.imul(a3, x) + b3) | 0; if (v3 < m3) m3 = v3;
      }
      out[p] = m0; out[p + 1] = m1; out[p + 2] = m2; out[p + 3] = m3;
    }
    for (; p < k; p++) {
      const a = pa[p]!, b = pb[p]!;
      let m = 0x7fffffff;
      for (let i = 0; i < n; i++) { const v = (Math.imul(a, xs[i]!) + b) | 0; if (v < m) m = v; }
      out[p] = m;
    }
    return out;
  }

  /** Optimal densification: fill each empty bin from the first non-empty bin on its seeded probe sequence. */
  densify(sketch: Uint32Array): Uint32Array {
    this.check(sketch, 'sketch');
    return this.densifyInPlace(sketch.slice());
  }

  /** Densify a sketch this hasher just made, in place (no copy). */
  densifyInPlace(bins: Uint32Array): Uint32Array {
    const k = this.numPerm;
    if (this.options.mode === 'classic') return bins;
    let filled = 0;
    for (let i = 0; i < k; i++) if (bins[i] !== EMPTY) filled++;
    if (filled === 0 || filled === k) return bins;
    // probes read the bins as they were: copy only when some bin is empty
    const sketch = this.probe;
    sketch.set(bins);
    const sd = this.sd;
    for (let i = 0; i < k; i++) {
      if (sketch[i] !== EMPTY) continue;
      for (let attempt = 1; ; attempt++) {
        // j: probe number `attempt` of bin i
        const j = ((fmix32((sd ^ Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(attempt, 0x85ebca77)) >>> 0) >>> 16) * k) >>> 16;
        const v = sketch[j]!;
        if (v !== EMPTY) { bins[i] = v; break; }
      }
    }
    return bins;
  }

  /** Sketch of the union of the sets behind the given sketches (element-wise minimum). */
  merge(...sketches: Uint32Array[]): Uint32Array {
    const out = newSignature(this.numPerm).fill(EMPTY);
    // classic values are minima as signed int32; OPH values as uint32, EMPTY the largest
    const signed = this.options.mode === 'classic';
    for (const s of sketches) {
      this.check(s, 'sketch');
      if (isEmpty(s)) continue;
      for (let i = 0; i < out.length; i++) {
        const v = s[i]!, o = out[i]!;
        if (o === EMPTY || (signed ? (v | 0) < (o | 0) : v < o)) out[i] = v;
      }
    }
    return out;
  }

  /** Estimated Jaccard similarity: the fraction of equal positions (0 if either set is empty). */
  similarity(a: Uint32Array, b: Uint32Array): number {
    this.check(a, 'first signature');
    this.check(b, 'second signature');
    let eq = 0;
    for (let i = 0; i < a.length; i++) if (a[i] === b[i]) eq++;
    if (eq === a.length && a[0] === EMPTY && isEmpty(a)) return 0;
    return eq / a.length;
  }

  /** Signature or sketch to bytes: a 16-byte header (magic, version, mode, shingle kind and size, numPerm, seed) then uint32 LE values. */
  toBytes(sig: Uint32Array): Uint8Array {
    this.check(sig, 'signature');
    const o = this.options;
    const out = new Uint8Array(16 + 4 * sig.length);
    const dv = new DataView(out.buffer);
    out.set([0x52, 0x50, 0x53, 0x47], 0); // "RPSG"
    dv.setUint8(4, 1);
    dv.setUint8(5, o.mode === 'oph' ? 0 : 1);
    dv.setUint8(6, o.shingle === 'word' ? 0 : 1);
    dv.setUint8(7, o.shingle === 'word' ? o.shingleSize : o.charNgram);
    dv.setUint32(8, sig.length, true);
    dv.setUint32(12, o.seed, true);
    for (let i = 0; i < sig.length; i++) dv.setUint32(16 + 4 * i, sig[i]!, true);
    return out;
  }

  /** Bytes from `toBytes` back to a signature; throws if they were made with other options. */
  fromBytes(bytes: Uint8Array): Uint32Array {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.length < 16 || bytes[0] !== 0x52 || bytes[1] !== 0x50 || bytes[2] !== 0x53 || bytes[3] !== 0x47) {
      throw new ReprintError(ErrorCode.BAD_BYTES, `signature bytes must start with "RPSG", got ${bytes.length} bytes starting ${Array.from(bytes.subarray(0, 4)).join(',')}`);
    }
    const version = dv.getUint8(4);
    if (version !== 1) throw new ReprintError(ErrorCode.BAD_BYTES, `signature bytes version must be 1, got ${version}`);
    const o = this.options;
    const k = dv.getUint32(8, true), seed = dv.getUint32(12, true);
    const mode = dv.getUint8(5) === 0 ? 'oph' : 'classic';
    const size = dv.getUint8(7), kind = dv.getUint8(6) === 0 ? 'word' : 'char';
    const mine = o.shingle === 'word' ? o.shingleSize : o.charNgram;
    if (k !== this.numPerm || seed !== o.seed || mode !== o.mode || kind !== o.shingle || size !== mine) {
      throw new ReprintError(ErrorCode.SIGNATURE_MISMATCH,
        `signature bytes were made with numPerm ${k}, seed ${seed}, mode ${mode}, ${kind} shingles of ${size}; this hasher uses numPerm ${this.numPerm}, seed ${o.seed}, mode ${o.mode}, ${o.shingle} shingles of ${mine}`);
    }
    if (bytes.length !== 16 + 4 * k) throw new ReprintError(ErrorCode.BAD_BYTES, `signature bytes must be ${16 + 4 * k} long for numPerm ${k}, got ${bytes.length}`);
    const out = new Uint32Array(k);
    for (let i = 0; i < k; i++) out[i] = dv.getUint32(16 + 4 * i, true);
    return out;
  }

  private check(sig: Uint32Array, what: string): void {
    if (!(sig instanceof Uint32Array) || sig.length !== this.numPerm) {
      throw new ReprintError(ErrorCode.SIGNATURE_MISMATCH, `${what} must be a Uint32Array of numPerm ${this.numPerm} values, got ${sig instanceof Uint32Array ? `length ${sig.length}` : typeof sig}`);
    }
  }
}

/** True when no shingle fell into any bin (the signature of an empty set). */
export function isEmpty(sig: Uint32Array): boolean {
  for (let i = 0; i < sig.length; i++) if (sig[i] !== EMPTY) return false;
  return true;
}

const decoder = new TextDecoder();
function asString(text: TextInput): string {
  return typeof text === 'string' ? text : decoder.decode(text);
}
