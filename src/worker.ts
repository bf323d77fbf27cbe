/** Worker thread: runs `prepare` for batches of texts sent by the pool and transfers the typed arrays back. */
import { parentPort, workerData } from 'node:worker_threads';
import { planOf, prepare } from './corpus.js';
import type { ResolvedScanOptions } from './options.js';
import { createTokens } from './tokenize.js';

const options = workerData as ResolvedScanOptions;
const plan = planOf(options);
const arena = createTokens(1 << 14);

parentPort!.on('message', (msg: { seq: number; texts: string[] }) => {
  const prepared = msg.texts.map((text) => prepare(text, options, plan, arena));
  const transfer: ArrayBufferLike[] = [];
  for (const p of prepared) {
    // signatures are views on shared chunks: give each its own buffer to transfer
    p.signature = p.signature.slice();
    transfer.push(p.tokens.hashes.buffer, p.tokens.xs.buffer, p.tokens.xe.buffer, p.seeds.buffer, p.marks.buffer, p.signature.buffer);
  }
  parentPort!.postMessage({ seq: msg.seq, prepared }, transfer as ArrayBuffer[] as never[]);
});
