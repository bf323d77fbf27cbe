/**
 * Worker thread: prepares the batches the pool sends (texts as UTF-8 in one buffer, or raw JSONL
 * lines it parses itself) and sends the results back packed (`BatchPreparer`).
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { ResolvedScanOptions } from './options.js';
import { BatchPreparer, type BatchMessage } from './pool.js';

const { options, ready, finished, index } = workerData as { options: ResolvedScanOptions; ready: MessagePort; finished: Int32Array; index: number };
const preparer = new BatchPreparer(options);

parentPort!.on('message', (msg: BatchMessage & { seq: number }) => {
  const result = preparer.run(msg);
  // the pool reads this count to tell whether this worker is still busy
  Atomics.add(finished, index, 1);
  // the text buffer goes back too, for the pool to reuse
  const buf = 'buf' in msg ? msg.buf : undefined, moved: ArrayBuffer[] = [result.packed.scratch];
  // tokens in the shared arena are shared, not moved: this thread goes on filling the arena
  if (result.packed.tokens instanceof ArrayBuffer) moved.push(result.packed.tokens);
  if (buf) moved.push(buf);
  if (result.sigs) moved.push(result.sigs.buffer as ArrayBuffer);
  if (result.texts) moved.push(result.texts.bytes.buffer as ArrayBuffer);
  parentPort!.postMessage({ seq: msg.seq, ...result, text: buf }, moved);
});
// loaded: the pool sends batches from now on
ready.postMessage(1);
