/** `scan`: run a whole corpus through a Corpus and return the report, on worker threads when jobs > 1. */
import { Corpus, type InputDocument } from './corpus.js';
import { ErrorCode, ReprintError } from './errors.js';
import type { ScanOptions } from './options.js';
import { reportOf } from './assemble.js';
import type { Report, ReportParts } from './report.js';
import type { LineBlock, LineFields } from './input.js';
import { preparePool, type PreparePool, type PreparedBatch } from './pool.js';
import { reserveOnce } from './tables.js';

export type Documents = Iterable<InputDocument> | AsyncIterable<InputDocument>;

export interface ScanHooks {
  /** Called after each document with the number added so far and the characters read. */
  onProgress?: (docs: number, chars: number) => void;
}

/**
 * Scan documents for repeated passages (inside and across documents) and near-duplicate pairs
 * and clusters. Results with `jobs: n` are identical to `jobs: 1`: workers only run the
 * per-document stages, and documents enter the corpus in input order.
 */
export async function scan(docs: Documents, options: ScanOptions = {}, hooks: ScanHooks = {}): Promise<Report> {
  return reportOf(await scanParts(docs, options, hooks));
}

/** `scan`'s report in parts, for a caller that writes its JSON without making its objects (the CLI). */
export async function scanParts(docs: Documents, options: ScanOptions = {}, hooks: ScanHooks = {}): Promise<ReportParts> {
  const corpus = new Corpus(options);
  if (docs === null || typeof docs !== 'object' || (!(Symbol.iterator in docs) && !(Symbol.asyncIterator in docs))) {
    throw new ReprintError(ErrorCode.INVALID_INPUT, `documents must be an Iterable or AsyncIterable of { id, text }, got ${docs === null ? 'null' : typeof docs}`);
  }
  const progress = counter(hooks);
  if (corpus.options.jobs <= 1) {
    // a synchronous iterable is read without a promise per document
    if (Symbol.iterator in docs) for (const doc of docs) { corpus.ingest(doc); progress(doc.text.length); }
    else for await (const doc of docs) { corpus.ingest(doc); progress(doc.text.length); }
  } else await pooled(corpus, (pool) => pool.batches(docs), progress);
  return corpus.reportParts();
}

/**
 * `scan` of JSONL files given as blocks of raw lines (`jsonlBlocks`), on worker threads that parse
 * the lines themselves (jobs > 1): the CLI's path for JSONL input, the same report as `scan` of
 * `readInputs`, and errors that name the same file and line.
 */
export async function scanLines(blocks: AsyncIterable<LineBlock>, fields: LineFields, options: ScanOptions, hooks: ScanHooks = {}): Promise<ReportParts> {
  const corpus = new Corpus(options);
  await pooled(corpus, (pool) => pool.lineBatches(blocks, fields), counter(hooks));
  return corpus.reportParts();
}

/** `hooks.onProgress` called with the documents and characters so far, given each document's length. */
function counter(hooks: ScanHooks): (length: number) => void {
  let n = 0, chars = 0;
  return (length) => { n++; chars += length; hooks.onProgress?.(n, chars); };
}

/** Add the batches a pool prepares (`batchesOf`) to the corpus in order. */
async function pooled(corpus: Corpus, batchesOf: (pool: PreparePool) => AsyncGenerator<PreparedBatch>, progress: (length: number) => void): Promise<void> {
  // a batch's texts are not needed once a worker has them
  const pool = preparePool(corpus.options, { keepTexts: false });
  const reserve = reserveOnce();
  try {
    for await (const b of batchesOf(pool)) {
      // a batch no worker was ready for is prepared here
      for (let i = 0; i < b.ids.length; i++) {
        if (b.prepared) { corpus.ingestPrepared(b.ids[i]!, b.prepared[i]!); progress(b.prepared[i]!.chars); } else { corpus.ingest(b.docs[i]!); progress(b.docs[i]!.text.length); }
      }
      // with the input's size known, the indexes grow once, as its first megabytes say they will
      corpus.reserve(reserve(b.input));
    }
  } finally {
    await pool.close();
  }
}
