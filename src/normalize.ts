/**
 * Per-code-unit fold table with offsets. Each UTF-16 code unit gets a class and a folded code:
 * NFKD, combining marks dropped, lower-cased, and (in FOLD, not in FOLD_DIGITS_KEPT) every decimal digit
 * to '0'; punctuation, symbols,
 * spaces and controls separate words. Scripts written without spaces (Han, kana, Thai, Lao, Khmer,
 * Myanmar, Tibetan) make one token per character, so word k-shingles become character k-grams there.
 * The table is exact per code unit, so every token keeps [start, end) into the original string;
 * blocks of 256 code units are built on first use.
 */
import { DEFAULT_FOLD_DIGITS } from './defaults.js';

/** Class: separates tokens. */
export const SEP = 0;
/** Class: part of a word; folds to FOLD[c]. */
export const WORD = 1;
/** Class: a token on its own (no-space scripts). */
export const SOLO = 2;
/** Class: ignored inside or outside words (combining marks, joiners, soft hyphen). */
export const SKIP = 3;
/** Class: part of a word that folds to several code units (EXPANSIONS). */
export const EXPAND = 4;
/** Class: high surrogate; the pair is classified by code point. */
export const HIGH = 5;

export const CLASS = new Uint8Array(65536);
export const FOLD = new Uint16Array(65536);
export const EXPANSIONS = new Map<number, Uint16Array>();
/** FOLD and EXPANSIONS with decimal digits kept as digits (the `foldDigits: false` tables). */
export const FOLD_DIGITS_KEPT = new Uint16Array(65536);
export const EXPANSIONS_DIGITS_KEPT = new Map<number, Uint16Array>();
const READY = new Uint8Array(256);

const MARK = /^[\p{M}\u00AD\u200B-\u200D\u2060\uFEFF\uFE00-\uFE0F]$/u;
const ALNUM = /^[\p{L}\p{N}]$/u;
const NO_SPACE = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}\u3005\u30FC]$/u;
const DIGIT = /\p{Nd}/gu;
const NON_ALNUM = /[^\p{L}\p{N}]/gu;

function foldString(s: string, digits = true): string {
  const f = s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  return (digits ? f.replace(DIGIT, '0') : f).replace(NON_ALNUM, '');
}

const codesOf = (f: string): Uint16Array => Uint16Array.from(f, (_, i) => f.charCodeAt(i));

/** Build the classes and folds of block b (code units b*256 .. b*256+255). */
export function buildBlock(b: number): void {
  if (READY[b]) return;
  for (let c = b << 8, end = c + 256; c < end; c++) {
    if (c >= 0xd800 && c <= 0xdbff) { CLASS[c] = HIGH; continue; }
    if (c >= 0xdc00 && c <= 0xdfff) { CLASS[c] = SEP; continue; }
    const s = String.fromCharCode(c);
    if (MARK.test(s)) { CLASS[c] = SKIP; continue; }
    if (!ALNUM.test(s)) { CLASS[c] = SEP; continue; }
    // digits fold one code unit to one, so both tables give a code point the same class
    const f = foldString(s), k = foldString(s, false);
    if (NO_SPACE.test(s)) {
      CLASS[c] = SOLO;
      FOLD[c] = f.length === 1 ? f.charCodeAt(0) : c;
      FOLD_DIGITS_KEPT[c] = k.length === 1 ? k.charCodeAt(0) : c;
    } else if (f.length === 1) {
      CLASS[c] = WORD;
      FOLD[c] = f.charCodeAt(0);
      FOLD_DIGITS_KEPT[c] = k.charCodeAt(0);
    } else if (f.length === 0) {
      CLASS[c] = SKIP;
    } else {
      CLASS[c] = EXPAND;
      EXPANSIONS.set(c, codesOf(f));
      EXPANSIONS_DIGITS_KEPT.set(c, codesOf(k));
    }
  }
  READY[b] = 1;
}
buildBlock(0);

/** Class of a code unit (builds its block on first use). */
export function classOf(c: number): number {
  if (!READY[c >>> 8]) buildBlock(c >>> 8);
  return CLASS[c]!;
}

const astralCache = new Map<number, number>();
/** Class of an astral code point: WORD, SOLO or SEP (marks and variation selectors: SKIP). */
export function astralClass(cp: number): number {
  let k = astralCache.get(cp);
  if (k === undefined) {
    const s = String.fromCodePoint(cp);
    k = MARK.test(s) || (cp >= 0xe0100 && cp <= 0xe01ef) ? SKIP : !ALNUM.test(s) ? SEP : NO_SPACE.test(s) ? SOLO : WORD;
    astralCache.set(cp, k);
  }
  return k;
}

export interface Normalized {
  /** The folded text: tokens separated by single spaces. */
  text: string;
  /** map[i] is the index in the original string of the code unit that folded to text[i] (-1 for separators). */
  map: Int32Array;
}

/**
 * Fold a text the way the tokenizer sees it, with an offset map back to the original string.
 * Used for character n-gram shingles and for showing what a shingle is made of.
 */
export function normalize(text: string, foldDigits = DEFAULT_FOLD_DIGITS): Normalized {
  const fold = foldDigits ? FOLD : FOLD_DIGITS_KEPT, expansions = foldDigits ? EXPANSIONS : EXPANSIONS_DIGITS_KEPT;
  const codes = new Uint16Array(text.length * 4 + 1);
  const map = new Int32Array(codes.length);
  let n = 0;
  let inWord = false;
  const sep = () => {
    if (n > 0 && codes[n - 1] !== 0x20) { codes[n] = 0x20; map[n] = -1; n++; }
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const cls = c < 128 ? CLASS[c]! : classOf(c);
    if (cls === WORD) {
      codes[n] = fold[c]!; map[n] = i; n++; inWord = true;
    } else if (cls === SEP) {
      if (inWord) { sep(); inWord = false; }
    } else if (cls === SOLO) {
      sep(); codes[n] = fold[c]!; map[n] = i; n++; sep(); inWord = false;
    } else if (cls === EXPAND) {
      for (const e of expansions.get(c)!) { codes[n] = e; map[n] = i; n++; }
      inWord = true;
    } else if (cls === HIGH) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        const k = astralClass(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
        if (k === WORD || k === SOLO) {
          if (k === SOLO) sep();
          codes[n] = c; map[n] = i; n++; codes[n] = d; map[n] = i + 1; n++;
          if (k === SOLO) { sep(); inWord = false; } else inWord = true;
        } else if (k === SEP && inWord) { sep(); inWord = false; }
        i++;
      } else if (inWord) { sep(); inWord = false; }
    }
  }
  if (n > 0 && codes[n - 1] === 0x20) n--;
  let out = '';
  for (let i = 0; i < n; i += 8192) out += String.fromCharCode(...codes.subarray(i, Math.min(n, i + 8192)));
  return { text: out, map: map.slice(0, n) };
}
