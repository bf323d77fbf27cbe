/** Every default in one place; the zod schemas in options.ts reuse these names. */

/** Number of MinHash bins/permutations per signature. */
export const DEFAULT_NUM_PERM = 128;
/** Words per shingle for MinHash (the k of word k-shingles). */
export const DEFAULT_SHINGLE_SIZE = 5;
/** Characters per shingle when `shingle: 'char'`. */
export const DEFAULT_CHAR_NGRAM = 5;
/** Seed of every hash function; signatures are deterministic for a seed on any machine. */
export const DEFAULT_SEED = 1;
/**
 * Whether words fold every decimal digit to 0. Off: on real text folding made tables of figures,
 * version lists and URL-encoded junk look alike and put them in passages with unrelated rows.
 */
export const DEFAULT_FOLD_DIGITS = false;
/** Jaccard similarity at or above which two documents are near-duplicates. */
export const DEFAULT_THRESHOLD = 0.8;
/**
 * Shortest repeated passage, in words. 20 words is about one news sentence: shorter shared runs are
 * mostly stock phrases and quotes, longer ones are copied text. ExactSubstr uses 50 BPE tokens (about
 * 38 words) for language-model data; 20 keeps short boilerplate blocks and paragraph-level reuse.
 */
export const DEFAULT_MIN_WORDS = 20;
/** Lowest token-level similarity for two spans to count as the same passage (near-exact repeats). */
export const DEFAULT_PASSAGE_SIMILARITY = 0.8;
/** Words per seed k-gram used to anchor passage alignment. */
export const DEFAULT_SEED_WORDS = 5;
/**
 * Winnowing window (in seeds) for the cross-document fingerprint index; a run of seedWords +
 * window - 1 words is always seen. 5 and 11 see every shared run of 15 words (under minWords, so
 * an exact repeat of a passage is never missed) with about 2/12 of the seeds as fingerprints
 * (bench/README.md has the settings measured against it).
 */
export const DEFAULT_WINNOW_WINDOW = 11;
/** Postings kept per fingerprint; beyond it a fingerprint is counted, not indexed (boilerplate stays linear). */
export const DEFAULT_MAX_POSTINGS = 4;
/** Earlier documents a new document is aligned against, best-anchored first. */
export const DEFAULT_MAX_CANDIDATES = 8;
/**
 * Fingerprints an earlier document must share with a new one to be aligned with it (or half of
 * the new one's, when it has few: a short or periodic text): a single shared fingerprint is mostly
 * a chance five-word match, and aligning each one reads earlier documents at random
 * (bench/README.md has the measurement).
 */
export const DEFAULT_MIN_CANDIDATE_HITS = 2;
/**
 * Earlier documents a new document's near-duplicate candidates are verified against: those sharing
 * the most LSH bands with it, the newest first among equals. It bounds the work and the pairs a
 * document adds: 20,000 copies of one page make one cluster and at most 16 pairs a copy, not 200
 * million pairs. Clusters still join every copy; a cluster of more than 17 documents lists only
 * some of its pairs.
 */
export const DEFAULT_MAX_PAIR_CANDIDATES = 16;
/** Largest gap (in words, either side) bridged when chaining exact runs into one near-exact passage. */
export const DEFAULT_MAX_GAP = 24;
/** Threads for a scan: n - 1 workers run the per-document stages beside the calling thread; 1 runs everything on it. */
export const DEFAULT_JOBS = 1;
/** LSH weights of the false-positive and false-negative areas when bands/rows come from a threshold. */
export const DEFAULT_FP_WEIGHT = 0.5;
export const DEFAULT_FN_WEIGHT = 0.5;

/** Every default by the option it belongs to (what `scan`, `Corpus`, `MinHasher` and `LshIndex` use when an option is left out). */
export const DEFAULTS = Object.freeze({
  numPerm: DEFAULT_NUM_PERM,
  shingleSize: DEFAULT_SHINGLE_SIZE,
  charNgram: DEFAULT_CHAR_NGRAM,
  seed: DEFAULT_SEED,
  foldDigits: DEFAULT_FOLD_DIGITS,
  threshold: DEFAULT_THRESHOLD,
  minWords: DEFAULT_MIN_WORDS,
  passageSimilarity: DEFAULT_PASSAGE_SIMILARITY,
  seedWords: DEFAULT_SEED_WORDS,
  winnowWindow: DEFAULT_WINNOW_WINDOW,
  maxPostings: DEFAULT_MAX_POSTINGS,
  maxCandidates: DEFAULT_MAX_CANDIDATES,
  minCandidateHits: DEFAULT_MIN_CANDIDATE_HITS,
  maxPairCandidates: DEFAULT_MAX_PAIR_CANDIDATES,
  maxGap: DEFAULT_MAX_GAP,
  jobs: DEFAULT_JOBS,
  weights: Object.freeze([DEFAULT_FP_WEIGHT, DEFAULT_FN_WEIGHT] as const),
});
