/**
 * The WASM kernel: the tokenizer, punctuation-extended offsets, seeds with winnowing and the
 * one-permutation sketch run over a whole UTF-8 buffer (wasm/kernel.c), bit-identical to the
 * JavaScript paths, which stay the fallback for what
 * the kernel does not handle (folds to several code units, astral code points) and the reference
 * the tests compare it with. A string goes in through TextEncoder.encodeInto, straight into the
 * kernel's memory; offsets come back in UTF-16 code units. The exact Jaccard of candidate pairs
 * (`kernelJaccard`) runs there too.
 */
import { DEFAULT_FOLD_DIGITS } from './defaults.js';
import { KERNEL_WASM } from './kernel-wasm.js';
import { CLASS, FOLD, FOLD_DIGITS_KEPT, WORD, buildBlock } from './normalize.js';
import { createRepeats, reserveRepeats, type Repeats } from './seeds.js';
import { packOffsets, tokenBytes, type DocTokens, type Tokens } from './tokens.js';
import { grown } from './tables.js';

// memory layout: the module's own stack and data below 1 MiB, then the fold tables, then buffers
const CLS = 1 << 20;
const FLD = CLS + 65536;
const RDY = FLD + 131072;
const ASCII = RDY + 256;
// the same fold tables with decimal digits kept (`foldDigits: false`)
const ASCII_KEPT = ASCII + 128;
const FLD_KEPT = RDY + 4096;
const DATA = FLD_KEPT + 131072;
const PAGE = 65536;

interface Kernel {
  memory: WebAssembly.Memory;
  tokenize: (inp: number, len: number, basis: number, cls: number, fold: number, ready: number, ascii: number, hashes: number, starts: number, ends: number) => number;
  hashes: (inp: number, len: number, basis: number, cls: number, fold: number, ready: number, ascii: number, hashes: number, second: number) => number;
  sketch: (hashes: number, n: number, w: number, k: number, seed: number, sh: number, bins: number) => void;
  extend: (inp: number, len: number, n: number, starts: number, ends: number, xs: number, xe: number, ascii: number) => void;
  fingerprints: (hashes: number, n: number, k: number, w: number, seeds: number, marks: number) => number;
  pack: (hashes: number, xs: number, xe: number, n: number, out: number) => number;
  repeats: (seeds: number, m: number, marks: number, nMarks: number, bits: number, tkeys: number, tpos: number, tmark: number,
    slot: number, hits: number, fk: number, fp: number, nf: number) => number;
  jaccard: (a: number, na: number, b: number, nb: number, k: number, tkeys: number, tmark: number, bits: number, out: number) => void;
  synced: Uint8Array;
  // views of the memory, remade when it grows; size: its byte length when they were made (0: not yet)
  size: number;
  data: Uint8Array;
  u32: Uint32Array;
  i32: Int32Array;
}

/** Texts shorter than this (in UTF-16 units or UTF-8 bytes) skip the kernel: its call costs more than it saves. */
export const KERNEL_MIN = 256;

/**
 * Whether a text of `units` code units (or bytes) goes to the kernel: the one place that decides
 * per document. The kernel can still hand a text back (astral code points, folds to several units).
 */
export function kernelTakes(units: number): boolean {
  return enabled && units >= KERNEL_MIN && load() !== null;
}

let kernel: Kernel | null | undefined;
let enabled = true;
const encoder = new TextEncoder();

/** Turn the WASM kernel off (true: on, the default); the JavaScript paths give identical results. */
export function useKernel(on: boolean): void { enabled = on; }

/** Whether the WASM kernel loaded (it falls back to JavaScript where WebAssembly is missing). */
export function kernelAvailable(): boolean { return load() !== null; }

function load(): Kernel | null {
  if (kernel !== undefined) return kernel;
  try {
    const memory = new WebAssembly.Memory({ initial: (DATA >> 16) + 16 });
    const module = new WebAssembly.Module(Buffer.from(KERNEL_WASM, 'base64'));
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Pick<Kernel, 'tokenize' | 'hashes' | 'sketch' | 'extend' | 'fingerprints' | 'pack' | 'repeats' | 'jaccard'>;
    kernel = { memory, tokenize: exports.tokenize, hashes: exports.hashes, sketch: exports.sketch, extend: exports.extend, fingerprints: exports.fingerprints, pack: exports.pack, repeats: exports.repeats, jaccard: exports.jaccard, synced: new Uint8Array(256), size: 0, data: new Uint8Array(0), u32: new Uint32Array(0), i32: new Int32Array(0) };
  } catch {
    kernel = null;
  }
  return kernel;
}

/** Copy block b of the fold tables into the kernel's memory (building it first if needed). */
function sync(k: Kernel, b: number): void {
  buildBlock(b);
  const buf = k.memory.buffer;
  new Uint8Array(buf, CLS + (b << 8), 256).set(CLASS.subarray(b << 8, (b + 1) << 8));
  new Uint16Array(buf, FLD + (b << 9), 256).set(FOLD.subarray(b << 8, (b + 1) << 8));
  new Uint16Array(buf, FLD_KEPT + (b << 9), 256).set(FOLD_DIGITS_KEPT.subarray(b << 8, (b + 1) << 8));
  new Uint8Array(buf, RDY + b, 1)[0] = 1;
  if (b === 0) {
    const ascii = new Uint8Array(buf, ASCII, 128), kept = new Uint8Array(buf, ASCII_KEPT, 128);
    for (let c = 0; c < 128; c++) { ascii[c] = CLASS[c] === WORD ? FOLD[c]! : 0; kept[c] = CLASS[c] === WORD ? FOLD_DIGITS_KEPT[c]! : 0; }
  }
  k.synced[b] = 1;
}

function reserve(k: Kernel, bytes: number): void {
  // only this module grows the memory: the byte length in hand saves reading memory.buffer each call
  const need = DATA + bytes;
  if (need <= k.size) return;
  const have = k.memory.buffer.byteLength;
  if (need > have) k.memory.grow(Math.ceil((need - have) / PAGE));
  const buffer = k.memory.buffer;
  k.size = buffer.byteLength;
  k.data = new Uint8Array(buffer, DATA);
  k.u32 = new Uint32Array(buffer);
  k.i32 = new Int32Array(buffer);
}

/** Slots of a seed table for m seeds: a power of two, at least 2m (and 16). */
function tableSlots(m: number): number {
  let t = 16;
  while (t < 2 * m) t *= 2;
  return t;
}

/** Where the buffers of one call go, for an input of at most `len` bytes and `tokens` tokens. */
function layout(len: number, tokens: number, k: number) {
  const cap = tokens + 1;
  const hashes = DATA + ((len + 3) & ~3);
  const starts = hashes + 4 * cap, ends = starts + 4 * cap, sh = ends + 4 * cap, xs = sh + 4 * cap, xe = xs + 4 * cap;
  const seeds = xe + 4 * cap, marks = seeds + 4 * cap, bins = marks + 4 * cap, packed = bins + 4 * k;
  return { hashes, starts, ends, sh, xs, xe, seeds, marks, bins, packed, total: packed + tokenBytes(cap) - DATA };
}

/**
 * Where `repeats` puts its seed table (at least 2 slots a seed) and its outputs for m seeds, after
 * a call's buffers (sized by the seeds found, not by the text's bound on tokens); byte arrays last.
 */
function repeatsLayout(end: number, m: number) {
  const slots = tableSlots(m);
  const tkeys = end, tpos = tkeys + 4 * slots, slot = tpos + 4 * slots, hits = slot + 4 * m;
  const fk = hits + 8 * m, fp = fk + 4 * m, nf = fp + 4 * m, tmark = nf + 4;
  return { slots, tkeys, tpos, slot, hits, fk, fp, nf, tmark, total: tmark + slots - DATA };
}

/** One kernel tokenize call's outcome: the token count, the UTF-8 length and where the buffers are. */
interface Call { k: Kernel; n: number; len: number; at: ReturnType<typeof layout> }

/**
 * Tokenize in the kernel (with token offsets unless `offsets` is false), with room for a
 * numPerm-bin sketch; undefined when the kernel is off or missing, or the text needs the
 * JavaScript path.
 */
function call(input: string | Uint8Array, basis: number, numPerm: number, offsets: boolean, foldDigits: boolean): Call | undefined {
  if (!enabled) return undefined;
  const k = load();
  if (!k) return undefined;
  // a string of n code units is at most 3n bytes of UTF-8, and has at most n tokens
  const max = typeof input === 'string' ? input.length * 3 : input.length;
  const at = layout(max, input.length, numPerm);
  // past the kernel's 4 GB of memory, the JavaScript path takes the text
  try { reserve(k, at.total); } catch { return undefined; }
  if (!k.synced[0]) sync(k, 0);
  let len: number;
  if (typeof input === 'string') {
    // encodeInto writes nothing at all into a view of 2^31 bytes or more (Node 20): a text whose
    // buffers take the memory past 2 GB is encoded into a view of its own bound
    const r = encoder.encodeInto(input, k.data.length < 0x80000000 ? k.data : k.data.subarray(0, max));
    if (r.read !== input.length) return undefined;
    len = r.written;
  } else { k.data.set(input); len = max; }
  const fold = foldDigits ? FLD : FLD_KEPT, ascii = foldDigits ? ASCII : ASCII_KEPT;
  for (;;) {
    const n = offsets
      ? k.tokenize(DATA, len, basis, CLS, fold, RDY, ascii, at.hashes, at.starts, at.ends)
      : k.hashes(DATA, len, basis, CLS, fold, RDY, ascii, at.hashes, at.sh);
    if (n >= 0) return { k, n, len, at };
    if (n <= -0x10000000) return undefined;
    sync(k, -1 - n);
  }
}

/** The undensified sketch of a call's tokens, copied out of the kernel into `out` (numPerm values). */
function sketchOf(c: Call, seed: number, shingleSize: number, out: Uint32Array): Uint32Array {
  const numPerm = out.length;
  const u32 = c.k.u32, b0 = c.at.bins >>> 2;
  // the kernel empties the bins itself
  if (c.n === 0) return out.fill(0xffffffff);
  c.k.sketch(c.at.hashes, c.n, Math.min(c.n, shingleSize), numPerm, seed >>> 0, c.at.sh, c.at.bins);
  for (let i = 0; i < numPerm; i++) out[i] = u32[b0 + i]!;
  return out;
}

/** Copy n int32 values (a call's token count unless given) at byte address `from` in the kernel's memory into `to`. */
function copyOut(c: Call, from: number, to: Int32Array | Uint32Array, n = c.n): void {
  to.set(to instanceof Uint32Array ? c.k.u32.subarray(from >>> 2, (from >>> 2) + n) : c.k.i32.subarray(from >>> 2, (from >>> 2) + n));
}

/** Tokens of a text by the kernel into `out`'s arrays (grown as needed); false when it cannot. */
export function kernelTokenize(input: string | Uint8Array, basis: number, out: Tokens, foldDigits = DEFAULT_FOLD_DIGITS): boolean {
  const c = call(input, basis, 0, true, foldDigits);
  if (!c) return false;
  if (out.hashes.length < c.n + 1) { out.hashes = grown(out.hashes, c.n + 1, 0); out.starts = grown(out.starts, c.n + 1, 0); out.ends = grown(out.ends, c.n + 1, 0); }
  copyOut(c, c.at.hashes, out.hashes); copyOut(c, c.at.starts, out.starts); copyOut(c, c.at.ends, out.ends);
  out.count = c.n;
  return true;
}

/** The undensified OPH sketch (with rounds) of a text's word shingles into `out` (numPerm values); false when the kernel cannot. */
export function kernelSketch(input: string | Uint8Array, basis: number, seed: number, shingleSize: number, out: Uint32Array, foldDigits = DEFAULT_FOLD_DIGITS): boolean {
  // a signature needs no token offsets
  const c = call(input, basis, out.length, false, foldDigits);
  if (!c) return false;
  sketchOf(c, seed, shingleSize, out);
  return true;
}

/**
 * A document's seeds and winnowed fingerprint positions: reusable scratch, valid until the next
 * call. A Corpus's scratch (`createFingerprints(true)`) also holds `repeats`, what the kernel
 * finds the document repeats of itself and which fingerprints go into the index, and a
 * `signature` reused for every document (the Corpus only reads it while adding the document).
 */
export interface Fingerprints {
  seeds: Uint32Array; marks: Int32Array; nSeeds: number; nMarks: number;
  repeats: Repeats | undefined;
  /** Whether the last call filled `repeats` (not when its table would not fit the kernel's memory). */
  repeated: boolean;
  signature: Uint32Array | undefined;
}

export function createFingerprints(corpus = false): Fingerprints {
  return { seeds: new Uint32Array(1024), marks: new Int32Array(1024), nSeeds: 0, nMarks: 0, repeats: corpus ? createRepeats() : undefined, repeated: false, signature: corpus ? new Uint32Array(0) : undefined };
}

/**
 * What a corpus needs of a text in one kernel call: token hashes with punctuation-extended
 * offsets (in arrays from `alloc`), the undensified sketch (into `sketch`, numPerm values), and
 * the seeds of seedWords tokens with their winnowed positions (into `fp`). The text may come as
 * UTF-8 bytes with its length in UTF-16 units. `alloc` returns arrays laid out as `carve` makes
 * them (one run of `tokenBytes(n)` bytes from `hashes`). Undefined when the kernel cannot.
 */
export function kernelKeep(text: string | Uint8Array, basis: number, seed: number, shingleSize: number, seedWords: number, window: number,
  sketch: Uint32Array, alloc: (n: number) => DocTokens, fp: Fingerprints, units = text.length, foldDigits = DEFAULT_FOLD_DIGITS): DocTokens | undefined {
  const c = call(text, basis, sketch.length, true, foldDigits);
  if (!c) return undefined;
  // an ASCII text has as many UTF-8 bytes as UTF-16 units (`units`, for a text given as bytes)
  c.k.extend(DATA, c.len, c.n, c.at.starts, c.at.ends, c.at.xs, c.at.xe, c.len === units ? 1 : 0);
  const tokens = alloc(c.n);
  // the kernel lays the tokens out as they are kept, and one copy moves them; a document with an
  // offset that does not fit a byte (rare) is packed in JavaScript
  if (c.k.pack(c.at.hashes, c.at.xs, c.at.xe, c.n, c.at.packed) === 0) {
    const size = tokenBytes(c.n), from = c.at.packed - DATA;
    new Uint8Array(tokens.hashes.buffer, tokens.hashes.byteOffset, size).set(c.k.data.subarray(from, from + size));
    tokens.escapes = null;
  } else {
    copyOut(c, c.at.hashes, tokens.hashes);
    packOffsets(c.k.i32, c.at.xs >>> 2, c.at.xe >>> 2, c.n, tokens);
  }
  sketchOf(c, seed, shingleSize, sketch);
  fp.nMarks = c.k.fingerprints(c.at.hashes, c.n, seedWords, window, c.at.seeds, c.at.marks);
  fp.nSeeds = c.n >= seedWords ? c.n - seedWords + 1 : 0;
  if (fp.seeds.length < fp.nSeeds) { fp.seeds = new Uint32Array(2 * fp.nSeeds); fp.marks = new Int32Array(2 * fp.nSeeds); }
  copyOut(c, c.at.seeds, fp.seeds, fp.nSeeds);
  copyOut(c, c.at.marks, fp.marks, fp.nMarks);
  fp.repeated = fp.repeats !== undefined && repeatsOf(c, fp.nSeeds, fp.nMarks, fp.repeats);
  return tokens;
}

/** The kernel's `repeats` over a call's seeds and marks, copied out into `r`; false if its table does not fit the kernel's memory. */
function repeatsOf(c: Call, m: number, nMarks: number, r: Repeats): boolean {
  const k = c.k, at = repeatsLayout(DATA + c.at.total, m);
  try { reserve(k, at.total); } catch { return false; }
  const h = k.repeats(c.at.seeds, m, c.at.marks, nMarks, Math.log2(at.slots), at.tkeys, at.tpos, at.tmark, at.slot, at.hits, at.fk, at.fp, at.nf);
  const i32 = k.i32, u32 = k.u32, n = i32[at.nf >>> 2]!;
  reserveRepeats(r, m);
  const hits = r.hits, keys = r.keys, pos = r.pos;
  for (let x = 0, o = at.hits >>> 2; x < 2 * h; x++) hits[x] = i32[o + x]!;
  for (let x = 0, o = at.fk >>> 2, q = at.fp >>> 2; x < n; x++) { keys[x] = u32[o + x]!; pos[x] = i32[q + x]!; }
  r.nHits = h;
  r.n = n;
  return true;
}

/**
 * Exact Jaccard of the word shingle sets (shingles of k tokens) of two documents' token hashes,
 * a[0, na) and b[0, nb), in the kernel: what `JaccardTable` gives over `rollingHashes` (0 when both
 * are empty). Undefined when the kernel is off or missing.
 */
export function kernelJaccard(a: Uint32Array, na: number, b: Uint32Array, nb: number, k: number): number | undefined {
  if (!enabled) return undefined;
  const kern = load();
  if (!kern) return undefined;
  // a, b, then the table's keys and marks (2^bits slots, at least twice the shingles), then the outcome
  const slots = tableSlots(na + nb), bits = Math.log2(slots);
  const aAt = DATA, bAt = aAt + 4 * na, keys = bAt + 4 * nb, marks = keys + 4 * slots, out = (marks + slots + 3) & ~3;
  try { reserve(kern, out + 8 - DATA); } catch { return undefined; }
  const u32 = kern.u32;
  u32.set(a.subarray(0, na), aAt >>> 2);
  u32.set(b.subarray(0, nb), bAt >>> 2);
  kern.jaccard(aAt, na, bAt, nb, k, keys, marks, bits, out);
  const inter = kern.i32[out >>> 2]!, union = kern.i32[(out >>> 2) + 1]!;
  return union === 0 ? 0 : inter / union;
}
