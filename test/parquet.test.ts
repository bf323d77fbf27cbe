import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DocsReader, DocsWriter, writeColumns } from 'reprint/internal';
import { Engine } from '../dist/duckdb.js';
import { newsSlice } from './helpers/text.js';

const dir = mkdtempSync(join(tmpdir(), 'reprint-parquet-'));
const docs = newsSlice().map((d, i) => (i % 7 === 3 ? { ...d, text: `Ünïcode — 𝒳 café «${i}» ${d.text}` } : d));
const sigOf = (i: number) => new Uint8Array(Uint32Array.from({ length: 8 }, (_, k) => i * 8 + k).buffer);

describe('docs segment (Parquet)', () => {
  for (const withSig of [false, true]) {
    it(`is read back whole by DuckDB and a row at a time by the reader (${withSig ? 'with' : 'without'} signatures)`, async () => {
      const path = join(dir, `docs-${withSig}.parquet`);
      // small row groups and pages, so rows cross both
      const w = new DocsWriter(path, withSig, 50, 4096);
      docs.forEach((d, i) => w.add(1000 + i, d.id, d.text, withSig ? sigOf(i) : undefined));
      expect(await w.close()).toBe(docs.length);
      // texts given as UTF-8 make the same file
      const bytesPath = join(dir, `docs-bytes-${withSig}.parquet`), wb = new DocsWriter(bytesPath, withSig, 50, 4096);
      docs.forEach((d, i) => wb.addBytes(1000 + i, d.id, new TextEncoder().encode(d.text), d.text.length, withSig ? sigOf(i) : undefined));
      expect(await wb.close()).toBe(docs.length);
      expect(readFileSync(bytesPath).equals(readFileSync(path))).toBe(true);

      const engine = await Engine.open();
      try {
        const rows = await engine.rows(`SELECT doc, id, chars, text, sig IS NULL FROM read_parquet('${path}') ORDER BY doc`);
        expect(rows).toEqual(docs.map((d, i) => [1000 + i, d.id, d.text.length, d.text, !withSig]));
        // the doc column's statistics let a reader skip row groups
        const meta = await engine.rows(`SELECT CAST(row_group_id AS INTEGER), stats_min_value, stats_max_value FROM parquet_metadata('${path}') WHERE path_in_schema = 'doc' ORDER BY row_group_id`);
        expect(meta.length).toBe(Math.ceil(docs.length / 50));
        expect(meta[1]).toEqual([1, '1050', '1099']);
      } finally { engine.close(); }

      const want = [0, 1, 2, 49, 50, 51, 99, 100, 137, 200, docs.length - 1];
      const reader = new DocsReader(path);
      try {
        const texts: [number, string][] = [], ids: [number, string][] = [], sigs: number[] = [];
        reader.read(3, want, (row, b) => texts.push([row, new TextDecoder().decode(b)]));
        reader.read(1, want, (row, b) => ids.push([row, new TextDecoder().decode(b)]));
        if (withSig) reader.read(4, want, (row, b) => { expect(Array.from(new Uint32Array(b.slice().buffer))).toEqual(Array.from(new Uint32Array(sigOf(row).buffer))); sigs.push(row); });
        expect(texts).toEqual(want.map((r) => [r, docs[r]!.text]));
        expect(ids).toEqual(want.map((r) => [r, docs[r]!.id]));
        expect(sigs).toEqual(withSig ? want : []);
        // every row alone (each read decompresses its page only as far as the row), and all at once
        const alone: string[] = [];
        for (let r = 0; r < docs.length; r++) reader.read(3, [r], (_, b) => alone.push(new TextDecoder().decode(b)));
        expect(alone).toEqual(docs.map((d) => d.text));
        const all: string[] = [];
        reader.read(3, docs.map((_, r) => r), (_, b) => all.push(new TextDecoder().decode(b)));
        expect(all).toEqual(docs.map((d) => d.text));
        expect(() => reader.read(3, [docs.length], () => undefined)).toThrow(/past the segment's 240 rows/);
      } finally { reader.close(); }
    });
  }
});

describe('plain columns (Parquet)', () => {
  it('are read back by DuckDB as written: INT32, INT64 from signed int32, UTF-8, across row groups', async () => {
    const n = 1000, ints = new Int32Array(n + 5), wide = new Int32Array(n), ids: string[] = [];
    for (let r = 0; r < n; r++) { ints[r] = r * 7 - 3000; wide[r] = r % 3 === 0 ? -(2 ** 31) + r : 2 ** 31 - 1 - r; ids.push(r % 9 === 4 ? `Ünïcode «${r}» 𝒳` : `doc-${r}`); }
    const path = join(dir, 'plain.parquet');
    // rows past `rows` are not written; row groups of 128 split them
    writeColumns(path, n, [{ name: 'a', type: 'INT32', values: ints }, { name: 'b', type: 'INT64', values: wide }, { name: 'id', type: 'UTF8', values: ids }], 128);
    const engine = await Engine.open();
    try {
      const rows = await engine.rows(`SELECT a, b, id FROM read_parquet('${path}')`);
      expect(rows).toEqual(Array.from({ length: n }, (_, r) => [ints[r], BigInt(wide[r]!), ids[r]]));
      const types = await engine.rows(`SELECT column_type FROM (DESCRIBE SELECT * FROM read_parquet('${path}'))`);
      expect(types.map((t) => t[0])).toEqual(['INTEGER', 'BIGINT', 'VARCHAR']);
      const groups = await engine.rows(`SELECT COUNT(DISTINCT row_group_id) FROM parquet_metadata('${path}')`);
      expect(groups).toEqual([[8n]]);
      // no rows: a valid file with none
      const empty = join(dir, 'empty.parquet');
      writeColumns(empty, 0, [{ name: 'a', type: 'INT32', values: new Int32Array(0) }]);
      expect(await engine.rows(`SELECT COUNT(*) FROM read_parquet('${empty}')`)).toEqual([[0n]]);
    } finally { engine.close(); }
  });
});
