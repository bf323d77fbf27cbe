/**
 * A batch matched by another engine: the sketch shards' `batch_docs` and the stage SQL's results
 * (`candidates`, `hits`, `new_postings`) that Spark, Trino or any engine wrote as Parquet into one
 * folder, read back here for the refine stage and the commit.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine, IntRows } from './duckdb.js';
import { ErrorCode, ReprintError } from './errors.js';
import type { InputDocument } from './prepare.js';
import { parquetList } from './stages.js';

/** The Parquet files of each table a matched batch needs. */
export interface MatchedBatch {
  dir: string;
  docs: string[];
  candidates: string[];
  hits: string[];
  newPostings: string[];
}

/**
 * The tables in `dir`, each as engines write one: `<table>.parquet`, shards `<table>.<i>.parquet`,
 * or the `.parquet` files of a folder `<table>/`. Throws INVALID_INPUT naming a table not there.
 */
export function matchedBatch(dir: string): MatchedBatch {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ReprintError(ErrorCode.INVALID_INPUT, `${dir} must be a folder of Parquet tables (batch_docs, candidates, hits, new_postings), got ${existsSync(dir) ? 'a file' : 'nothing'}`);
  const names = readdirSync(dir);
  const files = (table: string): string[] => {
    const out: string[] = [];
    for (const f of names) {
      const path = join(dir, f);
      if (f === table && statSync(path).isDirectory()) out.push(...readdirSync(path).filter((g) => g.endsWith('.parquet')).sort().map((g) => join(path, g)));
      else if (f === `${table}.parquet` || (f.startsWith(`${table}.`) && /^\d+\.parquet$/.test(f.slice(table.length + 1)))) out.push(path);
    }
    if (!out.length) throw new ReprintError(ErrorCode.INVALID_INPUT, `${dir}: no Parquet files for table ${table} (${table}.parquet, ${table}.<i>.parquet or ${table}/*.parquet)`);
    return out.sort();
  };
  return { dir, docs: files('batch_docs'), candidates: files('candidates'), hits: files('hits'), newPostings: files('new_postings') };
}

/**
 * The batch's documents in number order, from its batch_docs shards, after checking that they are
 * numbered first, first + 1, ... without gaps (a batch sketched before another was committed is
 * numbered from where the index was then: BATCH_STALE).
 */
export async function* matchedDocs(engine: Engine, batch: MatchedBatch, first: number): AsyncGenerator<InputDocument> {
  const [lo, hi, n, distinct] = ((await engine.rows(`SELECT MIN(doc), MAX(doc), COUNT(*), COUNT(DISTINCT doc) FROM ${parquetList(batch.docs)}`))[0] ?? []).map((x) => Number(x ?? NaN)) as number[];
  if (!n) throw new ReprintError(ErrorCode.INVALID_INPUT, `${batch.dir}: batch_docs holds no documents`);
  if (lo !== first) throw new ReprintError(ErrorCode.BATCH_STALE, `${batch.dir}: the batch is numbered from ${lo}, but the index holds ${first} documents (another batch was committed since it was sketched): sketch it again`);
  if (hi !== first + n! - 1 || distinct !== n) throw new ReprintError(ErrorCode.INVALID_INPUT, `${batch.dir}: batch_docs must number its documents ${first} to ${first + n! - 1} once each, got ${distinct} numbers from ${lo} to ${hi} (a shard missing or given twice?)`);
  const result = await engine.conn.stream(`SELECT id, text FROM ${parquetList(batch.docs)} ORDER BY doc`);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    for (const [id, text] of chunk.getRows()) yield { id: id as string, text: text as string };
  }
}

/**
 * Rows of a stage's result table as INTEGER columns, after checking that each row's d is a batch
 * document and e an earlier one (INVALID_INPUT names the table and a row that is not).
 */
export async function matchedRows(engine: Engine, table: 'candidates' | 'hits', files: string[], first: number, n: number): Promise<IntRows> {
  const from = parquetList(files);
  const bad = await engine.rows(`SELECT d, e FROM ${from} WHERE d < ${first} OR d >= ${first + n} OR e < 0 OR e >= d LIMIT 1`);
  if (bad.length) throw new ReprintError(ErrorCode.INVALID_INPUT, `${files[0]}: ${table} must pair a batch document d (${first} to ${first + n - 1}) with an earlier one e, got d = ${bad[0]![0]}, e = ${bad[0]![1]}`);
  return table === 'candidates'
    ? engine.ints(`SELECT CAST(d AS INTEGER), CAST(e AS INTEGER) FROM ${from} ORDER BY d, e`, 2)
    : engine.ints(`SELECT CAST(d AS INTEGER), CAST(e AS INTEGER), CAST(i AS INTEGER), CAST(j AS INTEGER) FROM ${from}`, 4);
}

/** Throws INVALID_INPUT unless every new_postings row is a posting of a batch document. */
export async function checkPostings(engine: Engine, files: string[], first: number, n: number): Promise<void> {
  const bad = await engine.rows(`SELECT doc FROM ${parquetList(files)} WHERE doc < ${first} OR doc >= ${first + n} LIMIT 1`);
  if (bad.length) throw new ReprintError(ErrorCode.INVALID_INPUT, `${files[0]}: new_postings must hold postings of the batch's documents (${first} to ${first + n - 1}), got doc = ${bad[0]![0]}`);
}
