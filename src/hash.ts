/**
 * The hash family, in one place. Every hash is 32-bit, seeded and identical on any machine:
 * - token: FNV-1a over the token's folded UTF-16 code units, offset basis mixed with the seed,
 *   finalized by MurmurHash3's fmix32 (so low and high bits are both usable);
 * - shingle: a polynomial rolling hash of its k token hashes (odd multiplier, mod 2^32), which a
 *   caller re-mixes with fmix32 before using bits of it;
 * - everything derived (bins, values, permutations, band keys) mixes with fmix32 and a seed-derived salt.
 */

/** FNV-1a 32-bit prime. */
export const FNV_PRIME = 0x01000193;
/** FNV-1a 32-bit offset basis. */
export const FNV_OFFSET = 0x811c9dc5;
/** Odd multiplier of the rolling shingle polynomial (MurmurHash2's m). */
export const ROLL = 0x5bd1e995;
/** Golden-ratio increment used to derive independent salts from one seed. */
export const GOLDEN = 0x9e3779b9;

/** MurmurHash3 32-bit finalizer: a bijection on uint32 with full avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The i-th salt of a seed: independent-looking 32-bit constants for separate uses of one seed. */
export function salt(seed: number, i: number): number {
  return fmix32((seed ^ Math.imul(i + 1, GOLDEN)) >>> 0);
}

/** FNV offset basis for token hashes under a seed. */
export function tokenBasis(seed: number): number {
  return (FNV_OFFSET ^ salt(seed, 0)) >>> 0;
}

/** ROLL^e mod 2^32. */
export function rollPower(e: number): number {
  let p = 1;
  for (let i = 0; i < e; i++) p = Math.imul(p, ROLL);
  return p >>> 0;
}

/** Rolling shingle hashes of every window of `k` values in `hashes[0..n)`, written to `out`; returns the count. */
export function rollingHashes(hashes: Uint32Array, n: number, k: number, out: Uint32Array): number {
  if (n === 0) return 0;
  // kk: effective window (a text shorter than one shingle is one shingle of all its tokens)
  const kk = n < k ? n : k;
  // pk: ROLL^(kk-1), the weight of the value leaving the window
  const pk = rollPower(kk - 1);
  let h = 0;
  for (let i = 0; i < kk; i++) h = (Math.imul(h, ROLL) + hashes[i]!) | 0;
  out[0] = h >>> 0;
  let m = 1;
  for (let i = kk; i < n; i++) {
    h = (Math.imul((h - Math.imul(hashes[i - kk]!, pk)) | 0, ROLL) + hashes[i]!) | 0;
    out[m++] = h >>> 0;
  }
  return m;
}
