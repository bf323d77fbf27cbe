/**
 * The sketch stage as a job of its own: shard i of n of a batch (the documents at input positions
 * p with p mod n = i, numbered first + p) sketched into Parquet files that the stage SQL reads as
 * batch_docs, batch_bands and batch_fps on any engine, so many machines can sketch one batch.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, ReprintError } from './errors.js';
import { DocsWriter } from './parquet.js';
import { planOf, type InputDocument } from './prepare.js';
import type { ResolvedScanOptions } from './options.js';
import { BatchSketch } from './sketch.js';
import { sqlString, tableDefinition } from './stages.js';
import { TokenStore } from './tokens.js';

export interface Shard { index: number; count: number }

/** "i/n" as a shard, or a usage error naming the flag. */
export function parseShard(s: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(s);
  const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count) throw new ReprintError(ErrorCode.USAGE, `--shard must be i/n with 0 <= i < n, got ${JSON.stringify(s)}`);
  return { index, count };
}

export interface ShardFiles { documents: number; files: { table: string; path: string; bytes: number }[] }

/**
 * Sketch shard `shard` of a batch whose first document will be number `first`, into `out`:
 * batch_docs (the docs segment's layout, texts included), batch_bands and batch_fps, each
 * `<table>.<i>.parquet`.
 */
export async function sketchShard(docs: Iterable<InputDocument> | AsyncIterable<InputDocument>, o: ResolvedScanOptions, first: number, shard: Shard, out: string): Promise<ShardFiles> {
  mkdirSync(out, { recursive: true });
  const sk = new BatchSketch(o, planOf(o), first, new TokenStore());
  const keepSig = o.nearDuplicates && !o.exact;
  const path = (table: string) => join(out, `${table}.${shard.index}.parquet`);
  const texts = new DocsWriter(path('batch_docs'), keepSig);
  let p = 0;
  const take = (d: InputDocument) => {
    if (p++ % shard.count !== shard.index) return;
    sk.add(d, first + p - 1);
    texts.add(first + p - 1, d.id, d.text, keepSig ? sk.sigBytes(sk.size - 1) : undefined);
  };
  try {
    if (Symbol.iterator in docs) for (const d of docs) take(d); else for await (const d of docs) take(d);
    await texts.close();
  } finally { await texts.abort(); }
  const { Engine } = await import('./duckdb.js');
  const engine = await Engine.open();
  try {
    for (const t of ['batch_docs', 'batch_bands', 'batch_fps'] as const) await engine.run(tableDefinition(t, 'duckdb'));
    await sk.loadInto(engine);
    for (const t of ['batch_bands', 'batch_fps']) await engine.run(`COPY ${t} TO ${sqlString(path(t))} (FORMAT PARQUET, COMPRESSION ZSTD)`);
  } finally { engine.close(); }
  return { documents: sk.size, files: ['batch_docs', 'batch_bands', 'batch_fps'].map((t) => ({ table: t, path: path(t), bytes: statSync(path(t)).size })) };
}
