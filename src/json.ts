/**
 * JSON as `JSON.stringify(value, null, 2)` writes it, straight into UTF-8 bytes. V8 builds a
 * large JSON string as a rope and flattens it into fresh memory when it is encoded; writing the
 * bytes here skips both, and the objects a report repeats most have writers of their own.
 */

const NEWLINE = 0x0a, SPACE = 0x20, QUOTE = 0x22, COMMA = 0x2c;
/** A string written as it is between quotes: printable ASCII with nothing JSON escapes. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
/** Room asked for before a number, a literal, or a line break and its indentation. */
const SMALL = 64;

const utf8 = new TextEncoder();

/**
 * Pretty-printed JSON (two spaces) in a growing byte buffer, plain data as `JSON.stringify`
 * writes it: own enumerable properties in order, undefined and functions left out of objects and
 * null in arrays, numbers that are not finite as null, strings escaped by `JSON.stringify` unless
 * plain ASCII. No `toJSON` is called and a bigint is written as null (a report has neither).
 * `take` hands out what is written and starts again in the same buffer.
 */
export class JsonWriter {
  private buf: Uint8Array;
  private at = 0;
  // per depth, object keys on their own line as written: line break, indentation, `"key": `
  private readonly keys: Map<string, Uint8Array>[] = [];

  constructor(size = 1 << 20) {
    this.buf = new Uint8Array(size);
  }

  /** Bytes written since the last `take`. */
  get size(): number { return this.at; }

  /** The bytes written since the last `take` (a view, valid until the next write). */
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.at);
    this.at = 0;
    return out;
  }

  /** ASCII text as it is. */
  ascii(s: string): void {
    this.room(s.length);
    const b = this.buf;
    let at = this.at;
    for (let i = 0; i < s.length; i++) b[at++] = s.charCodeAt(i);
    this.at = at;
  }

  /** `value` at `depth` levels of indentation (its first line not indented). */
  value(v: unknown, depth: number): void {
    if (typeof v === 'number') this.number(v);
    else if (typeof v === 'string') this.string(v);
    else if (v === null || typeof v === 'boolean') this.ascii(String(v));
    else if (Array.isArray(v)) this.array(v, depth);
    else if (typeof v === 'object') this.object(v as Record<string, unknown>, depth);
    else this.ascii('null');
  }

  /** A line break and `depth` levels of indentation. */
  newline(depth: number): void {
    this.room(SMALL + 2 * depth);
    const b = this.buf;
    let at = this.at;
    b[at++] = NEWLINE;
    for (let i = 2 * depth; i > 0; i--) b[at++] = SPACE;
    this.at = at;
  }

  /** An object's key on its own line at `depth`, with the colon and space after it. */
  key(k: string, depth: number): void {
    while (this.keys.length <= depth) this.keys.push(new Map());
    const keys = this.keys[depth]!;
    let b = keys.get(k);
    if (!b) { b = utf8.encode(`\n${' '.repeat(2 * depth)}${JSON.stringify(k)}: `); keys.set(k, b); }
    this.bytes(b);
  }

  /** One byte (ASCII punctuation). */
  byte(c: number): void {
    this.room(1);
    this.buf[this.at++] = c;
  }

  number(x: number): void {
    if (!Number.isFinite(x)) { this.ascii('null'); return; }
    if (!Number.isInteger(x) || x > 0x7fffffff || x < -0x7fffffff) { this.ascii(String(x)); return; }
    this.room(SMALL);
    const b = this.buf;
    let at = this.at, n = x;
    if (n < 0) { b[at++] = 0x2d; n = -n; }
    // digits from the last, then reversed in place
    const from = at;
    do { const q = (n / 10) | 0; b[at++] = 0x30 + n - 10 * q; n = q; } while (n > 0);
    for (let i = from, j = at - 1; i < j; i++, j--) { const t = b[i]!; b[i] = b[j]!; b[j] = t; }
    this.at = at;
  }

  string(s: string): void {
    if (!PLAIN.test(s)) { this.bytes(utf8.encode(JSON.stringify(s))); return; }
    this.room(s.length + 2);
    const b = this.buf;
    let at = this.at;
    b[at++] = QUOTE;
    for (let i = 0; i < s.length; i++) b[at++] = s.charCodeAt(i);
    b[at++] = QUOTE;
    this.at = at;
  }

  private array(a: readonly unknown[], depth: number): void {
    if (a.length === 0) { this.ascii('[]'); return; }
    this.byte(0x5b);
    for (let i = 0; i < a.length; i++) {
      if (i) this.byte(COMMA);
      this.newline(depth + 1);
      const x = a[i];
      if (x === undefined || typeof x === 'function' || typeof x === 'symbol') this.ascii('null');
      else this.value(x, depth + 1);
    }
    this.newline(depth);
    this.byte(0x5d);
  }

  private object(o: Record<string, unknown>, depth: number): void {
    let first = true;
    this.byte(0x7b);
    for (const k in o) {
      if (!Object.hasOwn(o, k)) continue;
      const x = o[k];
      if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
      if (!first) this.byte(COMMA);
      first = false;
      this.key(k, depth + 1);
      this.value(x, depth + 1);
    }
    if (!first) this.newline(depth);
    this.byte(0x7d);
  }

  private bytes(src: Uint8Array): void {
    this.room(src.length);
    this.buf.set(src, this.at);
    this.at += src.length;
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    let size = 2 * this.buf.length;
    while (size < this.at + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.at));
    this.buf = b;
  }
}
