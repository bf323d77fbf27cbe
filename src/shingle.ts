import { fmix32, rollingHashes, salt } from './hash.js';
import { normalize } from './normalize.js';
import { createTokens, tokenize, type Tokens } from './tokenize.js';

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
export function charShingles(text: string, n: number, seed: number): Uint32Array {
  const folded = normalize(text).text;
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
export function textShingleSet(text: string, k: number, seed: number): Uint32Array {
  return shingleSet(wordShingles(tokenize(text, seed, createTokens()), k));
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
