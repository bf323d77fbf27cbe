import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { TABLES, tableDefinition, type TableName } from 'reprint/internal';
import { Engine } from '../../dist/duckdb.js';

export { Engine };
export type Rows = Partial<Record<TableName, unknown[][]>>;

/** A SQL engine as the stage tests drive it: statements, and rows back as arrays. */
export interface Db { dialect: 'duckdb' | 'postgres'; run(sql: string): Promise<void>; rows(sql: string): Promise<unknown[][]>; close(): Promise<void> }

/** The index's tables as rows, read from its Parquet segments (docs without texts or signatures). */
export async function indexRows(duck: Engine, dir: string): Promise<Rows> {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { segments: { table: string; file: string }[] };
  const files = (table: string) => manifest.segments.filter((s) => s.table === table).map((s) => `'${join(dir, s.file)}'`);
  const rows: Rows = {};
  for (const table of ['bands', 'postings', 'pairs'] as const) rows[table] = files(table).length ? await duck.rows(`SELECT * FROM read_parquet([${files(table).join(', ')}])`) : [];
  rows.docs = (await duck.rows(`SELECT doc, id, chars FROM read_parquet([${files('docs').join(', ')}])`)).map((r) => [...r, '', null]);
  return rows;
}

/** An engine holding every table of the stages (index and batch), filled with `rows` (empty where none are given). */
export async function loaded(dialect: 'duckdb' | 'postgres', rows: Rows): Promise<Db> {
  let db: Db;
  if (dialect === 'duckdb') {
    const duck = await Engine.open();
    db = { dialect, run: (s) => duck.run(s), rows: (s) => duck.rows(s), close: async () => duck.close() };
  } else {
    const pg = await PGlite.create();
    db = { dialect, run: async (s) => { await pg.exec(s); }, rows: async (s) => (await pg.query<Record<string, unknown>>(s)).rows.map((r) => Object.values(r)), close: () => pg.close() };
  }
  for (const table of Object.keys(TABLES) as TableName[]) {
    await db.run(tableDefinition(table, dialect));
    await insert(db, table, rows[table] ?? []);
  }
  if (dialect === 'postgres') await db.run('ANALYZE');
  return db;
}

/** INSERT rows into a table, 2,000 at a time. */
export async function insert(db: Pick<Db, 'run'>, table: string, rows: unknown[][]): Promise<void> {
  for (let at = 0; at < rows.length; at += 2000) {
    const values = rows.slice(at, at + 2000).map((row) => `(${row.map((v) => (v === null ? 'NULL' : typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : String(v))).join(', ')})`).join(', ');
    await db.run(`INSERT INTO ${table} VALUES ${values}`);
  }
}

/** A query's rows with BIGINTs as numbers. */
export async function numbers(db: Pick<Db, 'rows'>, sql: string): Promise<unknown[][]> {
  return (await db.rows(sql)).map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
}
