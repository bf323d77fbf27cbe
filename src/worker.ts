/**
 * Worker thread: runs `prepare` for batches sent by the pool, texts as UTF-8 in one buffer or raw
 * JSONL lines it parses itself, and sends the results back packed (`BatchPacker`).
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { lineDocument, splitLines, type LineFields } from './input.js';
import { planOf, prepare, prepareBytes } from './prepare.js';
import { createFingerprints } from './kernel.js';
import type { ResolvedScanOptions } from './options.js';
import { BatchPacker, type Packed } from './pool.js';
import { createTokens } from './tokenize.js';

const { options, ready } = workerData as { options: ResolvedScanOptions; ready: MessagePort };
const plan = planOf(options);
const arena = createTokens(1 << 14);
// a corpus's scratch: the kernel also finds each document's repeats, and the signature array is reused
const fp = createFingerprints(true);
const packer = new BatchPacker();

interface Texts { seq: number; buf: ArrayBuffer; scratch?: ArrayBuffer; offs: Int32Array }
interface Lines { seq: number; buf: ArrayBuffer; scratch?: ArrayBuffer; len: number; fields: LineFields }

parentPort!.on('message', (msg: Texts | Lines) => {
  let packed: Packed, extra = {};
  if ('offs' in msg) {
    packed = packer.pack(new Uint8Array(msg.buf), msg.offs, (bytes, units, store) => prepareBytes(bytes, units, options, plan, arena, fp, store), msg.scratch);
  } else {
    // the documents of the lines up to the first bad one, which the pool names once it is reached in order
    const lines = splitLines(Buffer.from(msg.buf, 0, msg.len));
    const ids: string[] = [], texts: string[] = [];
    let bad: { line: number; reason: string } | undefined;
    for (let i = 0; i < lines.length; i++) {
      const d = lineDocument(lines[i]!, msg.fields);
      if (typeof d === 'string') { bad = { line: i + 1, reason: d }; break; }
      if (d) { ids.push(d.id); texts.push(d.text); }
    }
    packed = packer.packEach(texts.length, (i) => texts[i]!.length, (i) => prepare(texts[i]!, options, plan, arena, fp, packer), msg.scratch);
    extra = bad ? { ids, lines: lines.length, bad } : { ids, lines: lines.length };
  }
  // the text buffer goes back too, for the pool to reuse
  parentPort!.postMessage({ seq: msg.seq, ...packed, ...extra, text: msg.buf }, [packed.tokens, packed.scratch, msg.buf]);
});
// loaded: the pool sends batches from now on
ready.postMessage(1);
