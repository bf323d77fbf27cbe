/** Worker thread for a docs segment's writer: compresses the pages it is sent (brotli) and sends them back, in order. */
import { parentPort } from 'node:worker_threads';
import { brotliCompressSync, constants } from 'node:zlib';

// a small window and the fastest setting: a page is 32 KB, compressed on its own (for point reads)
export const BROTLI_OPTIONS = { params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_LGWIN]: 17, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } };

parentPort?.on('message', (msg: { seq: number; page: Uint8Array }) => {
  const out = brotliCompressSync(msg.page, BROTLI_OPTIONS);
  const copy = new Uint8Array(out.length);
  copy.set(out);
  parentPort!.postMessage({ seq: msg.seq, data: copy }, [copy.buffer]);
});
