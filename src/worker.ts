/** Worker thread: runs `prepare` for batches of texts sent by the pool and transfers the typed arrays back. */
import { parentPort, workerData } from 'node:worker_threads';
import { planOf, prepare } from './corpus.js';
import type { ResolvedScanOptions } from './options.js';
import { createFingerprints } from './kernel.js';
import { createTokens } from './tokenize.js';

const options = workerData as ResolvedScanOptions;
const plan = planOf(options);
const arena = createTokens(1 << 14);
const fp = createFingerprints();

parentPort!.on('message', (msg: { seq: number; texts: string[] }) => {
  const transfer: ArrayBufferLike[] = [];
  const prepared = msg.texts.map((text) => {
    const p = prepare(text, options, plan, arena, fp);
    // seeds and marks are views of scratch, signatures of shared chunks: give each its own buffer
    p.seeds = p.seeds.slice(); p.marks = p.marks.slice(); p.signature = p.signature.slice();
    transfer.push(p.tokens.hashes.buffer, p.seeds.buffer, p.marks.buffer, p.signature.buffer);
    return p;
  });
  parentPort!.postMessage({ seq: msg.seq, prepared }, transfer as ArrayBuffer[] as never[]);
});
