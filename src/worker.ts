/** Worker thread: runs `prepare` for documents sent by the pool and transfers the typed arrays back. */
import { parentPort, workerData } from 'node:worker_threads';
import { planOf, prepare } from './corpus.js';
import type { ResolvedScanOptions } from './options.js';
import { createTokens } from './tokenize.js';

const options = workerData as ResolvedScanOptions;
const plan = planOf(options);
const arena = createTokens(1 << 14);

parentPort!.on('message', (msg: { seq: number; text: string }) => {
  const p = prepare(msg.text, options, plan, arena);
  const transfer = [p.tokens.hashes.buffer, p.tokens.xs.buffer, p.tokens.xe.buffer, p.seeds.buffer, p.marks.buffer, p.signature.buffer] as ArrayBuffer[];
  parentPort!.postMessage({ seq: msg.seq, prepared: p }, transfer);
});
