import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BatchSketch, TokenStore, parseOptions, parseShard, planOf, scanOptionsSchema, sketchShard } from 'reprint/internal';
import { Engine } from '../dist/duckdb.js';
import { newsSlice } from './helpers/text.js';

describe('sketch shards', () => {
  it('shards of a batch hold together exactly the rows one sketch of it makes', async () => {
    const docs = newsSlice().slice(0, 90);
    const o = parseOptions(scanOptionsSchema, {});
    const whole = new BatchSketch(o, planOf(o), 500, new TokenStore());
    for (const d of docs) whole.add(d);
    const out = mkdtempSync(join(tmpdir(), 'reprint-shard-'));
    const counts = [];
    for (let i = 0; i < 3; i++) counts.push((await sketchShard(docs, o, 500, { index: i, count: 3 }, out)).documents);
    expect(counts).toEqual([30, 30, 30]);
    const engine = await Engine.open();
    try {
      const rows = (sql: string) => engine.rows(sql).then((r) => r.map((x) => x.map(Number).join(',')).sort());
      const cols = (c: { n: number; cols: Int32Array[] }) => Array.from({ length: c.n }, (_, x) => c.cols.map((v) => v[x]!).join(',')).sort();
      expect(await rows(`SELECT * FROM read_parquet('${out}/batch_fps.*.parquet')`)).toEqual(cols(whole.fps));
      expect(await rows(`SELECT * FROM read_parquet('${out}/batch_bands.*.parquet')`)).toEqual(cols(whole.bands));
      const ids = await engine.rows(`SELECT doc, id, chars FROM read_parquet('${out}/batch_docs.*.parquet') ORDER BY doc`);
      expect(ids).toEqual(docs.map((d, p) => [500 + p, d.id, d.text.length]));
      expect(whole.fps.n).toBeGreaterThan(1000);
    } finally { engine.close(); }
  });

  it('reads i/n and refuses anything else', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
    for (const bad of ['5/5', '1/0', 'a/b', '1', '-1/2']) expect(() => parseShard(bad)).toThrow(/--shard must be i\/n with 0 <= i < n/);
  });
});
