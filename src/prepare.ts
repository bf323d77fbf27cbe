/**
 * The per-document stages, which depend on nothing else in the corpus (what workers run): tokenize,
 * keep tokens, seeds, fingerprints and the signature, in one kernel call where it can.
 */
import { DEFAULTS } from './defaults.js';
import { ErrorCode, ReprintError } from './errors.js';
import { tokenBasis } from './hash.js';
import { createFingerprints, kernelKeep, kernelTakes, type Fingerprints } from './kernel.js';
import { SignatureHasher, newSignature } from './minhash.js';
import type { ResolvedScanOptions } from './options.js';
import { seedsOf, winnow, type Repeats } from './seeds.js';
import { tokenizeJs } from './tokenize.js';
import { allocTokens, createTokens, keepTokens, type DocTokens, type TokenAlloc, type Tokens } from './tokens.js';

export interface InputDocument { id: string; text: string }

/** Everything about one document that does not depend on the rest of the corpus (what workers compute). */
export interface Prepared {
  chars: number;
  tokens: DocTokens;
  seeds: Uint32Array;
  /** Winnowed seed positions: the document's fingerprints. */
  marks: Int32Array;
  signature: Uint32Array;
  /**
   * What the document repeats of itself and its fingerprints for the index, when the kernel or a
   * worker found them (valid until the next call, or the next batch).
   */
  repeats?: Repeats;
}

/** Per-stage settings derived from options. */
export interface Plan {
  seedWords: number;
  window: number;
  hasher: SignatureHasher;
}

export function planOf(o: ResolvedScanOptions): Plan {
  const seedWords = Math.min(o.seedWords, o.minWords);
  // any run of minWords words must contain a fingerprint: seedWords + window - 1 <= minWords
  const window = Math.max(1, Math.min(o.winnowWindow, o.minWords - seedWords + 1));
  return { seedWords, window, hasher: new SignatureHasher({ numPerm: o.numPerm, shingleSize: o.shingleSize, seed: o.seed, mode: 'oph', shingle: 'word', charNgram: DEFAULTS.charNgram, foldDigits: o.foldDigits }) };
}

/**
 * Per-document stages: tokenize, keep tokens, seeds, fingerprints, signature. Seeds and marks
 * are views of `fp` (reused by the next call) when the kernel made them, and so are the
 * signature and `repeats` when `fp` is a Corpus's (`createFingerprints(true)`).
 */
export function prepare(text: string, o: ResolvedScanOptions, plan: Plan, arena: Tokens = createTokens(), fp: Fingerprints = createFingerprints(), store?: TokenAlloc): Prepared {
  return (kernelTakes(text.length) && kernelPrepare(text, text.length, o, plan, fp, store)) || prepareJs(text, o, plan, arena, store);
}

const decoder = new TextDecoder();

/**
 * `prepare` for a text given as UTF-8 bytes (as `TextEncoder` made them) with its length in
 * UTF-16 units: the kernel reads the bytes as they are; texts it cannot take are decoded first.
 */
export function prepareBytes(bytes: Uint8Array, units: number, o: ResolvedScanOptions, plan: Plan, arena: Tokens, fp: Fingerprints, store?: TokenAlloc): Prepared {
  return (kernelTakes(units) && kernelPrepare(bytes, units, o, plan, fp, store)) || prepareJs(decoder.decode(bytes), o, plan, arena, store);
}

/** A UTF-8 text's length in UTF-16 units: one per character, two past U+FFFF. */
export function utf16Units(bytes: Uint8Array): number {
  let n = 0;
  for (let x = 0; x < bytes.length; x++) { const c = bytes[x]!; if ((c & 0xc0) !== 0x80) n += c >= 0xf0 ? 2 : 1; }
  return n;
}

/** The per-document stages in one kernel call (tokens, extended offsets, sketch, fingerprints); undefined where it cannot. */
function kernelPrepare(input: string | Uint8Array, units: number, o: ResolvedScanOptions, plan: Plan, fp: Fingerprints, store?: TokenAlloc): Prepared | undefined {
  // a Corpus's scratch reuses one signature array (the LSH index copies what it keeps)
  let sketch = fp.signature;
  if (!sketch) sketch = newSignature(o.numPerm);
  else if (sketch.length !== o.numPerm) sketch = fp.signature = new Uint32Array(o.numPerm);
  const tokens = kernelKeep(input, tokenBasis(o.seed), o.seed, o.shingleSize, plan.seedWords, plan.window, sketch, (n) => allocTokens(n, store), fp, units, o.foldDigits);
  if (!tokens) return undefined;
  const p: Prepared = { chars: units, tokens, seeds: fp.seeds.subarray(0, fp.nSeeds), marks: fp.marks.subarray(0, fp.nMarks), signature: plan.hasher.densifyInPlace(sketch) };
  if (fp.repeated && fp.repeats) p.repeats = fp.repeats;
  return p;
}

/** The per-document stages in JavaScript: texts the kernel does not take or hands back. */
function prepareJs(text: string, o: ResolvedScanOptions, plan: Plan, arena: Tokens, store?: TokenAlloc): Prepared {
  tokenizeJs(text, o.seed, arena, o.foldDigits);
  const tokens = keepTokens(text, arena, store);
  const seeds = seedsOf(tokens, plan.seedWords);
  return { chars: text.length, tokens, seeds, marks: winnow(seeds, plan.window), signature: plan.hasher.signatureOfTokens(tokens.hashes, tokens.n) };
}

/** Throws unless `doc`, the n-th document (from 1), is { id: string, text: string }. */
export function checkDocument(doc: InputDocument, n: number): void {
  if (doc === null || typeof doc !== 'object' || typeof doc.id !== 'string' || typeof doc.text !== 'string') {
    throw new ReprintError(ErrorCode.INVALID_INPUT, `document ${n} must be { id: string, text: string }, got ${describeDoc(doc)}`);
  }
}


function describeDoc(doc: unknown): string {
  if (doc === null || typeof doc !== 'object') return doc === null ? 'null' : typeof doc;
  const d = doc as Record<string, unknown>;
  return `{ id: ${typeof d.id}, text: ${typeof d.text} }`;
}
