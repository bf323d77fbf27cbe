/**
 * The command line's output written to a file: pieces of text gathered into writes of about
 * 2 MB through one reused buffer.
 */
import { writeSync } from 'node:fs';

/**
 * A piece of output: a string, or one written without its first `head` and last `tail`
 * characters, which are ASCII (a JSON array's wrapper, cut off without copying the string).
 */
export type Piece = string | readonly [text: string, head: number, tail: number];

/** Bytes gathered before a write. */
const WRITE_BYTES = 1 << 21;

/**
 * Write the pieces to file descriptor `fd`. Strings are encoded into one buffer: neither a string
 * per write nor fresh memory per write, which the C library would map and the kernel fault in
 * page by page.
 */
export function writePieces(fd: number, pieces: Iterable<Piece>): void {
  let buf = Buffer.allocUnsafe(2 * WRITE_BYTES), at = 0;
  const flush = () => { for (let o = 0; o < at;) o += writeSync(fd, buf, o, at - o); at = 0; };
  for (const p of pieces) {
    const [text, head, tail] = typeof p === 'string' ? [p, 0, 0] : p;
    // UTF-8 takes at most 3 bytes per UTF-16 unit
    if (at + 3 * text.length > buf.length) { flush(); if (3 * text.length > buf.length) buf = Buffer.allocUnsafe(3 * text.length); }
    const n = buf.write(text, at);
    if (head) buf.copyWithin(at, at + head, at + n);
    at += n - head - tail;
    if (at >= WRITE_BYTES) flush();
  }
  flush();
}

/** The pieces as strings (for a stream that takes strings). */
export function* pieceStrings(pieces: Iterable<Piece>): Generator<string> {
  for (const p of pieces) yield typeof p === 'string' ? p : p[0].slice(p[1], p[0].length - p[2]);
}
