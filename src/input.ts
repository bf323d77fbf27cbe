/**
 * CLI inputs as a stream of documents: UTF-8 text files, directories (recursively, text files
 * only), JSONL/NDJSON files of { id, text } objects (streamed line by line), and '-' for standard
 * input (JSONL when its first non-blank character is '{', else one text document). Every problem
 * is a ReprintError naming the input and, where it applies, the line or byte.
 */
import { createReadStream } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { InputDocument } from './corpus.js';
import { ErrorCode, ReprintError } from './errors.js';

export interface InputOptions {
  textField: string;
  idField: string;
  /** Standard input, for '-' (tests pass their own). */
  stdin?: Readable;
}

const JSONL = /\.(jsonl|ndjson)$/i;
const decoder = new TextDecoder('utf-8', { fatal: true });

function fail(message: string): never {
  throw new ReprintError(ErrorCode.INVALID_INPUT, message);
}

/** Decode UTF-8 strictly; the error says where the first invalid byte is. */
export function decodeUtf8(bytes: Uint8Array, name: string): string {
  if (bytes.includes(0)) fail(`${name}: binary file (NUL byte at ${bytes.indexOf(0)}), expected UTF-8 text`);
  try {
    return decoder.decode(bytes);
  } catch {
    fail(`${name}: invalid UTF-8 at byte ${firstInvalid(bytes)}`);
  }
}

function firstInvalid(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const c = b[i]!;
    const n = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    if (n === 0 || i + n > b.length) return i;
    for (let j = 1; j < n; j++) if ((b[i + j]! & 0xc0) !== 0x80) return i;
    try { decoder.decode(b.subarray(i, i + n)); } catch { return i; }
    i += n;
  }
  return b.length;
}

/** One JSONL line to a document; errors name the input and the line. */
export function parseLine(line: string, where: string, o: InputOptions): InputDocument | undefined {
  if (!line.trim()) return undefined;
  let value: unknown;
  try { value = JSON.parse(line); } catch (e) { fail(`${where}: invalid JSON (${(e as Error).message})`); }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(`${where}: expected a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`);
  const obj = value as Record<string, unknown>;
  const text = obj[o.textField], id = obj[o.idField];
  if (text === undefined) fail(`${where}: missing string field "${o.textField}"`);
  if (typeof text !== 'string') fail(`${where}: field "${o.textField}" must be a string, got ${text === null ? 'null' : typeof text}`);
  if (id === undefined) fail(`${where}: missing field "${o.idField}"`);
  if (typeof id !== 'string' && typeof id !== 'number') fail(`${where}: field "${o.idField}" must be a string or a number, got ${id === null ? 'null' : typeof id}`);
  return { id: String(id), text };
}

async function* jsonlLines(lines: Iterable<string> | AsyncIterable<string>, name: string, o: InputOptions): AsyncGenerator<InputDocument> {
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.includes('\u0000')) fail(`${name} line ${n}: binary data (NUL byte), expected JSON text`);
    const doc = parseLine(line, `${name} line ${n}`, o);
    if (doc) yield doc;
  }
}

/** Lines of a file as readline gives them, after a strict UTF-8 check of the file where a line shows U+FFFD. */
async function* checkedLines(path: string): AsyncGenerator<string> {
  // readline decodes invalid bytes to U+FFFD: check the file strictly once to say where
  let checked = false;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (!checked && line.includes('\uFFFD')) { decodeUtf8(await readFile(path), path); checked = true; }
    yield line;
  }
}

async function* walk(dir: string): AsyncGenerator<string> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

function isText(bytes: Uint8Array): boolean {
  if (bytes.subarray(0, 8192).includes(0)) return false;
  try { decoder.decode(bytes); return true; } catch { return false; }
}

/** Documents from the given paths, in order; ids are paths (text files) or the id field (JSONL). */
export async function* readInputs(paths: string[], o: InputOptions): AsyncGenerator<InputDocument> {
  for (const path of paths) {
    if (path === '-') {
      const stdin = o.stdin ?? process.stdin;
      const chunks: Buffer[] = [];
      for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
      const text = decodeUtf8(Buffer.concat(chunks), 'standard input');
      if (/^\s*\{/.test(text)) yield* jsonlLines(text.split(/\r?\n/), 'standard input', o);
      else yield { id: '-', text };
      continue;
    }
    let info;
    try { info = await stat(path); } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      fail(`${path}: ${code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : `cannot read (${code})`}`);
    }
    if (info.isDirectory()) {
      for await (const file of walk(path)) {
        if (JSONL.test(file)) { yield* jsonlLines(checkedLines(file), file, o); continue; }
        const bytes = await readBytes(file);
        if (isText(bytes)) yield { id: file, text: decoder.decode(bytes) };
      }
    } else if (JSONL.test(path)) {
      yield* jsonlLines(checkedLines(path), path, o);
    } else {
      yield { id: path, text: decodeUtf8(await readBytes(path), path) };
    }
  }
}

async function readBytes(path: string): Promise<Uint8Array> {
  try { return await readFile(path); } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    fail(`${path}: ${code === 'EACCES' ? 'permission denied' : `cannot read (${code})`}`);
  }
}
