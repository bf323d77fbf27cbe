/**
 * Worker threads for the per-document stages (tokenize, seeds, fingerprints, signature). Documents
 * go out round-robin with a bounded number in flight and come back in input order, so the corpus
 * sees exactly the sequence it would with one thread.
 */
import { Worker } from 'node:worker_threads';
import type { InputDocument, Prepared } from './corpus.js';
import { ErrorCode, ReprintError } from './errors.js';
import type { ResolvedScanOptions } from './options.js';

export interface PreparePool {
  map(docs: Iterable<InputDocument> | AsyncIterable<InputDocument>): AsyncGenerator<[InputDocument, Prepared]>;
  close(): Promise<void>;
}

/** Documents in flight per worker: enough to hide latency, few enough to bound memory. */
const IN_FLIGHT = 16;

export function preparePool(options: ResolvedScanOptions): PreparePool {
  const url = new URL('./worker.js', import.meta.url);
  const workers = Array.from({ length: options.jobs }, () => new Worker(url, { workerData: options }));
  const waiting = new Map<number, { resolve: (p: Prepared) => void; reject: (e: Error) => void }>();
  for (const w of workers) {
    w.on('message', (msg: { seq: number; prepared: Prepared }) => {
      const cb = waiting.get(msg.seq);
      waiting.delete(msg.seq);
      cb?.resolve(msg.prepared);
    });
    w.on('error', (err) => { for (const cb of waiting.values()) cb.reject(err); waiting.clear(); });
  }
  return {
    async *map(docs) {
      const queue: [InputDocument, Promise<Prepared>][] = [];
      let seq = 0;
      for await (const doc of docs as AsyncIterable<InputDocument>) {
        if (doc === null || typeof doc !== 'object' || typeof doc.id !== 'string' || typeof doc.text !== 'string') {
          throw new ReprintError(ErrorCode.INVALID_INPUT, `document ${seq + 1} must be { id: string, text: string }`);
        }
        const s = seq++;
        const promise = new Promise<Prepared>((resolve, reject) => waiting.set(s, { resolve, reject }));
        workers[s % workers.length]!.postMessage({ seq: s, text: doc.text });
        queue.push([doc, promise]);
        if (queue.length >= IN_FLIGHT * workers.length) {
          const [d, p] = queue.shift()!;
          yield [d, await p];
        }
      }
      while (queue.length) {
        const [d, p] = queue.shift()!;
        yield [d, await p];
      }
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
