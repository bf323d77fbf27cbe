import { DEFAULT_FOLD_DIGITS } from './defaults.js';
import { CLASS, EXPAND, EXPANSIONS, EXPANSIONS_DIGITS_KEPT, FOLD, FOLD_DIGITS_KEPT, SKIP, SOLO, WORD, astralClass, classOf } from './normalize.js';
import { FNV_PRIME, fmix32, tokenBasis } from './hash.js';
import { kernelTakes, kernelTokenize } from './kernel.js';
import { createTokens, type Tokens } from './tokens.js';
import { grown } from './tables.js';

export { createTokens, type Tokens };

/** Make room for `need` tokens (a text of n code units or bytes has at most n tokens). */
function reserve(t: Tokens, need: number): void {
  if (t.hashes.length >= need) return;
  t.starts = grown(t.starts, need, 0); t.ends = grown(t.ends, need, 0); t.hashes = grown(t.hashes, need, 0);
}

/** The fold tables of one digit mode: ASCII (the folded code of a word character, 0 for a separator), all code units, expansions. */
interface Folds { ascii: Uint16Array; fold: Uint16Array; expansions: Map<number, Uint16Array> }
const foldsOf = (fold: Uint16Array, expansions: Map<number, Uint16Array>): Folds => ({ ascii: Uint16Array.from({ length: 128 }, (_, c) => (CLASS[c] === WORD ? fold[c]! : 0)), fold, expansions });
const DIGITS_FOLDED = foldsOf(FOLD, EXPANSIONS), DIGITS_KEPT = foldsOf(FOLD_DIGITS_KEPT, EXPANSIONS_DIGITS_KEPT);

/** Class of a non-ASCII code point (BMP or astral). */
function classify(cp: number): number {
  return cp < 0x10000 ? classOf(cp) : astralClass(cp);
}

/** FNV-1a step(s) for the folded UTF-16 code units of a non-ASCII word or solo code point. */
function foldInto(h: number, cp: number, cls: number, F: Folds): number {
  if (cp >= 0x10000) {
    const hi = 0xd800 + ((cp - 0x10000) >> 10), lo = 0xdc00 + ((cp - 0x10000) & 0x3ff);
    return Math.imul(Math.imul(h ^ hi, FNV_PRIME) ^ lo, FNV_PRIME);
  }
  if (cls !== EXPAND) return Math.imul(h ^ F.fold[cp]!, FNV_PRIME);
  const codes = F.expansions.get(cp)!;
  for (let j = 0; j < codes.length; j++) h = Math.imul(h ^ codes[j]!, FNV_PRIME);
  return h;
}

/**
 * Split a text into word tokens (Unicode letter/number runs; one token per character in scripts
 * written without spaces), folding and hashing each in one pass over char codes: no per-token
 * strings or objects. ASCII words run in a tight inner loop; other code points go through the
 * fold table. Reuses `out` when given. Texts the kernel takes (`kernelTakes`: 256 code units or more) go to it,
 * which gives identical tokens; this loop is the fallback and the reference.
 */
export function tokenize(text: string, seed: number, out: Tokens = createTokens(16), foldDigits = DEFAULT_FOLD_DIGITS): Tokens {
  if (kernelTakes(text.length) && kernelTokenize(text, tokenBasis(seed), out, foldDigits)) return out;
  return tokenizeJs(text, seed, out, foldDigits);
}

/** `tokenize` in JavaScript only: the fallback for texts the kernel cannot take, and its reference. */
export function tokenizeJs(text: string, seed: number, out: Tokens = createTokens(16), foldDigits = DEFAULT_FOLD_DIGITS): Tokens {
  const F = foldDigits ? DIGITS_FOLDED : DIGITS_KEPT, ASCII = F.ascii;
  const len = text.length;
  reserve(out, len + 1);
  const starts = out.starts, ends = out.ends, hashes = out.hashes;
  const basis = tokenBasis(seed);
  // n: tokens emitted; h: FNV-1a state of the open word; ws: its start, or -1
  let n = 0, h = basis, ws = -1;
  let i = 0;
  while (i < len) {
    let c = text.charCodeAt(i);
    if (c < 128) {
      let f = ASCII[c]!;
      if (f === 0) {
        if (ws >= 0) { starts[n] = ws; ends[n] = i; hashes[n] = fmix32(h >>> 0); n++; ws = -1; }
        i++;
        continue;
      }
      if (ws < 0) { ws = i; h = basis; }
      // the rest of an ASCII run of word characters
      do {
        h = Math.imul(h ^ f, FNV_PRIME);
        if (++i === len) break;
        c = text.charCodeAt(i);
        f = c < 128 ? ASCII[c]! : 0;
      } while (f !== 0);
      continue;
    }
    // at: start of this code point; cp: the code point (a lone surrogate stands for itself)
    const at = i;
    let cp = c;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000; i++; }
    }
    i++;
    const k = classify(cp);
    if (k === SKIP) continue;
    if (k === WORD || k === EXPAND) {
      if (ws < 0) { ws = at; h = basis; }
      h = foldInto(h, cp, k, F);
      continue;
    }
    if (ws >= 0) { starts[n] = ws; ends[n] = at; hashes[n] = fmix32(h >>> 0); n++; ws = -1; }
    if (k === SOLO) { starts[n] = at; ends[n] = i; hashes[n] = fmix32(foldInto(basis, cp, k, F) >>> 0); n++; }
  }
  if (ws >= 0) { starts[n] = ws; ends[n] = len; hashes[n] = fmix32(h >>> 0); n++; }
  out.count = n;
  return out;
}

/**
 * The same tokens from UTF-8 bytes, without decoding to a string first: identical hashes, and
 * offsets counted in UTF-16 code units, as if the bytes had been decoded. Invalid sequences are
 * separators (as U+FFFD would be).
 */
export function tokenizeBytes(input: Uint8Array, seed: number, out: Tokens = createTokens(16), foldDigits = DEFAULT_FOLD_DIGITS): Tokens {
  // a plain Uint8Array view keeps the loads monomorphic (a Buffer subclass here costs about 25%)
  if (kernelTakes(input.length) && kernelTokenize(input, tokenBasis(seed), out, foldDigits)) return out;
  const F = foldDigits ? DIGITS_FOLDED : DIGITS_KEPT, ASCII = F.ascii;
  const bytes = input.constructor === Uint8Array ? input : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const len = bytes.length;
  reserve(out, len + 1);
  const starts = out.starts, ends = out.ends, hashes = out.hashes;
  const basis = tokenBasis(seed);
  // u: offset in UTF-16 code units of byte i
  let n = 0, h = basis, ws = -1, i = 0, u = 0;
  while (i < len) {
    let c = bytes[i]!;
    if (c < 128) {
      let f = ASCII[c]!;
      if (f === 0) {
        if (ws >= 0) { starts[n] = ws; ends[n] = u; hashes[n] = fmix32(h >>> 0); n++; ws = -1; }
        i++; u++;
        continue;
      }
      if (ws < 0) { ws = u; h = basis; }
      do {
        h = Math.imul(h ^ f, FNV_PRIME);
        i++; u++;
        if (i === len) break;
        c = bytes[i]!;
        f = c < 128 ? ASCII[c]! : 0;
      } while (f !== 0);
      continue;
    }
    const at = u;
    let cp = 0xfffd;
    const b1 = bytes[i + 1]! & 0xc0, b2 = bytes[i + 2]! & 0xc0, b3 = bytes[i + 3]! & 0xc0;
    if (c >= 0xc2 && c < 0xe0 && b1 === 0x80) { cp = ((c & 0x1f) << 6) | (bytes[i + 1]! & 0x3f); i += 2; u++; }
    else if (c >= 0xe0 && c < 0xf0 && b1 === 0x80 && b2 === 0x80) {
      cp = ((c & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f);
      i += 3; u++;
      if (cp < 0x800) cp = 0xfffd;
    } else if (c >= 0xf0 && c < 0xf5 && b1 === 0x80 && b2 === 0x80 && b3 === 0x80) {
      cp = ((c & 0x07) << 18) | ((bytes[i + 1]! & 0x3f) << 12) | ((bytes[i + 2]! & 0x3f) << 6) | (bytes[i + 3]! & 0x3f);
      i += 4; u += 2;
      if (cp < 0x10000 || cp > 0x10ffff) cp = 0xfffd;
    } else { i++; u++; }
    const k = classify(cp);
    if (k === SKIP) continue;
    if (k === WORD || k === EXPAND) {
      if (ws < 0) { ws = at; h = basis; }
      h = foldInto(h, cp, k, F);
      continue;
    }
    if (ws >= 0) { starts[n] = ws; ends[n] = at; hashes[n] = fmix32(h >>> 0); n++; ws = -1; }
    if (k === SOLO) { starts[n] = at; ends[n] = u; hashes[n] = fmix32(foldInto(basis, cp, k, F) >>> 0); n++; }
  }
  if (ws >= 0) { starts[n] = ws; ends[n] = u; hashes[n] = fmix32(h >>> 0); n++; }
  out.count = n;
  return out;
}
