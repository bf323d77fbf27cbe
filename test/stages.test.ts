import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { openIndex, printSql } from 'reprint';
import { BatchSketch, STAGES, TABLES, TokenStore, parseOptions, planOf, scanOptionsSchema, stageStatements, stageText, tableDefinition, type TableName } from 'reprint/internal';
import { Engine } from '../dist/duckdb.js';
import { newsSlice } from './helpers/text.js';

const docs = newsSlice();

describe('stage SQL', () => {
  it('gives identical results on DuckDB and PostgreSQL (PGlite) from the same tables', async () => {
    // the index: the first half of the slice, committed; the batch: the second half, sketched
    const dir = mkdtempSync(join(tmpdir(), 'reprint-stages-'));
    await (await openIndex(dir)).add(docs.slice(0, 120));
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    const o = parseOptions(scanOptionsSchema, {});
    const sk = new BatchSketch(o, planOf(o), 120, new TokenStore());
    for (const d of docs.slice(120)) sk.add(d);
    const params = { first: 120, walk: 2 * o.maxPairCandidates, limit: o.maxPairCandidates, cap: o.maxPostings };

    // every input table's rows, read from the index's Parquet segments and the sketch
    const duck = await Engine.open();
    const rows: Partial<Record<TableName, unknown[][]>> = {};
    for (const table of ['bands', 'postings', 'pairs'] as const) {
      const files = manifest.segments.filter((s: { table: string }) => s.table === table).map((s: { file: string }) => `'${join(dir, s.file)}'`);
      rows[table] = files.length ? await duck.rows(`SELECT * FROM read_parquet([${files.join(', ')}])`) : [];
    }
    const docFiles = manifest.segments.filter((s: { table: string }) => s.table === 'docs').map((s: { file: string }) => `'${join(dir, s.file)}'`);
    rows.docs = (await duck.rows(`SELECT doc, id, chars FROM read_parquet([${docFiles.join(', ')}])`)).map((r) => [...r, '', null]);
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

    const pg = await PGlite.create();
    const engines = {
      duckdb: { run: (s: string) => duck.run(s), rows: (s: string) => duck.rows(s) },
      postgres: { run: async (s: string) => { await pg.exec(s); }, rows: async (s: string) => (await pg.query<Record<string, unknown>>(s)).rows.map((r) => Object.values(r)) },
    };
    const results: Record<string, unknown> = {};
    for (const [name, db] of Object.entries(engines)) {
      const dialect = name as 'duckdb' | 'postgres';
      for (const table of Object.keys(TABLES) as TableName[]) {
        await db.run(tableDefinition(table, dialect).replace(/^CREATE TABLE (\w+)/, dialect === 'duckdb' ? 'CREATE TABLE pg_$1' : 'CREATE TABLE $1'));
        const r = rows[table] ?? [];
        for (let at = 0; at < r.length; at += 2000) {
          const values = r.slice(at, at + 2000).map((row) => `(${row.map((v) => (v === null ? 'NULL' : typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : String(v))).join(', ')})`).join(', ');
          await db.run(`INSERT INTO ${dialect === 'duckdb' ? 'pg_' : ''}${table} VALUES ${values}`);
        }
      }
      if (dialect === 'duckdb') for (const table of Object.keys(TABLES)) await db.run(`CREATE VIEW ${table} AS SELECT * FROM pg_${table}`);
      else await db.run('ANALYZE');
      for (const stage of STAGES) for (const s of stageStatements(stage, params)) await db.run(s);
      const out: Record<string, unknown[][]> = {};
      for (const [t, order] of [['taken', 'doc'], ['candidates', 'd, e'], ['hits', 'd, e, i, j'], ['shared_fps', 'fp'], ['new_postings', 'fp, doc']] as const) {
        out[t] = (await db.rows(`SELECT * FROM ${t} ORDER BY ${order}`)).map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
      }
      results[name] = out;
    }
    duck.close();
    await pg.close();
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
