import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode, ReprintError, openIndex } from 'reprint';
import { STAGES, sketchShard, stageStatements, tableDefinition } from 'reprint/internal';
import { Engine, indexRows, insert, loaded } from './helpers/engines.js';
import { reprint } from './helpers/cli.js';
import { newsSlice } from './helpers/text.js';

const docs = newsSlice();
const scratch = () => mkdtempSync(join(tmpdir(), 'reprint-matched-'));

/**
 * The cluster path for docs[120..] against the index in `dir`: sketch shards into `out`, the
 * stage SQL on PostgreSQL (PGlite) over the index's and the shards' tables, and its results
 * written into `out` as Parquet, the way a cluster engine would leave them.
 */
async function matchElsewhere(dir: string, out: string): Promise<void> {
  const index = await openIndex(dir);
  const first = index.stats().documents;
  for (const i of [0, 1]) await sketchShard(docs.slice(first), index.options, first, { index: i, count: 2 }, out);
  const duck = await Engine.open();
  try {
    const rows = await indexRows(duck, dir);
    const shards = (t: string) => `read_parquet('${join(out, `${t}.*.parquet`)}')`;
    rows.batch_docs = await duck.rows(`SELECT doc, id FROM ${shards('batch_docs')}`);
    rows.batch_bands = await duck.rows(`SELECT * FROM ${shards('batch_bands')}`);
    rows.batch_fps = await duck.rows(`SELECT * FROM ${shards('batch_fps')}`);
    const o = index.options;
    const params = { first, walk: 2 * o.maxPairCandidates, limit: o.maxPairCandidates, cap: o.maxPostings };
    rows.steps = Array.from({ length: params.walk }, (_, k) => [k + 1]);
    const pg = await loaded('postgres', rows);
    for (const stage of STAGES) for (const s of stageStatements(stage, params)) await pg.run(s);
    // each result table to Parquet, through DuckDB (hits as a folder of two part files, as Spark writes one)
    for (const [table, parts] of [['candidates', 1], ['hits', 2], ['new_postings', 1]] as const) {
      const got = await pg.rows(`SELECT * FROM ${table}`);
      const columns = table === 'hits' ? '(d INTEGER, e INTEGER, i INTEGER, j INTEGER)' : table === 'candidates' ? '(d INTEGER, e INTEGER, shared INTEGER)' : tableDefinition('postings', 'duckdb').replace(/^CREATE TABLE \w+ /, '').replace(/;$/, '');
      await duck.run(`CREATE TABLE out_${table} ${columns}`);
      await insert(duck, `out_${table}`, got);
      if (parts === 1) await duck.run(`COPY out_${table} TO '${join(out, `${table}.parquet`)}' (FORMAT PARQUET)`);
      else {
        mkdirSync(join(out, table));
        for (let k = 0; k < parts; k++) await duck.run(`COPY (SELECT * FROM out_${table} WHERE d % ${parts} = ${k}) TO '${join(out, table, `part-${k}.parquet`)}' (FORMAT PARQUET)`);
      }
    }
    await pg.close();
  } finally { duck.close(); }
}

describe('a batch matched by another engine', () => {
  it('is refined and committed as add commits it: the same report, and an index that answers alike', async () => {
    const a = scratch(), b = scratch(), c = scratch(), out = scratch();
    await (await openIndex(a)).add(docs.slice(0, 120));
    cpSync(a, b, { recursive: true });
    cpSync(a, c, { recursive: true });
    const expected = await (await openIndex(a)).add(docs.slice(120));
    await matchElsewhere(b, out);
    const got = await (await openIndex(b)).refine(out);
    expect(got).toEqual(expected);
    expect(got.passages.length).toBeGreaterThan(5);
    expect(got.passages.some((p) => p.occurrences.some((o) => docs.findIndex((d) => d.id === o.doc) < 120))).toBe(true);
    // the next batch meets both indexes alike
    const probe = docs.slice(0, 60).map((d) => ({ id: `${d.id} again`, text: d.text }));
    expect(await (await openIndex(b)).query(probe)).toEqual(await (await openIndex(a)).query(probe));
    expect((await openIndex(b)).stats()).toMatchObject({ documents: 240, batches: 2 });
    // the command line, from the same tables
    const r = reprint(['index', 'refine', c, out, '--format', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(expected)));
  }, 180_000);

  it('is refused when the index has grown since it was sketched, or a table is missing, and the index is left as it was', async () => {
    const dir = scratch(), out = scratch();
    await (await openIndex(dir)).add(docs.slice(0, 100));
    await matchElsewhere(dir, out);
    await (await openIndex(dir)).add(docs.slice(100, 120));
    const before = readFileSync(join(dir, 'manifest.json'), 'utf8');
    const refused = async (code: ErrorCode, message: RegExp) => {
      const err = await (await openIndex(dir)).refine(out).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(ReprintError);
      expect((err as ReprintError).code).toBe(code);
      expect((err as ReprintError).message).toMatch(message);
      expect(readFileSync(join(dir, 'manifest.json'), 'utf8')).toBe(before);
    };
    await refused(ErrorCode.BATCH_STALE, /numbered from 100, but the index holds 120 documents/);
    rmSync(join(out, 'hits'), { recursive: true });
    await refused(ErrorCode.INVALID_INPUT, /no Parquet files for table hits/);
    // the command line: exit 2, one line
    const r = reprint(['index', 'refine', dir, out]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/no Parquet files for table hits/);
  }, 180_000);
});
