/**
 * Worker threads for the per-document stages (tokenize, seeds, fingerprints, signature), of new
 * documents and of an index's earlier ones read back from their pages.
 * Documents go out in batches, round-robin, with a bounded number of batches in flight, and come
 * back in input order, so the corpus sees exactly the sequence it would with one thread. Until a
 * worker has loaded, batches are handed back unprepared and the calling thread prepares them; while
 * a worker has its batches in hand, the calling thread prepares the next ones itself. A batch
 * travels as one buffer each way: its texts as UTF-8 (`TextEncoder.encodeInto`, far cheaper than
 * cloning strings) or raw JSONL lines that the worker parses, and its results packed
 * (`BatchPacker`): kept tokens in one buffer, the rest in a scratch buffer that goes back and
 * forth. A message moves no per-document objects or buffers.
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { ErrorCode, ReprintError } from './errors.js';
import { parseLines, type LineBlock, type LineFields } from './input.js';
import { createFingerprints } from './kernel.js';
import { DocsReader } from './parquet.js';
import { checkDocument, planOf, prepare, prepareBytes, utf16Units, type InputDocument, type Prepared } from './prepare.js';
import type { ResolvedScanOptions } from './options.js';
import { SeedTable, createRepeats, type Repeats } from './seeds.js';
import { grown } from './tables.js';
import { carve, tokenBytes, type DocTokens } from './tokens.js';
import { createTokens } from './tokenize.js';

/**
 * A batch of documents in input order with their per-document stages, or with none (`prepared`
 * null) when no worker was ready for it: the caller runs those stages itself on `docs`. `ids` are
 * the documents' ids; `docs` the documents, or none once a worker has their texts, from a pool
 * made with `keepTexts: false` (the texts then die young instead of outliving batches in flight).
 * `input`, when the input's size is known: how much of it was read up to the end of this batch
 * and how much follows (bytes of JSONL lines, or characters of an array's texts).
 */
export interface PreparedBatch { ids: string[]; docs: InputDocument[]; prepared: Prepared[] | null; sigs?: Uint32Array; texts?: Utf8Texts; input?: InputShare }

/** Input read so far and still to come, in one unit (bytes or characters). */
export interface InputShare { read: number; rest: number }

/** Texts as UTF-8 one after another: per text (start, bytes, UTF-16 length) in `offs`. */
export interface Utf8Texts { bytes: Uint8Array; offs: Int32Array }

/**
 * Rows of an index's docs segment (ascending row numbers in the file) to read and prepare: the
 * earlier documents an index add aligns its batch with. `sig`: their stored signatures too.
 */
export interface ReadJob { file: string; rows: Int32Array; sig: boolean }

export interface PreparePool {
  /**
   * The documents in input order with their per-document stages, a batch at a time (one promise
   * per batch, not per document). A batch's signatures and repeats stay valid until the next
   * batch is asked for.
   */
  batches(docs: Iterable<InputDocument> | AsyncIterable<InputDocument>): AsyncGenerator<PreparedBatch>;
  /**
   * The same from blocks of raw JSONL lines: workers parse the lines themselves (read with
   * `fields`), so the calling thread never decodes or parses a text. Errors name the file and line,
   * as `readInputs` does, once the documents before the line have been yielded. With `texts`, a
   * batch a worker prepared brings its texts as UTF-8 (`texts`; the others, `docs`).
   */
  lineBatches(blocks: AsyncIterable<LineBlock>, fields: LineFields, texts?: boolean): AsyncGenerator<PreparedBatch>;
  /**
   * Documents read from docs segments and prepared, a batch per job in the jobs' order, with their
   * ids (and signatures, `sigs`, k per document, when a job asks). Workers that have started take
   * jobs; this never starts them.
   */
  readBatches(jobs: Iterable<ReadJob>): AsyncGenerator<PreparedBatch>;
  /** Start the workers now if they have not started, and resolve once one has loaded (reject if one fails first): batches closed from then on go to workers. */
  ready(): Promise<void>;
  /** Whether the workers have been started. */
  readonly started: boolean;
  close(): Promise<void>;
}

/** A batch closes at this many documents or characters (or bytes of JSONL lines): one message costs far more than one document. */
const BATCH_DOCS = 256;
const BATCH_CHARS = 1 << 20;
const LF = 0x0a;
/** Batches in flight per worker: enough to keep it busy, few enough to bound memory. */
const IN_FLIGHT = 3;

const encoder = new TextEncoder();

/**
 * A batch's results in two buffers: every document's kept tokens one after another in `tokens`
 * from byte `tokensAt` (as `carve` lays them out; the corpus keeps this buffer), and their
 * signatures and repeats (`Repeats`: pairs, then fingerprint keys and positions) in `scratch`
 * (read once while the batch is added, then given back to a worker to fill again). Per document
 * (tokens, chars, repeat pairs, fingerprints) in `head`, escapes aside. Seeds and marks stay
 * behind: the repeats found from them are what the corpus reads.
 */
export interface Packed { tokens: ArrayBuffer | SharedArrayBuffer; tokensAt: number; scratch: ArrayBuffer; head: Int32Array; escapes: (Int32Array | null)[] }

const NO_REPEATS = createRepeats();
/** Seeds and marks of every unpacked document: none (its repeats come found). */
const NO_SEEDS = new Uint32Array(0), NO_MARKS = new Int32Array(0);
/** Bytes of a shared arena of kept tokens (`BatchPacker.kept`). */
const ARENA_BYTES = 32 << 20;

/** Ints per document in a packed batch's head. */
const HEAD = 4;

/**
 * The worker side of a batch: documents are prepared into staging memory reused from batch to
 * batch, then the kept tokens leave in one copy (`kept`) and the rest in a scratch buffer (one
 * the pool gave back when it is large enough). Fresh memory is touched once, for what is kept.
 */
export class BatchPacker {
  private stage = new ArrayBuffer(0);
  private used = 0;
  // new documents' kept tokens, one batch after another (see `kept`)
  private arena = new SharedArrayBuffer(0);
  private arenaUsed = 0;
  // signature and repeats of each document of the batch, one after another
  private mix = new Uint32Array(1 << 16);
  private mixed = 0;
  // repeats of documents the kernel did not take (the JavaScript path)
  private readonly seedTable = new SeedTable();
  private readonly repeats = createRepeats();

  /** Token arrays for a document of the batch being packed (prepare's TokenAlloc). */
  alloc(n: number): DocTokens {
    const size = tokenBytes(n);
    if (this.used + size > this.stage.byteLength) throw new Error(`batch staging holds ${this.stage.byteLength} bytes, needs ${this.used + size}`);
    const t = carve(this.stage, this.used, n);
    this.used += size;
    return t;
  }

  /**
   * Prepare the texts of a batch (UTF-8 in `bytes`; per document (start, bytes, UTF-16 length)
   * in `offs`) and pack the results, the signatures and repeats into `scratch` if it is large
   * enough. Repeats are found here (the calling thread then need not) when
   * `prepareOne` did not find them.
   */
  pack(bytes: Uint8Array, offs: Int32Array, prepareOne: (bytes: Uint8Array, units: number, store: BatchPacker) => Prepared, scratch?: ArrayBuffer, repeats = true): Packed {
    return this.packEach(offs.length / 3, (i) => offs[3 * i + 2]!, (i) => prepareOne(bytes.subarray(offs[3 * i]!, offs[3 * i]! + offs[3 * i + 1]!), offs[3 * i + 2]!, this), scratch, repeats);
  }

  /**
   * `pack` for `docs` documents of `units(i)` UTF-16 units each, prepared by `prepareOne(i)` into
   * this packer; with `repeats` false, none are looked for (an index's earlier documents).
   */
  packEach(docs: number, units: (i: number) => number, prepareOne: (i: number) => Prepared, scratch?: ArrayBuffer, repeats = true): Packed {
    // a document has at most as many tokens as UTF-16 units
    let bound = 0;
    for (let i = 0; i < docs; i++) bound += tokenBytes(units(i));
    if (this.stage.byteLength < bound) this.stage = new ArrayBuffer(bound);
    this.used = 0; this.mixed = 0;
    const head = new Int32Array(HEAD * docs), escapes: (Int32Array | null)[] = [];
    for (let i = 0; i < docs; i++) {
      const p = prepareOne(i);
      const r = !repeats ? NO_REPEATS : p.repeats ?? this.seedTable.repeats(p.seeds, p.marks, this.repeats);
      const h = HEAD * i;
      head[h] = p.tokens.n; head[h + 1] = p.chars; head[h + 2] = r.nHits; head[h + 3] = r.n;
      escapes.push(p.tokens.escapes);
      // the signature and repeats may be views of scratch the next document reuses: copied now
      this.append(p.signature);
      this.append(r.hits.subarray(0, 2 * r.nHits)); this.append(r.keys.subarray(0, r.n)); this.append(r.pos.subarray(0, r.n));
    }
    const size = 4 * this.mixed;
    const out = scratch && scratch.byteLength >= size ? scratch : new ArrayBuffer(Math.max(size, 1 << 16));
    new Uint32Array(out, 0, this.mixed).set(this.mix.subarray(0, this.mixed));
    return { ...this.kept(repeats), scratch: out, head, escapes };
  }

  /**
   * The staged tokens copied where they are kept. A corpus keeps new documents' tokens for good:
   * they go into a large arena filled batch after batch, which the C library can back with huge
   * pages (as `reprint` asks it to), where an exact-size copy per batch was faulted in 4 KB pages.
   * The arena is shared memory so that it stays here, not moved, when a batch is sent. An index's
   * earlier documents (`repeats` false) are dropped after their add: each batch, a copy of its own.
   */
  private kept(fresh: boolean): { tokens: ArrayBuffer | SharedArrayBuffer; tokensAt: number } {
    if (!fresh) return { tokens: this.stage.slice(0, this.used), tokensAt: 0 };
    const size = (this.used + 7) & ~7;
    if (this.arenaUsed + size > this.arena.byteLength) { this.arena = new SharedArrayBuffer(Math.max(ARENA_BYTES, size)); this.arenaUsed = 0; }
    const at = this.arenaUsed;
    new Uint8Array(this.arena, at, this.used).set(new Uint8Array(this.stage, 0, this.used));
    this.arenaUsed += size;
    return { tokens: this.arena, tokensAt: at };
  }

  private append(a: Uint32Array | Int32Array): void {
    this.room(a.length);
    this.mix.set(a, this.mixed);
    this.mixed += a.length;
  }

  /** Room for n more 32-bit values. */
  private room(n: number): void {
    if (this.mixed + n > this.mix.length) this.mix = grown(this.mix, this.mixed + n, this.mixed);
  }
}

/** The Prepared of a packed batch (signatures of k values), as views of its buffers. */
export function unpackPrepared(m: Packed, k: number): Prepared[] {
  const out: Prepared[] = [];
  let at = m.tokensAt, s = 0;
  for (let i = 0; i < m.head.length / HEAD; i++) {
    const h = HEAD * i, n = m.head[h]!, nHits = m.head[h + 2]!, nf = m.head[h + 3]!;
    const tokens = carve(m.tokens, at, n); at += tokenBytes(n);
    tokens.escapes = m.escapes[i] ?? null;
    const signature = new Uint32Array(m.scratch, s, k); s += 4 * k;
    const hits = new Int32Array(m.scratch, s, 2 * nHits); s += 8 * nHits;
    const keys = new Uint32Array(m.scratch, s, nf); s += 4 * nf;
    const pos = new Int32Array(m.scratch, s, nf); s += 4 * nf;
    const repeats: Repeats = { hits, nHits, keys, pos, n: nf };
    out.push({ chars: m.head[h + 1]!, tokens, seeds: NO_SEEDS, marks: NO_MARKS, signature, repeats });
  }
  return out;
}

/**
 * A batch as it is sent to be prepared: texts as UTF-8 with (start, bytes, UTF-16 length) each in
 * `offs`, `len` bytes of raw JSONL lines read with `fields`, or rows of a docs segment to read.
 */
export type BatchMessage = { scratch?: ArrayBuffer | undefined } & (({ buf: ArrayBuffer } & ({ offs: Int32Array } | { len: number; fields: LineFields; texts?: boolean })) | ReadJob);

/**
 * A batch's results: packed, and for JSONL lines the documents' ids, the lines and the first bad
 * one (whose documents are left out); for a read job the ids and, when asked, the signatures.
 */
export interface BatchResult { packed: Packed; ids?: string[]; lines?: number; bad?: { line: number; reason: string }; sigs?: Uint32Array; texts?: Utf8Texts }

const utf8 = new TextDecoder();

/** The documents' texts as UTF-8 one after another into `out` (room enough); per text (start, bytes, UTF-16 length). */
function encodeTexts(docs: readonly InputDocument[], out: Uint8Array): Int32Array {
  const offs = new Int32Array(3 * docs.length);
  let at = 0;
  for (let i = 0; i < docs.length; i++) {
    const t = docs[i]!.text, { written } = encoder.encodeInto(t, out.subarray(at));
    offs[3 * i] = at; offs[3 * i + 1] = written; offs[3 * i + 2] = t.length;
    at += written;
  }
  return offs;
}

/** What a thread needs to prepare batches (a worker, or the calling thread when the workers are behind). */
export class BatchPreparer {
  private readonly plan;
  private readonly arena = createTokens(1 << 14);
  // a corpus's scratch: the kernel also finds each document's repeats, and the signature array is reused
  private readonly fp = createFingerprints(true);
  // an earlier document's: no repeats looked for
  private readonly plainFp = createFingerprints();
  private readonly packer = new BatchPacker();
  // a read job's texts, one after another (reused from job to job)
  private text = new Uint8Array(1 << 20);

  constructor(private readonly options: ResolvedScanOptions) { this.plan = planOf(options); }

  run(msg: BatchMessage): BatchResult {
    const { options: o, plan, arena, fp, packer } = this;
    if ('file' in msg) return this.read(msg, msg.scratch);
    if ('offs' in msg) return { packed: packer.pack(new Uint8Array(msg.buf), msg.offs, (bytes, units, store) => prepareBytes(bytes, units, o, plan, arena, fp, store), msg.scratch) };
    // the documents of the lines up to the first bad one, which the pool names once it is reached in order
    const { docs, lines, bad } = parseLines(Buffer.from(msg.buf, 0, msg.len), msg.fields);
    const ids = docs.map((d) => d.id);
    let packed: Packed, texts: Utf8Texts | undefined;
    if (msg.texts) {
      // prepared from the UTF-8 that goes back with the results (an index add writes it to its docs segment)
      let size = 0;
      for (const d of docs) size += Buffer.byteLength(d.text);
      const bytes = new Uint8Array(size), offs = encodeTexts(docs, bytes);
      texts = { bytes, offs };
      packed = packer.pack(bytes, offs, (b, units, store) => prepareBytes(b, units, o, plan, arena, fp, store), msg.scratch);
    } else packed = this.texts(docs.map((d) => d.text), msg.scratch).packed;
    return { packed, ids, lines, ...(bad ? { bad } : {}), ...(texts ? { texts } : {}) };
  }

  /** A read job's documents, prepared from their texts' UTF-8 as the pages hold it. */
  private read(job: ReadJob, scratch?: ArrayBuffer): BatchResult {
    const { options: o, plan, arena, plainFp: fp, packer } = this;
    const n = job.rows.length, offs = new Int32Array(3 * n), ids: string[] = [], k = o.numPerm;
    const reader = new DocsReader(job.file);
    try {
      let at = 0, i = 0;
      reader.read(3, job.rows, (_, b) => {
        if (at + b.length > this.text.length) { const t = new Uint8Array(Math.max(at + b.length, 2 * this.text.length)); t.set(this.text.subarray(0, at)); this.text = t; }
        this.text.set(b, at);
        offs[3 * i] = at; offs[3 * i + 1] = b.length; offs[3 * i + 2] = utf16Units(b);
        at += b.length; i++;
      });
      reader.read(1, job.rows, (_, b) => { ids.push(utf8.decode(b)); });
      if (i !== n || ids.length !== n) throw new Error(`${job.file}: read ${Math.min(i, ids.length)} of ${n} rows`);
      let sigs: Uint32Array | undefined;
      if (job.sig) {
        const s = sigs = new Uint32Array(n * k);
        let r = 0;
        reader.read(4, job.rows, (_, b) => { new Uint8Array(s.buffer, 4 * k * r++, 4 * k).set(b.subarray(0, 4 * k)); });
      }
      const packed = packer.pack(this.text.subarray(0, at), offs, (bytes, units, store) => prepareBytes(bytes, units, o, plan, arena, fp, store), scratch, false);
      return sigs ? { packed, ids, sigs } : { packed, ids };
    } finally { reader.close(); }
  }

  /** A batch's results from its texts as strings (on the thread that holds them). */
  texts(texts: string[], scratch?: ArrayBuffer): BatchResult {
    const { options: o, plan, arena, fp, packer } = this;
    return { packed: packer.packEach(texts.length, (i) => texts[i]!.length, (i) => prepare(texts[i]!, o, plan, arena, fp, packer), scratch) };
  }
}

/**
 * Characters read before workers start. A worker costs about 0.2 s of a core to start (a new
 * isolate and its modules), which on two cores also delays the calling thread's own compiler
 * threads: a smaller scan is faster on the calling thread alone.
 */
export const SPAWN_CHARS = 1 << 23;

/** A worker's message for a batch: its results, and the text buffer given back. */
type Reply = BatchResult & { seq: number; text?: ArrayBuffer };

/** A batch as the consumer takes it, and an error to raise once it has been taken. */
interface Taken { batch: PreparedBatch; error?: ReprintError }

export function preparePool(options: ResolvedScanOptions, { spawnChars = SPAWN_CHARS, keepTexts = true, inFlight: most = IN_FLIGHT }: { spawnChars?: number; keepTexts?: boolean; inFlight?: number } = {}): PreparePool {
  const url = new URL('./worker.js', import.meta.url);
  // the calling thread does the corpus-wide work, so jobs: n runs n - 1 workers beside it. They
  // start once spawnChars characters have been read; each says on its own port when it has
  // loaded, and until one has, the calling thread prepares documents itself instead of waiting.
  const count = Math.max(1, options.jobs - 1);
  const workers: Worker[] = [], ports: MessagePort[] = [], ready: boolean[] = [];
  // batches sent to each worker, and in shared memory the batches each has finished (it counts
  // them as it sends them back, so a busy calling thread that has not yet read the replies still
  // sees that the worker is free)
  const sent: number[] = [];
  const finished = new Int32Array(new SharedArrayBuffer(4 * count));
  // the calling thread's own preparer, for batches that would wait behind a busy worker
  let local: BatchPreparer | undefined;
  // the first error a worker raised, if any
  let failed: Error | undefined;
  const waiting = new Map<number, { resolve: (d: BatchResult) => void; reject: (e: Error) => void }>();
  // text buffers the workers sent back, and scratch buffers of batches already added, for the next batches
  const spare: ArrayBuffer[] = [];
  const scratches: ArrayBuffer[] = [];
  // keep a buffer for reuse, up to two per batch in flight
  const keep = (list: ArrayBuffer[], b: ArrayBuffer) => { if (list.length < 2 * IN_FLIGHT * count) list.push(b); };
  const spawn = () => {
    if (workers.length) return;
    for (let i = 0; i < count; i++) {
      const { port1, port2 } = new MessageChannel();
      const w = new Worker(url, { workerData: { options, ready: port2, finished, index: i }, transferList: [port2] });
      w.on('message', (msg: Reply) => {
        const cb = waiting.get(msg.seq);
        waiting.delete(msg.seq);
        if (msg.text) keep(spare, msg.text);
        // unpacked only when the batch is taken: its per-document views then die young
        cb?.resolve(msg);
      });
      w.on('error', (err) => { failed = err; for (const cb of waiting.values()) cb.reject(err); waiting.clear(); });
      workers.push(w); ports.push(port1); ready.push(false); sent.push(0);
    }
  };
  // the next ready worker in turn, or -1 when none has loaded yet
  let turn = 0;
  const nextWorker = (): number => {
    for (let i = 0; i < workers.length; i++) {
      const w = (turn + i) % workers.length;
      if (!ready[w] && receiveMessageOnPort(ports[w]!)) { ready[w] = true; ports[w]!.close(); }
      if (ready[w]) { turn = w + 1; return w; }
    }
    return -1;
  };
  let seq = 0;
  // whether worker w has `most` batches in hand already
  const full = (w: number) => sent[w]! - Atomics.load(finished, w) >= most;
  /** Send worker w a message (moving `transfer`); resolves with its results. */
  const dispatch = (w: number, msg: BatchMessage, transfer: ArrayBuffer[]): Promise<BatchResult> => {
    const s = seq++;
    const promise = new Promise<BatchResult>((resolve, reject) => waiting.set(s, { resolve, reject }));
    sent[w]!++;
    workers[w]!.postMessage({ seq: s, ...msg }, transfer);
    return promise;
  };
  /**
   * Have worker w prepare a batch whose bytes `fill` writes into a buffer of at least `size` bytes
   * (one a worker gave back if one is large enough: fresh memory costs page faults; buffers are
   * made for a whole batch, so nearly every one comes back into use); resolves with the results.
   * When the worker has `most` batches already, the calling thread prepares this one itself
   * now (from `texts`, when it has them as strings): it would otherwise wait for the worker with
   * nothing to do.
   */
  const post = (w: number, size: number, fill: (buf: Uint8Array) => { offs: Int32Array } | { len: number; fields: LineFields }, texts?: string[]): Promise<BatchResult> => {
    const scratch = scratches.pop();
    const busy = full(w);
    if (busy && texts) return Promise.resolve((local ??= new BatchPreparer(options)).texts(texts, scratch));
    const free = spare.findIndex((b) => b.byteLength >= size);
    const buf = new Uint8Array(free >= 0 ? spare.splice(free, 1)[0]! : new ArrayBuffer(Math.max(size, 3 * BATCH_CHARS)));
    const fields = fill(buf);
    if (busy) {
      const result = (local ??= new BatchPreparer(options)).run({ buf: buf.buffer, scratch, ...fields });
      keep(spare, buf.buffer);
      return Promise.resolve(result);
    }
    return dispatch(w, { buf: buf.buffer, scratch, ...fields }, scratch ? [buf.buffer, scratch] : [buf.buffer]);
  };
  // batches in input order: sent to a worker (its promise), or left to the caller (null); `take`
  // makes what the consumer gets of it
  const queue: { promise: Promise<BatchResult> | null; take: (done: BatchResult | null) => Taken }[] = [];
  // the workers' batches in flight, and as many again that the calling thread prepared meanwhile
  const limit = Math.max(1, 2 * most * count);
  // yield now: the queue is full, or its oldest batch is the caller's own
  const due = () => queue.length >= limit || (queue.length > 0 && queue[0]!.promise === null);
  // a batch's signatures and repeats are read while its documents are added: once the
  // consumer asks for the next batch, its scratch buffer is free
  const release = (b: PreparedBatch) => { const scratch = b.prepared?.[0]?.signature.buffer; if (scratch instanceof ArrayBuffer) keep(scratches, scratch); };
  /** Yield the batches that are due (all of them when `all`), in input order. */
  async function* flush(all: boolean): AsyncGenerator<PreparedBatch> {
    while (all ? queue.length > 0 : due()) {
      const e = queue.shift()!;
      const t = e.take(e.promise && (await e.promise));
      yield t.batch;
      release(t.batch);
      if (t.error) throw t.error;
    }
  }
  return {
    async *batches(docs) {
      let read = 0, n = 0, batch: InputDocument[] = [], chars = 0;
      // an array's size is known: a large one starts the workers at once
      let size = -1;
      if (Array.isArray(docs)) {
        size = 0;
        for (const d of docs as unknown[]) { const t = (d as { text?: unknown } | null)?.text; if (typeof t === 'string') size += t.length; }
        if (size >= spawnChars) spawn();
      }
      const send = () => {
        const w = nextWorker();
        const ids = batch.map((d) => d.id), ds = batch;
        const input = size < 0 ? {} : { input: { read, rest: Math.max(0, size - read) } };
        if (w < 0) queue.push({ promise: null, take: () => ({ batch: { ids, docs: ds, prepared: null, ...input } }) });
        else {
          const promise = post(w, chars * 3, (buf) => ({ offs: encodeTexts(ds, buf) }), ds.map((d) => d.text));
          const kept = keepTexts ? ds : [];
          queue.push({ promise, take: (done) => ({ batch: { ids, docs: kept, prepared: unpackPrepared(done!.packed, options.numPerm), ...input } }) });
        }
        batch = []; chars = 0;
      };
      const take = (doc: InputDocument) => {
        checkDocument(doc, ++n);
        batch.push(doc);
        chars += doc.text.length;
        read += doc.text.length;
        if (read >= spawnChars) spawn();
        if (batch.length >= BATCH_DOCS || chars >= BATCH_CHARS) send();
      };
      // a synchronous iterable is read without a promise per document
      if (Symbol.iterator in docs) {
        for (const doc of docs) { take(doc); yield* flush(false); }
      } else {
        for await (const doc of docs) { take(doc); yield* flush(false); }
      }
      if (batch.length) send();
      yield* flush(true);
    },
    async *lineBatches(blocks, fields, texts = false) {
      // line: lines of the current file before the batch being taken (batches are taken in order)
      let read = 0, line = 0;
      const send = (bytes: Uint8Array, name: string, first: boolean, input: InputShare | undefined) => {
        const w = nextWorker();
        // a batch no worker takes is copied (the block's buffer is reused) and parsed when its turn comes
        const promise = w < 0 ? null : post(w, bytes.length, (buf) => { buf.set(bytes); return { len: bytes.length, fields, texts }; });
        const own = w < 0 ? Buffer.from(bytes) : undefined;
        queue.push({
          promise,
          take: (done) => {
            if (first) line = 0;
            // parsed here when no worker took it; the documents before a bad line are taken before its error
            const parsed = done ? undefined : parseLines(own!, fields);
            const bad = done ? done.bad : parsed!.bad;
            const error = bad && new ReprintError(ErrorCode.INVALID_INPUT, `${name} line ${line + bad.line}: ${bad.reason}`);
            line += done ? done.lines! : parsed!.lines;
            const batch: PreparedBatch = done
              ? { ids: done.ids!, docs: [], prepared: unpackPrepared(done.packed, options.numPerm), ...(done.texts ? { texts: done.texts } : {}) }
              : { ids: parsed!.docs.map((d) => d.id), docs: parsed!.docs, prepared: null };
            if (input) batch.input = input;
            return error ? { batch, error } : { batch };
          },
        });
      };
      for await (const block of blocks) {
        const b = block.bytes;
        // the workers start once this block, with what came before and what is known to follow,
        // makes spawnChars: at the first block of an input known to be large
        if (read + b.length + (block.rest ?? 0) >= spawnChars) spawn();
        // batches of whole lines, cut at the first \n after BATCH_CHARS bytes
        for (let p = 0; p < b.length;) {
          const cut = p + BATCH_CHARS >= b.length ? -1 : b.indexOf(LF, p + BATCH_CHARS);
          const q = cut < 0 ? b.length : cut + 1;
          read += q - p;
          send(b.subarray(p, q), block.name, block.first && p === 0, block.rest === undefined ? undefined : { read, rest: block.rest + b.length - q });
          p = q;
          yield* flush(false);
        }
      }
      yield* flush(true);
    },
    async *readBatches(jobs) {
      for (const job of jobs) {
        const w = nextWorker(), scratch = scratches.pop();
        const msg = { file: job.file, rows: job.rows, sig: job.sig, scratch };
        // no worker, or its hands full: the calling thread reads this one itself
        const promise = w < 0 || full(w) ? Promise.resolve((local ??= new BatchPreparer(options)).run(msg)) : dispatch(w, msg, scratch ? [scratch] : []);
        queue.push({ promise, take: (done) => ({ batch: { ids: done!.ids!, docs: [], prepared: unpackPrepared(done!.packed, options.numPerm), ...(done!.sigs ? { sigs: done!.sigs } : {}) } }) });
        yield* flush(false);
      }
      yield* flush(true);
    },
    get started() { return workers.length > 0; },
    ready() {
      spawn();
      return new Promise<void>((resolve, reject) => {
        const poll = () => { if (nextWorker() >= 0) resolve(); else if (failed) reject(failed); else setTimeout(poll, 5); };
        poll();
      });
    },
    async close() {
      for (const p of ports) p.close();
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
