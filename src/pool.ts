/**
 * Worker threads for the per-document stages (tokenize, seeds, fingerprints, signature).
 * Documents go out in batches, round-robin, with a bounded number of batches in flight, and come
 * back in input order, so the corpus sees exactly the sequence it would with one thread. A batch
 * travels as one buffer each way: its texts as UTF-8 (`TextEncoder.encodeInto`, far cheaper than
 * cloning strings), and its results packed (`packPrepared`), so a message moves no per-document
 * objects or buffers.
 */
import { Worker } from 'node:worker_threads';
import { checkDocument, type InputDocument, type Prepared } from './corpus.js';
import type { ResolvedScanOptions } from './options.js';
import { carve, tokenBytes } from './passages.js';

export interface PreparePool {
  map(docs: Iterable<InputDocument> | AsyncIterable<InputDocument>): AsyncGenerator<[InputDocument, Prepared]>;
  close(): Promise<void>;
}

/** A batch closes at this many documents or characters: one message costs far more than one document. */
const BATCH_DOCS = 256;
const BATCH_CHARS = 1 << 20;
/** Batches in flight per worker: enough to keep it busy, few enough to bound memory. */
const IN_FLIGHT = 3;

const encoder = new TextEncoder();

/** A batch of Prepared in one buffer: per document (n, seeds, marks, chars) in `head`, escapes aside. */
export interface Packed { buf: ArrayBuffer; head: Int32Array; escapes: (Int32Array | null)[] }

/** Bytes of one packed document: its kept tokens as a TokenStore lays them out, then seeds, marks and signature. */
function packedBytes(n: number, seeds: number, marks: number, k: number): number {
  return tokenBytes(n) + 4 * seeds + 4 * marks + 4 * k;
}

/** Pack a batch of Prepared (signatures of k values) into one transferable buffer. */
export function packPrepared(list: Prepared[], k: number): Packed {
  let size = 0;
  for (const p of list) size += packedBytes(p.tokens.n, p.seeds.length, p.marks.length, k);
  const buf = new ArrayBuffer(size), head = new Int32Array(4 * list.length);
  let at = 0;
  list.forEach((p, i) => {
    const n = p.tokens.n;
    head[4 * i] = n; head[4 * i + 1] = p.seeds.length; head[4 * i + 2] = p.marks.length; head[4 * i + 3] = p.chars;
    const t = carve(buf, at, n);
    t.hashes.set(p.tokens.hashes); t.anchors.set(p.tokens.anchors); t.bytes.set(p.tokens.bytes); at += tokenBytes(n);
    new Uint32Array(buf, at, p.seeds.length).set(p.seeds); at += 4 * p.seeds.length;
    new Int32Array(buf, at, p.marks.length).set(p.marks); at += 4 * p.marks.length;
    new Uint32Array(buf, at, k).set(p.signature); at += 4 * k;
  });
  return { buf, head, escapes: list.map((p) => p.tokens.escapes) };
}

/** The Prepared of a packed batch, as views of its buffer. */
export function unpackPrepared(m: Packed, k: number): Prepared[] {
  const out: Prepared[] = [];
  let at = 0;
  for (let i = 0; i < m.head.length / 4; i++) {
    const n = m.head[4 * i]!, ns = m.head[4 * i + 1]!, nm = m.head[4 * i + 2]!;
    const tokens = carve(m.buf, at, n); at += tokenBytes(n);
    tokens.escapes = m.escapes[i] ?? null;
    const seeds = new Uint32Array(m.buf, at, ns); at += 4 * ns;
    const marks = new Int32Array(m.buf, at, nm); at += 4 * nm;
    const signature = new Uint32Array(m.buf, at, k); at += 4 * k;
    out.push({ chars: m.head[4 * i + 3]!, tokens, seeds, marks, signature });
  }
  return out;
}

export function preparePool(options: ResolvedScanOptions): PreparePool {
  const url = new URL('./worker.js', import.meta.url);
  // the calling thread does the corpus-wide work, so jobs: n runs n - 1 workers beside it
  const workers = Array.from({ length: Math.max(1, options.jobs - 1) }, () => new Worker(url, { workerData: options }));
  const waiting = new Map<number, { resolve: (p: Prepared[]) => void; reject: (e: Error) => void }>();
  // text buffers the workers sent back, for the next batches
  const spare: ArrayBuffer[] = [];
  for (const w of workers) {
    w.on('message', (msg: Packed & { seq: number; text: ArrayBuffer }) => {
      const cb = waiting.get(msg.seq);
      waiting.delete(msg.seq);
      if (spare.length < 2 * IN_FLIGHT * workers.length) spare.push(msg.text);
      cb?.resolve(unpackPrepared(msg, options.numPerm));
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
        // texts as UTF-8, one after another: (start, bytes, UTF-16 length) for each, in a buffer
        // a worker gave back if one is large enough (fresh memory costs page faults)
        const free = spare.findIndex((b) => b.byteLength >= chars * 3);
        const buf = new Uint8Array(free >= 0 ? spare.splice(free, 1)[0]! : new ArrayBuffer(Math.max(chars * 3, 1 << 16)));
        const offs = new Int32Array(3 * batch.length);
        let at = 0;
        batch.forEach((d, i) => {
          const { written } = encoder.encodeInto(d.text, buf.subarray(at));
          offs[3 * i] = at; offs[3 * i + 1] = written; offs[3 * i + 2] = d.text.length;
          at += written;
        });
        workers[s % workers.length]!.postMessage({ seq: s, buf: buf.buffer, offs }, [buf.buffer]);
        queue.push([batch, promise]);
        batch = []; chars = 0;
      };
      for await (const doc of docs as AsyncIterable<InputDocument>) {
        checkDocument(doc, ++count);
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
