/** Worker thread: runs `prepare` for batches of texts (UTF-8 in one buffer) sent by the pool, and sends the results back packed in one buffer. */
import { parentPort, workerData } from 'node:worker_threads';
import { planOf, prepareBytes, type Prepared } from './corpus.js';
import { createFingerprints } from './kernel.js';
import type { ResolvedScanOptions } from './options.js';
import { packPrepared } from './pool.js';
import { createTokens } from './tokenize.js';

const options = workerData as ResolvedScanOptions;
const plan = planOf(options);
const arena = createTokens(1 << 14);
const fp = createFingerprints();

parentPort!.on('message', (msg: { seq: number; buf: ArrayBuffer; offs: Int32Array }) => {
  const bytes = new Uint8Array(msg.buf), offs = msg.offs;
  const prepared: Prepared[] = [];
  for (let i = 0; i < offs.length; i += 3) {
    // seeds and marks are views of the scratch the next document reuses: packing copies them first
    prepared.push(prepareBytes(bytes.subarray(offs[i]!, offs[i]! + offs[i + 1]!), offs[i + 2]!, options, plan, arena, fp));
    const p = prepared[prepared.length - 1]!;
    p.seeds = p.seeds.slice(); p.marks = p.marks.slice();
  }
  const packed = packPrepared(prepared, options.numPerm);
  // the text buffer goes back too, for the pool to reuse
  parentPort!.postMessage({ seq: msg.seq, ...packed, text: msg.buf }, [packed.buf, msg.buf]);
});
