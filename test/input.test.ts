import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../src/errors.js';
import { jsonlBlocks, jsonlFileLines, readInputs, splitLines } from '../src/input.js';
import { rng } from './helpers/text.js';

const tmp = mkdtempSync(join(tmpdir(), 'reprint-input-'));
const file = (name: string, content: string | Buffer) => { const p = join(tmp, name); writeFileSync(p, content); return p; };

/** What readline makes of a file (the line splitting the reader keeps). */
async function readlineLines(path: string): Promise<string[]> {
  const out: string[] = [];
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) out.push(line);
  return out;
}

async function readerLines(path: string, readBytes?: number): Promise<string[]> {
  const out: string[] = [];
  for await (const lines of jsonlFileLines(path, readBytes)) out.push(...lines);
  return out;
}

describe('splitLines', () => {
  it('ends lines at \\n, \\r\\n and a lone \\r, and keeps empty lines', () => {
    expect(splitLines(Buffer.from('a\nb\r\nc\rd\n\n\r\ne'))).toEqual(['a', 'b', 'c', 'd', '', '', 'e']);
    expect(splitLines(Buffer.from('a\r\r\n'))).toEqual(['a', '']);
    expect(splitLines(Buffer.from('a\r'))).toEqual(['a']);
    expect(splitLines(Buffer.from(''))).toEqual([]);
    expect(splitLines(Buffer.from('\n'))).toEqual(['']);
  });

  it('decodes each line as UTF-8', () => {
    expect(splitLines(Buffer.from('café\n日本語\r\n😀'))).toEqual(['café', '日本語', '😀']);
  });
});

describe('jsonlFileLines', () => {
  it('gives the lines readline gives, for any read size (lines across reads, longer than a read)', async () => {
    const next = rng(7);
    const pieces = ['{"id":1}', 'word', 'é', '日本', '😀', '\n', '\n', '\r\n', '\r', ' ', 'a longer stretch of text than the smallest reads'];
    for (let t = 0; t < 20; t++) {
      let s = '';
      const n = 1 + Math.floor(next() * 200);
      for (let i = 0; i < n; i++) s += pieces[Math.floor(next() * pieces.length)];
      const path = file(`r${t}.jsonl`, s);
      const want = await readlineLines(path);
      for (const size of [1, 3, 16, 1 << 22]) expect(await readerLines(path, size), `case ${t}, reads of ${size}`).toEqual(want);
    }
  });

  it('drops a UTF-8 byte order mark at the start of the file only', async () => {
    const path = file('bom.jsonl', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"id":"a","text":"x"}\n\uFEFFb\n')]));
    expect(await readerLines(path, 8)).toEqual(['{"id":"a","text":"x"}', '\uFEFFb']);
  });

  it('names the offset in the file of the first invalid UTF-8 byte, in any read', async () => {
    const bytes = Buffer.concat([Buffer.from('{"id":"a","text":"x"}\n'.repeat(50)), Buffer.from('{"id":"b","text":"caf'), Buffer.from([0xe9, 0x22, 0x7d, 0x0a])]);
    const path = file('bad.jsonl', bytes);
    for (const size of [16, 1 << 22]) {
      await expect(readerLines(path, size)).rejects.toMatchObject({ code: ErrorCode.INVALID_INPUT, message: `${path}: invalid UTF-8 at byte ${bytes.indexOf(0xe9)}` });
    }
  });
});

describe('jsonlBlocks', () => {
  it('gives each block of whole lines with the bytes of input after it, across files, down to none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reprint-blocks-'));
    const line = (i: number) => JSON.stringify({ id: `d${i}`, text: `text ${i} `.repeat(2000) }) + '\n';
    const a = join(dir, 'a.jsonl'), b = join(dir, 'b.jsonl');
    writeFileSync(a, Array.from({ length: 300 }, (_, i) => line(i)).join(''));
    writeFileSync(b, Array.from({ length: 200 }, (_, i) => line(300 + i)).join(''));
    const blocks: { name: string; bytes: number; first: boolean; rest: number | undefined }[] = [];
    for await (const x of jsonlBlocks([a, b])) blocks.push({ name: x.name, bytes: x.bytes.length, first: x.first, rest: x.rest });
    const total = blocks.reduce((s, x) => s + x.bytes, 0);
    expect(blocks.filter((x) => x.name === a).length).toBeGreaterThan(1);
    let read = 0;
    for (const x of blocks) { read += x.bytes; expect(x.rest).toBe(total - read); }
    expect(blocks.map((x) => x.first)).toEqual(blocks.map((x, i) => i === 0 || x.name !== blocks[i - 1]!.name));
  });
});

describe('invalid UTF-8', () => {
  it('is named at its first byte: a stray continuation, a cut sequence, an overlong form, a surrogate', async () => {
    const cases: [number[], number][] = [[[0x80], 0], [[0xe2, 0x82], 0], [[0xe0, 0x80, 0x80], 0], [[0xed, 0xa0, 0x80], 0], [[0xf4, 0x90, 0x80, 0x80], 0], [[0xc3, 0xa9, 0xff], 2]];
    for (const [bad, at] of cases) {
      const head = Buffer.from('{"id":"a","text":"é"}\n{"id":"b","text":"');
      const path = file('cases.jsonl', Buffer.concat([head, Buffer.from(bad), Buffer.from('"}\n')]));
      await expect(readerLines(path)).rejects.toMatchObject({ message: `${path}: invalid UTF-8 at byte ${head.length + at}` });
    }
  });
});

describe('readInputs', () => {
  it('reads JSONL documents (blank lines skipped, a \\r\\n line end) and names the line of a bad one', async () => {
    const path = file('docs.jsonl', ['{"id":"a","text":"one"}', '', '{"id":2,"text":"two"}\r', '{"id":"c","text":3}'].join('\n'));
    const docs: { id: string; text: string }[] = [];
    await expect((async () => { for await (const d of readInputs([path], { textField: 'text', idField: 'id' })) docs.push(d); })())
      .rejects.toMatchObject({ code: ErrorCode.INVALID_INPUT, message: `${path} line 4: field "text" must be a string, got number` });
    expect(docs).toEqual([{ id: 'a', text: 'one', where: `${path} line 1` }, { id: '2', text: 'two', where: `${path} line 3` }]);
  });
});
