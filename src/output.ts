/**
 * The command line's output written to a file: pieces of text and bytes gathered into writes of
 * about 2 MB through one reused buffer.
 */
import { writeSync } from 'node:fs';

/**
 * A piece of output: a string, or UTF-8 bytes that hold whole characters (a view valid only
 * until the next piece is asked for: it is used at once).
 */
export type Piece = string | Uint8Array;

/** Bytes gathered before a write. */
const WRITE_BYTES = 1 << 21;

/**
 * Write the pieces to file descriptor `fd`. Strings are encoded into one buffer: neither a string
 * per write nor fresh memory per write, which the C library would map and the kernel fault in
 * page by page. Bytes as large as a write go out as they are.
 */
export function writePieces(fd: number, pieces: Iterable<Piece>): void {
  let buf = Buffer.allocUnsafe(2 * WRITE_BYTES), at = 0;
  const write = (b: Uint8Array, n: number) => { for (let o = 0; o < n;) o += writeSync(fd, b, o, n - o); };
  const flush = () => { write(buf, at); at = 0; };
  for (const p of pieces) {
    if (typeof p !== 'string') {
      if (at + p.length > buf.length || p.length >= WRITE_BYTES) { flush(); write(p, p.length); } else { buf.set(p, at); at += p.length; }
      continue;
    }
    // UTF-8 takes at most 3 bytes per UTF-16 unit
    if (at + 3 * p.length > buf.length) { flush(); if (3 * p.length > buf.length) buf = Buffer.allocUnsafe(3 * p.length); }
    at += buf.write(p, at);
    if (at >= WRITE_BYTES) flush();
  }
  flush();
}

const utf8 = new TextDecoder();

/** The pieces as strings (for a stream that takes strings). */
export function* pieceStrings(pieces: Iterable<Piece>): Generator<string> {
  for (const p of pieces) yield typeof p === 'string' ? p : utf8.decode(p);
}
