// The public API, named one by one. Everything else is internal (reachable, unstable, through
// 'reprint/internal' for the benchmark and tests).

// the whole job, and a corpus that grows
export { scan, type Documents, type ScanHooks } from './scan.js';
export { Corpus, type AddResult, type InputDocument, type PassageMatch } from './corpus.js';

// a corpus that grows on disk, batch by batch, and the stage SQL it runs (for other engines)
export { openIndex, type ReprintIndex, type IndexSettings, type IndexStats, type BatchDocuments } from './persistent.js';
export { printSql, type Dialect } from './stages.js';

// the engine's parts: signatures, LSH and its parameters, shingle sets
export { MinHasher } from './hasher.js';
export { EMPTY, type TextInput } from './minhash.js';
export { LshIndex, optimalParams, recallParams, candidateProbability, type Match } from './lsh.js';
export { textShingleSet, jaccard } from './shingle.js';
export { tokenize, type Tokens } from './tokenize.js';
export { normalize, type Normalized } from './normalize.js';
export { useKernel, kernelAvailable } from './kernel.js';

// options, defaults and errors
export { DEFAULTS } from './defaults.js';
export {
  scanOptionsSchema, hasherOptionsSchema, lshOptionsSchema,
  type ScanOptions, type ResolvedScanOptions, type HasherOptions, type ResolvedHasherOptions, type LshOptions, type ResolvedLshOptions,
} from './options.js';
export { ReprintError, ErrorCode } from './errors.js';

// the report
export {
  reportSchema, reportJsonSchema,
  type Report, type Repeat, type Copy, type Passage, type Occurrence, type Alignment, type NearDuplicate, type Cluster, type DocumentInfo,
} from './report.js';

// what the command line does with a report
export { planClean, cleanDocuments, type CleanOptions, type CleanPlan, type CleanResult, type Removal } from './clean.js';
export { formatText, type FormatOptions } from './format.js';
export { formatHtml, type HtmlOptions } from './html.js';
export { passageChart } from './chart.js';
export { readInputs, type InputOptions } from './input.js';
