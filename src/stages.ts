/**
 * The stage SQL of a persistent index: table definitions, and the statements of each stage read
 * from `sql/*.sql` (a portable subset: CREATE TABLE AS, CREATE VIEW, joins, GROUP BY, ROW_NUMBER;
 * no engine's own syntax), with their parameters filled in as integer literals.
 */
import { readFileSync } from 'node:fs';

export type Dialect = 'duckdb' | 'postgres' | 'spark' | 'trino';
export const DIALECTS: readonly Dialect[] = ['duckdb', 'postgres', 'spark', 'trino'];

type ColumnType = 'int' | 'bigint' | 'double' | 'text' | 'bytes';
const TYPES: Record<Dialect, Record<ColumnType, string>> = {
  duckdb: { int: 'INTEGER', bigint: 'BIGINT', double: 'DOUBLE', text: 'VARCHAR', bytes: 'BLOB' },
  postgres: { int: 'INTEGER', bigint: 'BIGINT', double: 'DOUBLE PRECISION', text: 'TEXT', bytes: 'BYTEA' },
  spark: { int: 'INT', bigint: 'BIGINT', double: 'DOUBLE', text: 'STRING', bytes: 'BINARY' },
  trino: { int: 'INTEGER', bigint: 'BIGINT', double: 'DOUBLE', text: 'VARCHAR', bytes: 'VARBINARY' },
};

/**
 * Every table the stages read: the index's (one Parquet segment per batch each) and a batch's.
 * Hashes are computed in TypeScript and stored as signed BIGINTs; positions are token numbers.
 */
export const TABLES = {
  /** Index: one row per document; `sig` only when pairs are verified by estimate. */
  docs: { doc: 'int', id: 'text', chars: 'int', text: 'text', sig: 'bytes' },
  /** Index: one row per (band bucket, document). */
  bands: { bucket: 'bigint', doc: 'int' },
  /** Index: fingerprint postings, the first maxPostings documents of each fingerprint. */
  postings: { fp: 'bigint', doc: 'int', pos: 'int' },
  /** Index: verified near-duplicate pairs (a earlier than b). */
  pairs: { a: 'int', b: 'int', similarity: 'double' },
  batch_docs: { doc: 'int', id: 'text' },
  batch_bands: { bucket: 'bigint', doc: 'int' },
  /** A batch document's fingerprints, each once, at its first marked position. */
  batch_fps: { fp: 'bigint', doc: 'int', pos: 'int' },
  /** k = 1 .. walk: the offsets a bucket row looks back. */
  steps: { k: 'int' },
} as const satisfies Record<string, Record<string, ColumnType>>;
export type TableName = keyof typeof TABLES;

/** The stages whose statements are SQL, in the order an add runs them. */
export const STAGES = ['ids', 'candidates', 'passages', 'commit'] as const;
export type Stage = (typeof STAGES)[number];

export interface StageParams {
  /** First document number of the batch. */
  first: number;
  /** Bucket rows looked back (2 * maxPairCandidates). */
  walk: number;
  /** Candidates kept per document (maxPairCandidates). */
  limit: number;
  /** Postings kept per fingerprint (maxPostings). */
  cap: number;
}

const cache = new Map<Stage, string>();

/** A stage's SQL file as written (parameters as :name). */
export function stageText(stage: Stage): string {
  let s = cache.get(stage);
  if (s === undefined) { s = readFileSync(new URL(`../sql/${stage}.sql`, import.meta.url), 'utf8'); cache.set(stage, s); }
  return s;
}

/** A stage's statements with the parameters filled in, comments dropped, one string each. */
export function stageStatements(stage: Stage, p: StageParams): string[] {
  const text = stageText(stage).replace(/--[^\n]*/g, '').replace(/:(first|walk|limit|cap)\b/g, (_, name: keyof StageParams) => String(p[name]));
  return text.split(';').map((x) => x.trim()).filter((x) => x.length > 0);
}

/** CREATE TABLE for a table in a dialect (Spark and Trino over Parquet at `location`, when given). */
export function tableDefinition(name: TableName, dialect: Dialect, location?: string): string {
  const cols = Object.entries(TABLES[name]).map(([c, t]) => `  ${c} ${TYPES[dialect][t as ColumnType]}`).join(',\n');
  const head = `CREATE TABLE ${name} (\n${cols}\n)`;
  if (location === undefined) return `${head};`;
  if (dialect === 'spark') return `${head}\nUSING PARQUET LOCATION '${location}/${name}';`;
  if (dialect === 'trino') return `${head}\nWITH (format = 'PARQUET', external_location = '${location}/${name}');`;
  return `${head};`;
}

/** Everything `reprint sql` prints: table definitions, then each stage's statements as written. */
export function printSql(dialect: Dialect, location?: string): string {
  const out: string[] = [`-- reprint stage SQL for ${dialect}. Parameters: :first (the batch's first document number),`, '-- :walk (2 * maxPairCandidates), :limit (maxPairCandidates), :cap (maxPostings).', ''];
  for (const name of Object.keys(TABLES) as TableName[]) out.push(tableDefinition(name, dialect, name.startsWith('batch_') || name === 'steps' ? undefined : location), '');
  for (const stage of STAGES) out.push(stageText(stage).trim(), '');
  return out.join('\n');
}

/** A SQL string literal (a path, an id). */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** DuckDB's reader of a list of Parquet files. */
export function parquetList(files: string[]): string {
  return `read_parquet([${files.map(sqlString).join(', ')}])`;
}
