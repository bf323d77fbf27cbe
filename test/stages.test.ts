import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openIndex, printSql } from 'reprint';
import { BatchSketch, STAGES, TokenStore, parseOptions, planOf, scanOptionsSchema, stageStatements, stageText } from 'reprint/internal';
import { Engine, indexRows, loaded, numbers } from './helpers/engines.js';
import { newsSlice } from './helpers/text.js';

const docs = newsSlice();

describe('stage SQL', () => {
  it('gives identical results on DuckDB and PostgreSQL (PGlite) from the same tables', async () => {
    // the index: the first half of the slice, committed; the batch: the second half, sketched
    const dir = mkdtempSync(join(tmpdir(), 'reprint-stages-'));
    await (await openIndex(dir)).add(docs.slice(0, 120));
    const o = parseOptions(scanOptionsSchema, {});
    const sk = new BatchSketch(o, planOf(o), 120, new TokenStore());
    for (const d of docs.slice(120)) sk.add(d);
    const params = { first: 120, walk: 2 * o.maxPairCandidates, limit: o.maxPairCandidates, cap: o.maxPostings };

    // every input table's rows, read from the index's Parquet segments and the sketch
    const duck = await Engine.open();
    const rows = await indexRows(duck, dir);
    duck.close();
    const col = (c: Int32Array[], n: number) => Array.from({ length: n }, (_, x) => c.map((v) => v[x]!));
    rows.batch_docs = sk.ids.map((id, t) => [120 + t, id]);
    rows.batch_bands = col(sk.bands.cols, sk.bands.n);
    rows.batch_fps = col(sk.fps.cols, sk.fps.n);
    rows.steps = Array.from({ length: params.walk }, (_, k) => [k + 1]);
    // one document of the batch takes an id the index holds, so the ids stage finds something
    rows.batch_docs[3] = [123, docs[7]!.id];
    expect(rows.postings!.length).toBeGreaterThan(1000);
    expect(rows.batch_fps.length).toBeGreaterThan(1000);
    expect(rows.bands!.length).toBeGreaterThan(1000);

    const results: Record<string, unknown> = {};
    for (const dialect of ['duckdb', 'postgres'] as const) {
      const db = await loaded(dialect, rows);
      for (const stage of STAGES) for (const s of stageStatements(stage, params)) await db.run(s);
      const out: Record<string, unknown[][]> = {};
      for (const [t, order] of [['taken', 'doc'], ['candidates', 'd, e'], ['hits', 'd, e, i, j'], ['shared_fps', 'fp'], ['new_postings', 'fp, doc']] as const) {
        out[t] = await numbers(db, `SELECT * FROM ${t} ORDER BY ${order}`);
      }
      results[dialect] = out;
      await db.close();
    }
    const d = results.duckdb as Record<string, unknown[][]>;
    expect(d.taken).toEqual([[123, docs[7]!.id]]);
    expect(d.candidates!.length).toBeGreaterThan(10);
    expect(d.hits!.length).toBeGreaterThan(1000);
    expect(d.new_postings!.length).toBeGreaterThan(1000);
    // both ways to the document frequency filter are taken: fingerprints seen at most maxPostings times, and more
    expect(d.shared_fps!.some((r) => (r[1] as number) > params.cap)).toBe(true);
    expect(d.shared_fps!.some((r) => (r[1] as number) <= params.cap)).toBe(true);
    expect(results.postgres).toEqual(results.duckdb);
  }, 120_000);

  it('prints the table definitions and the stages for each dialect, in portable SQL', () => {
    for (const stage of STAGES) {
      const text = stageText(stage);
      for (const engineOnly of [/\bQUALIFY\b/i, /::/, /read_parquet/i, /\blist_/i, /\bhash\(/i, /\/\//, /\bUSING\s+SAMPLE\b/i]) expect(text).not.toMatch(engineOnly);
    }
    const spark = printSql('spark', 's3://bucket/crawl');
    expect(spark).toContain("CREATE TABLE postings (\n  fp BIGINT,\n  doc INT,\n  pos INT\n)\nUSING PARQUET LOCATION 's3://bucket/crawl/postings';");
    expect(printSql('trino', 's3://b/i')).toContain("WITH (format = 'PARQUET', external_location = 's3://b/i/docs')");
    expect(printSql('postgres')).toContain('text TEXT');
    for (const d of ['duckdb', 'postgres', 'spark', 'trino'] as const) for (const stage of STAGES) expect(printSql(d)).toContain(stageText(stage).trim());
  });
});
