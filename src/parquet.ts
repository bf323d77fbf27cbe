/**
 * Parquet for two layouts. A persistent index's docs segment: (doc INT32, id UTF8, chars INT32,
 * text UTF8, sig optional BYTE_ARRAY). The writer encodes texts as they arrive and compresses
 * each page (brotli) when it fills, so a batch's texts are held compressed, not as strings. Id,
 * text and signature pages are small and listed
 * in the file's offset index (a standard Parquet structure), so the reader here fetches the texts
 * of a few documents scattered over a large index without reading the others. And plain columns
 * (`writeColumns`): a batch's rows as the engine loads them, uncompressed.
 */
import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { brotliDecompressSync, constants as zlibConstants } from 'node:zlib';

// Parquet enums (parquet.thrift)
const INT32 = 1, INT64 = 2, BYTE_ARRAY = 6;
const REQUIRED = 0, OPTIONAL = 1;
const UTF8 = 0;
const PLAIN = 0, RLE = 3;
const UNCOMPRESSED = 0, BROTLI = 4;
const DATA_PAGE = 0;

/** Thrift compact protocol, the subset the footer and page headers use. */
class Thrift {
  private buf = new Uint8Array(1024);
  length = 0;
  private last: number[] = [0];

  bytes(): Uint8Array { return this.buf.subarray(0, this.length); }

  private byte(b: number): void {
    if (this.length === this.buf.length) { const g = new Uint8Array(2 * this.buf.length); g.set(this.buf); this.buf = g; }
    this.buf[this.length++] = b;
  }

  private varint(v: bigint): void {
    while (v >= 0x80n) { this.byte(Number(v & 0x7fn) | 0x80); v >>= 7n; }
    this.byte(Number(v));
  }

  private zigzag(v: number | bigint): void {
    const x = BigInt(v);
    this.varint(x >= 0n ? x << 1n : ((-x) << 1n) - 1n);
  }

  private field(id: number, type: number): void {
    const delta = id - this.last[this.last.length - 1]!;
    if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
    else { this.byte(type); this.zigzag(id); }
    this.last[this.last.length - 1] = id;
  }

  i32(id: number, v: number): this { this.field(id, 5); this.zigzag(v); return this; }
  i64(id: number, v: number): this { this.field(id, 6); this.zigzag(v); return this; }
  binary(id: number, v: Uint8Array | string): this {
    const b = typeof v === 'string' ? new TextEncoder().encode(v) : v;
    this.field(id, 8); this.varint(BigInt(b.length));
    for (const x of b) this.byte(x);
    return this;
  }
  /** A struct field; `body` writes its fields. */
  struct(id: number, body: (t: this) => void): this {
    this.field(id, 12);
    this.last.push(0); body(this); this.byte(0); this.last.pop();
    return this;
  }
  /** A list of structs, i32s or strings. */
  list<T>(id: number, type: 'struct' | 'i32' | 'binary', items: readonly T[], each: (t: this, item: T) => void): this {
    const et = type === 'struct' ? 12 : type === 'i32' ? 5 : 8;
    this.field(id, 9);
    if (items.length < 15) this.byte((items.length << 4) | et); else { this.byte(0xf0 | et); this.varint(BigInt(items.length)); }
    for (const item of items) {
      if (type === 'struct') { this.last.push(0); each(this, item); this.byte(0); this.last.pop(); } else each(this, item);
    }
    return this;
  }
  /** A bare list element (inside `list`). */
  element(v: number | string): void {
    if (typeof v === 'number') this.zigzag(v);
    else { const b = new TextEncoder().encode(v); this.varint(BigInt(b.length)); for (const x of b) this.byte(x); }
  }
  /** End of the top-level struct. */
  stop(): Uint8Array { this.byte(0); return this.bytes(); }
}

interface Page { data: Uint8Array | Promise<Uint8Array>; raw: number; values: number; firstRow: number }
interface Column { name: string; type: number; repetition: number; utf8: boolean; codec: number }

/** Bytes appended to a page under construction. */
class PageBuffer {
  buf = new Uint8Array(1 << 16);
  view = new DataView(this.buf.buffer);
  length = 0;
  values = 0;
  reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = 2 * this.buf.length;
    while (cap < this.length + n) cap *= 2;
    const g = new Uint8Array(cap); g.set(this.buf.subarray(0, this.length)); this.buf = g; this.view = new DataView(g.buffer);
  }
  int32(v: number): void { this.reserve(4); this.view.setInt32(this.length, v, true); this.length += 4; this.values++; }
  /** A PLAIN BYTE_ARRAY value's bytes: its length, then `b` (the value is not counted here). */
  lengthPrefixed(b: Uint8Array): void { this.reserve(4 + b.length); this.view.setInt32(this.length, b.length, true); this.buf.set(b, this.length + 4); this.length += 4 + b.length; }
  take(): Uint8Array { const out = this.buf.slice(0, this.length); this.length = 0; this.values = 0; return out; }
}

const encoder = new TextEncoder();

export class DocsWriter {
  private readonly columns: Column[];
  // row groups done: per column, its pages
  private readonly groups: { rows: number; pages: Page[][]; minDoc: number; maxDoc: number }[] = [];
  private pages: Page[][];
  private readonly open: PageBuffer[];
  private rows = 0;
  private minDoc = 0;
  private maxDoc = 0;
  private total = 0;

  // rows of the row group before each column's open page
  private pageStart: number[];
  // pages are compressed on a worker thread (started with the first one), answered in order
  private worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }>();
  private seq = 0;

  /**
   * `sig`: the sig column holds a value (true) or null (false) in every row. Id, text and
   * signature pages close at `pointBytes` (a few documents each: what a point read decompresses),
   * the others at a megabyte.
   */
  constructor(private readonly path: string, private readonly sig: boolean, private readonly groupRows = 65536, private readonly pointBytes = 1 << 15) {
    this.columns = [
      { name: 'doc', type: INT32, repetition: REQUIRED, utf8: false, codec: UNCOMPRESSED },
      { name: 'id', type: BYTE_ARRAY, repetition: REQUIRED, utf8: true, codec: BROTLI },
      { name: 'chars', type: INT32, repetition: REQUIRED, utf8: false, codec: UNCOMPRESSED },
      { name: 'text', type: BYTE_ARRAY, repetition: REQUIRED, utf8: true, codec: BROTLI },
      { name: 'sig', type: BYTE_ARRAY, repetition: OPTIONAL, utf8: false, codec: UNCOMPRESSED },
    ];
    this.open = this.columns.map(() => new PageBuffer());
    this.pages = this.columns.map(() => []);
    this.pageStart = this.columns.map(() => 0);
  }

  add(doc: number, id: string, text: string, sig?: Uint8Array): void {
    this.row(doc, id, text.length, sig, (t) => this.bytes(t, text));
  }

  /** `add` of a text given as UTF-8, `units` UTF-16 units long. */
  addBytes(doc: number, id: string, text: Uint8Array, units: number, sig?: Uint8Array): void {
    this.row(doc, id, units, sig, (t) => { t.lengthPrefixed(text); t.values++; });
  }

  private row(doc: number, id: string, chars: number, sig: Uint8Array | undefined, text: (t: PageBuffer) => void): void {
    if (this.rows === 0) this.minDoc = doc;
    this.maxDoc = doc;
    const [d, i, c, t, s] = this.open as [PageBuffer, PageBuffer, PageBuffer, PageBuffer, PageBuffer];
    d.int32(doc); c.int32(chars);
    this.bytes(i, id); text(t);
    if (this.sig) {
      if (!sig) throw new Error('docs segment: a signature is missing');
      s.lengthPrefixed(sig);
    }
    s.values++;
    this.rows++; this.total++;
    // ids, texts and signatures are read a few at a time: their pages are small
    for (let j = 0; j < this.open.length; j++) if (this.open[j]!.length >= (j === 1 || j >= 3 ? this.pointBytes : 1 << 20)) this.flushPage(j);
    if (this.rows === this.groupRows) this.endGroup();
  }

  /** A PLAIN BYTE_ARRAY value: its length, then its UTF-8 bytes. */
  private bytes(p: PageBuffer, s: string): void {
    p.reserve(4 + 3 * s.length);
    const { written } = encoder.encodeInto(s, p.buf.subarray(p.length + 4));
    p.view.setInt32(p.length, written, true);
    p.length += 4 + written; p.values++;
  }

  /** A page compressed on the worker thread, off the caller's. */
  private compress(raw: Uint8Array): Promise<Uint8Array> {
    if (!this.worker) {
      const w = this.worker = new Worker(new URL('./compress-worker.js', import.meta.url));
      w.on('message', (m: { seq: number; data: Uint8Array }) => { const p = this.pending.get(m.seq); this.pending.delete(m.seq); p?.resolve(m.data); });
      w.on('error', (err) => { for (const p of this.pending.values()) p.reject(err); this.pending.clear(); });
    }
    const seq = this.seq++;
    const done = new Promise<Uint8Array>((resolve, reject) => this.pending.set(seq, { resolve, reject }));
    // an unawaited failure surfaces in close()
    done.catch(() => undefined);
    this.worker.postMessage({ seq, page: raw }, [raw.buffer as ArrayBuffer]);
    return done;
  }

  /** Stop the compression worker (close() does; a caller that gives up on the file calls it). */
  async abort(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  /** Close column j's open page. */
  private flushPage(j: number): void {
    const p = this.open[j]!, col = this.columns[j]!;
    if (p.values === 0) return;
    const values = p.values;
    let raw = p.take();
    if (col.repetition === OPTIONAL) raw = concat(levels(values, this.sig ? 1 : 0), raw);
    // the length first: compressing moves the bytes to the worker
    const size = raw.length;
    this.pages[j]!.push({ data: col.codec === BROTLI ? this.compress(raw) : raw, raw: size, values, firstRow: this.pageStart[j]! });
    this.pageStart[j] = this.rows;
  }

  private endGroup(): void {
    for (let j = 0; j < this.columns.length; j++) this.flushPage(j);
    this.pageStart = this.columns.map(() => 0);
    if (this.rows === 0) return;
    this.groups.push({ rows: this.rows, pages: this.pages, minDoc: this.minDoc, maxDoc: this.maxDoc });
    this.pages = this.columns.map(() => []);
    this.rows = 0;
  }

  /** Write the file (pages, then the footer) and fsync it; returns its rows. */
  async close(): Promise<number> {
    try { return await this.write(); } finally { await this.abort(); }
  }

  private async write(): Promise<number> {
    this.endGroup();
    const fd = openSync(this.path, 'w');
    try {
      const out = new FileOut(fd), write = (b: Uint8Array) => out.write(b);
      write(MAGIC);
      type Chunk = { offset: number; raw: number; compressed: number; values: number; pages: { offset: number; size: number; firstRow: number }[]; index: number; indexLength: number };
      const meta: { rows: number; chunks: Chunk[]; minDoc: number; maxDoc: number }[] = [];
      for (const g of this.groups) {
        const chunks: Chunk[] = [];
        for (let j = 0; j < this.columns.length; j++) {
          const start = out.offset;
          let raw = 0, values = 0;
          const pages = [];
          for (const p of g.pages[j]!) {
            const data = await p.data;
            const header = dataPageHeader(p.raw, data.length, p.values);
            pages.push({ offset: out.offset, size: header.length + data.length, firstRow: p.firstRow });
            write(header); write(data);
            raw += header.length + p.raw; values += p.values;
          }
          chunks.push({ offset: start, raw, compressed: out.offset - start, values, pages, index: 0, indexLength: 0 });
        }
        meta.push({ rows: g.rows, chunks, minDoc: g.minDoc, maxDoc: g.maxDoc });
      }
      // offset indexes: where each page of each column chunk starts, and its first row
      for (const g of meta) {
        for (const ch of g.chunks) {
          const index = new Thrift().list(1, 'struct', ch.pages, (t, p) => t.i64(1, p.offset).i32(2, p.size).i64(3, p.firstRow)).stop();
          ch.index = out.offset; ch.indexLength = index.length;
          write(index);
        }
      }
      const footer = new Thrift().i32(1, 1)
        .list(2, 'struct', [{ name: 'schema', children: this.columns.length } as const, ...this.columns], (t, c) => {
          if ('children' in c) { t.binary(4, c.name).i32(5, c.children); return; }
          t.i32(1, c.type).i32(3, c.repetition).binary(4, c.name);
          if (c.utf8) t.i32(6, UTF8);
        })
        .i64(3, this.total)
        .list(4, 'struct', meta, (t, g) => {
          t.list(1, 'struct', g.chunks, (u, ch) => {
            const j = g.chunks.indexOf(ch), col = this.columns[j]!;
            u.i64(2, ch.offset).struct(3, (m) => {
              m.i32(1, col.type).list(2, 'i32', [PLAIN, RLE], (x, e) => x.element(e)).list(3, 'binary', [col.name], (x, n) => x.element(n))
                .i32(4, col.codec).i64(5, ch.values).i64(6, ch.raw).i64(7, ch.compressed).i64(9, ch.offset);
              // the doc column's range, so a reader skips row groups by document number
              if (j === 0) m.struct(12, (s) => s.binary(5, int32(g.maxDoc)).binary(6, int32(g.minDoc)));
            }).i64(4, ch.index).i32(5, ch.indexLength);
          });
          t.i64(2, g.chunks.reduce((s, c) => s + c.raw, 0)).i64(3, g.rows);
        })
        .binary(6, 'reprint')
        .stop();
      write(footer); write(int32(footer.length)); write(MAGIC);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return this.total;
  }
}

const MAGIC = new TextEncoder().encode('PAR1');

/** A file written from the start, byte for byte, knowing where it is. */
class FileOut {
  offset = 0;
  constructor(private readonly fd: number) {}
  write(b: Uint8Array): void {
    let at = 0;
    while (at < b.length) at += writeSync(this.fd, b, at, b.length - at, this.offset + at);
    this.offset += b.length;
  }
}

/** The header of a v1 data page: `raw` bytes before compression, `size` after, `values` values, PLAIN. */
function dataPageHeader(raw: number, size: number, values: number): Uint8Array {
  return new Thrift().i32(1, DATA_PAGE).i32(2, raw).i32(3, size).struct(5, (t) => t.i32(1, values).i32(2, PLAIN).i32(3, RLE).i32(4, RLE)).stop();
}

/** A little-endian int32 as bytes. */
function int32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v, true);
  return b;
}

/** A column for `writeColumns`: INT32 values, INT64 values sign-extended from int32, or UTF-8 strings. */
export type PlainColumn = { name: string; type: 'INT32'; values: Int32Array } | { name: string; type: 'INT64'; values: Int32Array } | { name: string; type: 'UTF8'; values: readonly string[] };

/**
 * The first `rows` values of each column as a Parquet file, uncompressed, PLAIN, one page a column
 * in each row group of `groupRows`: what an engine reads at memory speed, a row group per thread.
 * Not fsynced (a scratch file).
 */
export function writeColumns(path: string, rows: number, columns: readonly PlainColumn[], groupRows = 1 << 18): void {
  const fd = openSync(path, 'w');
  try {
    const out = new FileOut(fd), write = (b: Uint8Array) => out.write(b);
    write(MAGIC);
    const groups: { rows: number; chunks: { offset: number; size: number }[] }[] = [];
    let page = new Uint8Array(0);
    for (let from = 0; from < rows; from += groupRows) {
      const n = Math.min(groupRows, rows - from), chunks = [];
      for (const c of columns) {
        let size = 0;
        if (c.type === 'UTF8') for (let r = from; r < from + n; r++) size += 4 + 3 * c.values[r]!.length;
        else size = (c.type === 'INT32' ? 4 : 8) * n;
        if (page.length < size) page = new Uint8Array(Math.max(size, 2 * page.length));
        const view = new DataView(page.buffer);
        let at = 0;
        if (c.type === 'INT32') { page.set(new Uint8Array(c.values.buffer, c.values.byteOffset + 4 * from, 4 * n)); at = 4 * n; }
        else if (c.type === 'INT64') for (let r = from; r < from + n; r++, at += 8) { const v = c.values[r]!; view.setInt32(at, v, true); view.setInt32(at + 4, v >> 31, true); }
        else for (let r = from; r < from + n; r++) { const { written } = encoder.encodeInto(c.values[r]!, page.subarray(at + 4)); view.setInt32(at, written, true); at += 4 + written; }
        const header = dataPageHeader(at, at, n);
        chunks.push({ offset: out.offset, size: header.length + at });
        write(header); write(page.subarray(0, at));
      }
      groups.push({ rows: n, chunks });
    }
    const physical = (c: PlainColumn) => (c.type === 'INT32' ? INT32 : c.type === 'INT64' ? INT64 : BYTE_ARRAY);
    const footer = new Thrift().i32(1, 1)
      .list(2, 'struct', [undefined, ...columns], (t, c) => {
        if (!c) { t.binary(4, 'schema').i32(5, columns.length); return; }
        t.i32(1, physical(c)).i32(3, REQUIRED).binary(4, c.name);
        if (c.type === 'UTF8') t.i32(6, UTF8);
      })
      .i64(3, rows)
      .list(4, 'struct', groups, (t, g) => {
        t.list(1, 'struct', g.chunks, (u, ch) => {
          const c = columns[g.chunks.indexOf(ch)]!;
          u.i64(2, ch.offset).struct(3, (m) => m.i32(1, physical(c)).list(2, 'i32', [PLAIN, RLE], (x, e) => x.element(e)).list(3, 'binary', [c.name], (x, n) => x.element(n))
            .i32(4, UNCOMPRESSED).i64(5, g.rows).i64(6, ch.size).i64(7, ch.size).i64(9, ch.offset));
        });
        t.i64(2, g.chunks.reduce((s, c) => s + c.size, 0)).i64(3, g.rows);
      })
      .binary(6, 'reprint')
      .stop();
    write(footer); write(int32(footer.length)); write(MAGIC);
  } finally {
    closeSync(fd);
  }
}

/** Definition levels of n values all at `level` (bit width 1): one RLE run, length-prefixed as data page v1 wants. */
function levels(n: number, level: number): Uint8Array {
  const out: number[] = [];
  let v = n << 1;
  while (v >= 0x80) { out.push((v & 0x7f) | 0x80); v >>>= 7; }
  out.push(v, level);
  const b = new Uint8Array(4 + out.length);
  new DataView(b.buffer).setInt32(0, out.length, true);
  b.set(out, 4);
  return b;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a); out.set(b, a.length);
  return out;
}

/** Thrift compact protocol, read generically: a struct is a map from field id to value. */
class ThriftReader {
  constructor(private readonly b: Uint8Array, public at = 0) {}
  private varint(): number {
    let r = 0, mul = 1, x: number;
    do { x = this.b[this.at++]!; r += (x & 0x7f) * mul; mul *= 128; } while (x & 0x80);
    return r;
  }
  private zigzag(): number { const v = this.varint(); return v % 2 ? -(v + 1) / 2 : v / 2; }
  struct(): Map<number, unknown> {
    const out = new Map<number, unknown>();
    let last = 0;
    for (;;) {
      const h = this.b[this.at++]!;
      if (h === 0) return out;
      const type = h & 15, delta = h >> 4;
      const id = delta ? last + delta : this.zigzag();
      last = id;
      out.set(id, this.value(type));
    }
  }
  private value(type: number): unknown {
    switch (type) {
      case 1: return true;
      case 2: return false;
      case 3: return this.b[this.at++];
      case 4: case 5: case 6: return this.zigzag();
      case 7: this.at += 8; return 0;
      case 8: { const n = this.varint(); const v = this.b.subarray(this.at, this.at + n); this.at += n; return v; }
      case 9: case 10: {
        const h = this.b[this.at++]!, et = h & 15;
        let n = h >> 4;
        if (n === 15) n = this.varint();
        const out: unknown[] = [];
        for (let i = 0; i < n; i++) out.push(et === 1 || et === 2 ? this.b[this.at++] === 1 : this.value(et));
        return out;
      }
      case 11: {
        const n = this.varint();
        if (n === 0) return new Map();
        const kv = this.b[this.at++]!, out = new Map<unknown, unknown>();
        for (let i = 0; i < n; i++) out.set(this.value(kv >> 4), this.value(kv & 15));
        return out;
      }
      case 12: return this.struct();
      default: throw new Error(`parquet: unknown thrift type ${type}`);
    }
  }
}

type Struct = Map<number, unknown>;
interface PageLocation { offset: number; size: number; firstRow: number }

/**
 * Point reads of a docs segment's text or signature column: the row groups and offset indexes
 * from the footer, then for each row wanted only the page that holds it.
 */
export class DocsReader {
  private readonly fd: number;
  private readonly groups: { firstRow: number; rows: number; chunks: { codec: number; index: number; indexLength: number; pages?: PageLocation[] }[] }[] = [];
  // the buffer pages are read into
  private page = new Uint8Array(0);

  constructor(path: string) {
    this.fd = openSync(path, 'r');
    try {
      const size = fstatSync(this.fd).size;
      const tail = readFrom(this.fd, size - 8, 8, path);
      const len = new DataView(tail.buffer, tail.byteOffset).getInt32(0, true);
      const meta = new ThriftReader(readFrom(this.fd, size - 8 - len, len, path)).struct();
      let firstRow = 0;
      for (const g of meta.get(4) as Struct[]) {
        const rows = g.get(3) as number;
        const chunks = (g.get(1) as Struct[]).map((c) => ({ codec: (c.get(3) as Struct).get(4) as number, index: c.get(4) as number, indexLength: c.get(5) as number }));
        this.groups.push({ firstRow, rows, chunks });
        firstRow += rows;
      }
    } catch (err) { closeSync(this.fd); throw err; }
  }

  /**
   * Column j's values (1: id, 3: text, 4: sig) at `rows` (ascending row numbers in the segment), each
   * given to `each` as bytes (a view valid during the call).
   */
  read(j: number, rows: ArrayLike<number>, each: (row: number, bytes: Uint8Array) => void): void {
    let g = 0, page: PageLocation | undefined, data: Uint8Array = new Uint8Array(0), view = new DataView(data.buffer), pos = 0, at = 0;
    // the page's compressed body and size, and whether `data` holds all of it: a brotli page is
    // decompressed only as far as the rows read need (output grows with the input given)
    let body = data, size = 0, whole = true, part = 0;
    const upTo = (end: number) => {
      if (whole || data.length >= end) return;
      // a prefix of the input in proportion to the output wanted, with a margin, and at least
      // twice the last one; past 9/10, all
      part = Math.min(1, Math.max(2 * part, (end / size) * 1.1 + 0.03));
      whole = part >= 0.9;
      // one output buffer of the page's size: no chunks to join
      data = whole
        ? brotliDecompressSync(body, { chunkSize: Math.max(64, size) })
        : brotliDecompressSync(body.subarray(0, Math.ceil(body.length * part)), { chunkSize: Math.max(64, size), finishFlush: zlibConstants.BROTLI_OPERATION_FLUSH });
      view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    };
    const need = (end: number) => { while (!whole && data.length < end) upTo(end); };
    for (let x = 0; x < rows.length; x++) {
      const row = rows[x]!;
      while (g < this.groups.length && row >= this.groups[g]!.firstRow + this.groups[g]!.rows) g++;
      const group = this.groups[g];
      if (!group) throw new Error(`parquet: row ${row} is past the segment's ${this.groups.reduce((s, q) => s + q.rows, 0)} rows`);
      const chunk = group.chunks[j]!;
      chunk.pages ??= ((new ThriftReader(readFrom(this.fd, chunk.index, chunk.indexLength)).struct().get(1) as Struct[]) ?? [])
        .map((p) => ({ offset: p.get(1) as number, size: p.get(2) as number, firstRow: p.get(3) as number }));
      const r = row - group.firstRow, pages = chunk.pages;
      let lo = 0, hi = pages.length - 1;
      while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (pages[mid]!.firstRow <= r) lo = mid; else hi = mid - 1; }
      if (pages[lo] !== page) {
        page = pages[lo]!;
        // pages are read into one buffer, reused from page to page (fresh memory costs page faults)
        if (this.page.length < page.size) this.page = new Uint8Array(Math.max(page.size, 2 * this.page.length));
        const bytes = readFrom(this.fd, page.offset, page.size, undefined, this.page);
        const h = new ThriftReader(bytes);
        const header = h.struct();
        body = bytes.subarray(h.at);
        size = header.get(2) as number;
        whole = chunk.codec !== BROTLI;
        part = 0;
        data = whole ? body : new Uint8Array(0);
        view = new DataView(data.buffer, data.byteOffset, data.byteLength);
        // at first, as far as the row's share of the page's rows (rows of similar length)
        const rowsIn = (lo + 1 < pages.length ? pages[lo + 1]!.firstRow : group.rows) - page.firstRow;
        upTo(Math.ceil((size * (r - page.firstRow + 1)) / rowsIn));
        // an optional column's page starts with its definition levels (length-prefixed)
        need(4);
        at = j === 4 ? 4 + view.getInt32(0, true) : 0;
        pos = page.firstRow;
      }
      for (; pos < r; pos++) { need(at + 4); at += 4 + view.getInt32(at, true); }
      need(at + 4);
      const n = view.getInt32(at, true);
      need(at + 4 + n);
      each(row, data.subarray(at + 4, at + 4 + n));
    }
  }

  close(): void { closeSync(this.fd); }
}

/** `length` bytes of a file at `offset`. */
function readFrom(fd: number, offset: number, length: number, path = 'docs segment', into?: Uint8Array): Uint8Array {
  const b = into ? into.subarray(0, length) : new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, b, got, length - got, offset + got);
    if (n === 0) throw new Error(`${path}: unexpected end of file`);
    got += n;
  }
  return b;
}
