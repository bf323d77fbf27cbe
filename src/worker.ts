/** Worker thread: runs `prepare` for batches of texts (UTF-8 in one buffer) sent by the pool, and sends the results back packed (`BatchPacker`). */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { planOf, prepareBytes } from './prepare.js';
import { createFingerprints } from './kernel.js';
import type { ResolvedScanOptions } from './options.js';
import { BatchPacker } from './pool.js';
import { createTokens } from './tokenize.js';

const { options, ready } = workerData as { options: ResolvedScanOptions; ready: MessagePort };
const plan = planOf(options);
const arena = createTokens(1 << 14);
// a corpus's scratch: the kernel also finds each document's repeats, and the signature array is reused
const fp = createFingerprints(true);
const packer = new BatchPacker();

parentPort!.on('message', (msg: { seq: number; buf: ArrayBuffer; offs: Int32Array; scratch?: ArrayBuffer }) => {
  const packed = packer.pack(new Uint8Array(msg.buf), msg.offs, (bytes, units, store) => prepareBytes(bytes, units, options, plan, arena, fp, store), msg.scratch);
  // the text buffer goes back too, for the pool to reuse
  parentPort!.postMessage({ seq: msg.seq, ...packed, text: msg.buf }, [packed.tokens, packed.scratch, msg.buf]);
});
// loaded: the pool sends batches from now on
ready.postMessage(1);
