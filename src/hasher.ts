/**
 * The public MinHasher: a caller's options parsed at the boundary, then a `SignatureHasher`.
 * Apart from minhash.ts, so that worker threads, which only sketch, never load zod.
 */
import { SignatureHasher } from './minhash.js';
import { hasherOptionsSchema, parseOptions, type HasherOptions } from './options.js';

/** MinHash signatures of texts, word or character shingles (see `SignatureHasher` for the method). */
export class MinHasher extends SignatureHasher {
  constructor(options: HasherOptions = {}) {
    super(parseOptions(hasherOptionsSchema, options, 'MinHasher options'));
  }
}
