/**
 * Worker threads for the per-document stages (tokenize, seeds, fingerprints, signature).
 * Documents go out in batches, round-robin, with a bounded number of batches in flight, and come
 * back in input order, so the corpus sees exactly the sequence it would with one thread.
 */
import { Worker } from 'node:worker_threads';
import type { InputDocument, Prepared } from './corpus.js';
import { ErrorCode, ReprintError } from './errors.js';
import type { ResolvedScanOptions } from './options.js';

export interface PreparePool {
  map(docs: Iterable<InputDocument> | AsyncIterable<InputDocument>): AsyncGenerator<[InputDocument, Prepared]>;
  close(): Promise<void>;
}

/** A batch closes at this many documents or characters: one message costs far more than one document. */
const BATCH_DOCS = 256;
const BATCH_CHARS = 1 << 20;
/** Batches in flight per worker: enough to keep it busy, few enough to bound memory. */
const IN_FLIGHT = 3;

export function preparePool(options: ResolvedScanOptions): PreparePool {
  const url = new URL('./worker.js', import.meta.url);
  // the calling thread does the corpus-wide work, so jobs: n runs n - 1 workers beside it
  const workers = Array.from({ length: Math.max(1, options.jobs - 1) }, () => new Worker(url, { workerData: options }));
  const waiting = new Map<number, { resolve: (p: Prepared[]) => void; reject: (e: Error) => void }>();
  for (const w of workers) {
    w.on('message', (msg: { seq: number; prepared: Prepared[] }) => {
      const cb = waiting.get(msg.seq);
      waiting.delete(msg.seq);
      cb?.resolve(msg.prepared);
    });
    w.on('error', (err) => { for (const cb of waiting.values()) cb.reject(err); waiting.clear(); });
  }
  return {
    async *map(docs) {
      const queue: [InputDocument[], Promise<Prepared[]>][] = [];
      let seq = 0, count = 0, batch: InputDocument[] = [], chars = 0;
      const send = () => {
        const s = seq++;
        const promise = new Promise<Prepared[]>((resolve, reject) => waiting.set(s, { resolve, reject }));
        workers[s % workers.length]!.postMessage({ seq: s, texts: batch.map((d) => d.text) });
        queue.push([batch, promise]);
        batch = []; chars = 0;
      };
      for await (const doc of docs as AsyncIterable<InputDocument>) {
        count++;
        if (doc === null || typeof doc !== 'object' || typeof doc.id !== 'string' || typeof doc.text !== 'string') {
          throw new ReprintError(ErrorCode.INVALID_INPUT, `document ${count} must be { id: string, text: string }`);
        }
        batch.push(doc);
        chars += doc.text.length;
        if (batch.length >= BATCH_DOCS || chars >= BATCH_CHARS) send();
        while (queue.length >= IN_FLIGHT * workers.length) {
          const [ds, p] = queue.shift()!;
          const prepared = await p;
          for (let i = 0; i < ds.length; i++) yield [ds[i]!, prepared[i]!];
        }
      }
      if (batch.length) send();
      while (queue.length) {
        const [ds, p] = queue.shift()!;
        const prepared = await p;
        for (let i = 0; i < ds.length; i++) yield [ds[i]!, prepared[i]!];
      }
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
