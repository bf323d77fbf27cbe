import { z } from 'zod';
import {
  DEFAULT_CHAR_NGRAM, DEFAULT_FN_WEIGHT, DEFAULT_FOLD_DIGITS, DEFAULT_FP_WEIGHT, DEFAULT_JOBS, DEFAULT_MAX_CANDIDATES, DEFAULT_MAX_PAIR_CANDIDATES, DEFAULT_MIN_CANDIDATE_HITS,
  DEFAULT_MAX_GAP, DEFAULT_MAX_POSTINGS, DEFAULT_MIN_WORDS, DEFAULT_NUM_PERM, DEFAULT_PASSAGE_SIMILARITY,
  DEFAULT_SEED, DEFAULT_SEED_WORDS, DEFAULT_SHINGLE_SIZE, DEFAULT_THRESHOLD, DEFAULT_WINNOW_WINDOW,
} from './defaults.js';
import { ErrorCode, ReprintError } from './errors.js';

const int = (min: number, max: number) =>
  z.number({ error: `must be an integer in [${min}, ${max}]` })
    .int(`must be an integer in [${min}, ${max}]`)
    .min(min, `must be an integer in [${min}, ${max}]`)
    .max(max, `must be an integer in [${min}, ${max}]`);
const unit = () =>
  z.number({ error: 'must be in [0, 1]' }).min(0, 'must be in [0, 1]').max(1, 'must be in [0, 1]');

export const hasherOptionsSchema = z.strictObject({
  numPerm: int(1, 4096).default(DEFAULT_NUM_PERM),
  shingleSize: int(1, 64).default(DEFAULT_SHINGLE_SIZE),
  seed: int(0, 0xffffffff).default(DEFAULT_SEED),
  /** 'oph': one-permutation hashing with optimal densification (fast); 'classic': k independent permutations (reference). */
  mode: z.enum(['oph', 'classic'], { error: "must be 'oph' or 'classic'" }).default('oph'),
  /** 'word': k-word shingles; 'char': n-character shingles over the folded text. */
  shingle: z.enum(['word', 'char'], { error: "must be 'word' or 'char'" }).default('word'),
  charNgram: int(1, 64).default(DEFAULT_CHAR_NGRAM),
  foldDigits: z.boolean({ error: 'must be a boolean' }).default(DEFAULT_FOLD_DIGITS),
});
export type HasherOptions = z.input<typeof hasherOptionsSchema>;
export type ResolvedHasherOptions = z.output<typeof hasherOptionsSchema>;

export const lshOptionsSchema = z.strictObject({
  threshold: unit().default(DEFAULT_THRESHOLD),
  numPerm: int(1, 4096).default(DEFAULT_NUM_PERM),
  bands: int(1, 4096).optional(),
  rows: int(1, 4096).optional(),
  weights: z.tuple([unit(), unit()]).default([DEFAULT_FP_WEIGHT, DEFAULT_FN_WEIGHT]),
});
export type LshOptions = z.input<typeof lshOptionsSchema>;
export type ResolvedLshOptions = z.output<typeof lshOptionsSchema>;

export const scanOptionsSchema = z.strictObject({
  numPerm: int(1, 4096).default(DEFAULT_NUM_PERM),
  shingleSize: int(1, 64).default(DEFAULT_SHINGLE_SIZE),
  seed: int(0, 0xffffffff).default(DEFAULT_SEED),
  /** Fold every decimal digit to 0 before hashing words: copies whose figures changed match, and so does numeric junk. */
  foldDigits: z.boolean({ error: 'must be a boolean' }).default(DEFAULT_FOLD_DIGITS),
  threshold: unit().default(DEFAULT_THRESHOLD),
  minWords: int(2, 100000).default(DEFAULT_MIN_WORDS),
  passageSimilarity: unit().default(DEFAULT_PASSAGE_SIMILARITY),
  seedWords: int(2, 64).default(DEFAULT_SEED_WORDS),
  winnowWindow: int(1, 256).default(DEFAULT_WINNOW_WINDOW),
  maxPostings: int(1, 1024).default(DEFAULT_MAX_POSTINGS),
  maxCandidates: int(1, 1024).default(DEFAULT_MAX_CANDIDATES),
  /** Fingerprints an earlier document must share with a new one to be aligned with it. */
  minCandidateHits: int(1, 1024).default(DEFAULT_MIN_CANDIDATE_HITS),
  /** Earlier documents a document's near-duplicate candidates are verified against (the most bands shared first). */
  maxPairCandidates: int(1, 1 << 20).default(DEFAULT_MAX_PAIR_CANDIDATES),
  maxGap: int(0, 1000).default(DEFAULT_MAX_GAP),
  /** Find repeated passages (inside and across documents). */
  passages: z.boolean({ error: 'must be a boolean' }).default(true),
  /** Find near-duplicate document pairs and clusters. */
  nearDuplicates: z.boolean({ error: 'must be a boolean' }).default(true),
  /** Verify LSH candidates by exact Jaccard of shingle sets (true) or by the signature estimate (false). */
  exact: z.boolean({ error: 'must be a boolean' }).default(true),
  jobs: int(1, 256).default(DEFAULT_JOBS),
  /** List every aligned pair of spans in the report (`alignments`), as passim's pairwise output. */
  alignments: z.boolean({ error: 'must be a boolean' }).default(false),
});
export type ScanOptions = z.input<typeof scanOptionsSchema>;
export type ResolvedScanOptions = z.output<typeof scanOptionsSchema>;

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (value === undefined) return 'undefined';
  try { return JSON.stringify(value); } catch { return typeof value; }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** Parse options with a schema; a bad value throws ReprintError naming the option, the rule and the value. */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, where = 'options'): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys: string[] }).keys;
    throw new ReprintError(ErrorCode.INVALID_OPTION, `unknown option ${keys.map((k) => JSON.stringify(k)).join(', ')} in ${where}`);
  }
  const name = issue.path.length ? issue.path.map(String).join('.') : where;
  throw new ReprintError(ErrorCode.INVALID_OPTION, `${name} ${issue.message}, got ${describe(valueAt(input, issue.path))}`);
}
