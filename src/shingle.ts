import { DEFAULT_FOLD_DIGITS } from './defaults.js';
import { fmix32, rollingHashes, salt } from './hash.js';
import { normalize } from './normalize.js';
import { createTokens, tokenize, type Tokens } from './tokenize.js';
import { grown } from './tables.js';

/**
 * Word k-shingle hashes of tokenized text: one rolling hash per window of k tokens (a text with
 * fewer than k tokens, but at least one, is a single shingle of all of them). Returns a view of
 * `out` (grown if needed) holding the hashes in text order, duplicates included.
 */
export function wordShingles(tokens: Tokens, k: number, out?: Uint32Array): Uint32Array {
  const n = tokens.count;
  const need = n === 0 ? 0 : Math.max(1, n - k + 1);
  const buf = out && out.length >= need ? out : new Uint32Array(Math.max(need, 16));
  const m = rollingHashes(tokens.hashes, n, k, buf);
  return buf.subarray(0, m);
}

/** Character n-gram shingle hashes over the folded text (tokens joined by single spaces). */
export function charShingles(text: string, n: number, seed: number, foldDigits = DEFAULT_FOLD_DIGITS): Uint32Array {
  const folded = normalize(text, foldDigits).text;
  const codes = new Uint32Array(folded.length);
  // s: salt so that char hashes depend on the seed
  const s = salt(seed, 7);
  for (let i = 0; i < folded.length; i++) codes[i] = fmix32((folded.charCodeAt(i) ^ s) >>> 0);
  const out = new Uint32Array(Math.max(1, folded.length - n + 1));
  return out.subarray(0, rollingHashes(codes, folded.length, n, out));
}

/** Sorted, de-duplicated copy of shingle hashes: the exact shingle set. */
export function shingleSet(hashes: Uint32Array): Uint32Array {
  const s = hashes.slice().sort();
  let m = 0;
  for (let i = 0; i < s.length; i++) if (i === 0 || s[i] !== s[m - 1]) s[m++] = s[i]!;
  return s.slice(0, m);
}

/** The exact shingle set of a text (word shingles). */
export function textShingleSet(text: string, k: number, seed: number, foldDigits = DEFAULT_FOLD_DIGITS): Uint32Array {
  return shingleSet(wordShingles(tokenize(text, seed, createTokens(), foldDigits), k));
}

/** Exact Jaccard similarity of two sorted, de-duplicated arrays (0 when both are empty). */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  let i = 0, j = 0, inter = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!, y = b[j]!;
    if (x === y) { inter++; i++; j++; } else if (x < y) i++; else j++;
  }
  const union = a.length + b.length - inter;
  return union === 0 ? 0 : inter / union;
}

/**
 * Exact Jaccard similarity of shingle multisets (duplicates allowed, compared as sets) without
 * sorting: `load` puts A's distinct hashes in an open-addressing table, `against` probes B's and
 * adds B's own distinct ones, so a pair costs one hash probe per shingle. Stamps tell A's
 * entries, this B's entries and stale ones apart, so the table is never cleared. Equal to
 * `jaccard(shingleSet(a), shingleSet(b))`.
 */
export class JaccardTable {
  private keys = new Uint32Array(1024);
  // aStamp: epoch of the A that put the key there; bStamp: epoch of the B that saw or put it
  private aStamp = new Int32Array(1024);
  private bStamp = new Int32Array(1024);
  private aEpoch = 0;
  private bEpoch = 0;
  private aSize = 0;
  // A's hashes, to load again when the table grows
  private a = new Uint32Array(256);
  private aLen = 0;

  /** Make A the set that `against` compares with (the first n hashes of `a`). */
  load(a: Uint32Array, n: number): void {
    if (this.a.length < n) this.a = new Uint32Array(2 * n);
    this.a.set(a.subarray(0, n));
    this.aLen = n;
    this.fill(n);
  }

  private fill(n: number): void {
    const a = this.a;
    this.reserve(n);
    const ep = ++this.aEpoch;
    const keys = this.keys, as = this.aStamp, mask = keys.length - 1;
    let size = 0;
    for (let i = 0; i < n; i++) {
      const x = a[i]!;
      let j = fmix32(x) & mask;
      // live A entries are contiguous from each key's home slot: anything else is free
      while (as[j] === ep && keys[j] !== x) j = (j + 1) & mask;
      if (as[j] !== ep) { keys[j] = x; as[j] = ep; size++; }
    }
    this.aSize = size;
  }

  /** Jaccard of the loaded A with the first n hashes of `b` (0 when both are empty). */
  against(b: Uint32Array, n: number): number {
    if (this.reserve(this.aLen + n)) this.fill(this.aLen);
    // ea, eb: the epochs that mark A's entries and this B's; as, bs: the stamps
    const ea = this.aEpoch, eb = ++this.bEpoch;
    const keys = this.keys, as = this.aStamp, bs = this.bStamp, mask = keys.length - 1;
    let inter = 0, only = 0;
    for (let i = 0; i < n; i++) {
      const x = b[i]!;
      let j = fmix32(x) & mask;
      // A's entries and this B's additions form each probe chain; a stale slot ends it
      while ((as[j] === ea || bs[j] === eb) && keys[j] !== x) j = (j + 1) & mask;
      if (as[j] === ea && keys[j] === x) { if (bs[j] !== eb) { bs[j] = eb; inter++; } }
      else if (bs[j] !== eb) { keys[j] = x; bs[j] = eb; as[j] = 0; only++; }
    }
    const union = this.aSize + only;
    return union === 0 ? 0 : inter / union;
  }

  /** Room for `need` entries at load factor 1/2; true when the table grew (A must be loaded again). */
  private reserve(need: number): boolean {
    if (this.keys.length >= 2 * need) return false;
    // contents are not kept: the stamps start again
    this.keys = grown(this.keys, 2 * need, 0); this.aStamp = grown(this.aStamp, 2 * need, 0); this.bStamp = grown(this.bStamp, 2 * need, 0);
    this.aEpoch = 0; this.bEpoch = 0;
    return true;
  }
}
