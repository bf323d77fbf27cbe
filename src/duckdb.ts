/**
 * The embedded engine a persistent index runs its stage SQL on: DuckDB in this process, with
 * typed-array columns going in and out a vector at a time (one memcpy each, no value objects).
 */
import { DuckDBInstance, DuckDBDataChunk, INTEGER, BIGINT, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';

/** A column to append: INTEGER values, or BIGINT values sign-extended from int32. */
export interface IntColumn { type: 'INTEGER' | 'BIGINT'; values: Int32Array }

/** Rows of INTEGER columns. */
export interface IntRows { n: number; cols: Int32Array[] }

export interface EngineOptions { memoryLimit?: string; tempDirectory?: string }

// REPRINT_TRACE=1 times every statement on standard error (for tuning the stage SQL)
const TRACE = process.env.REPRINT_TRACE === '1';

export class Engine {
  /** `instance` is set on the engine that owns it (closing that one closes the instance). */
  private constructor(private readonly instance: DuckDBInstance | undefined, readonly conn: DuckDBConnection, private readonly shared: DuckDBInstance) {}

  static async open(o: EngineOptions = {}): Promise<Engine> {
    const config: Record<string, string> = {};
    if (o.memoryLimit) config.memory_limit = o.memoryLimit;
    if (o.tempDirectory) config.temp_directory = o.tempDirectory;
    const instance = await DuckDBInstance.create(':memory:', config);
    return new Engine(instance, await instance.connect(), instance);
  }

  /** Another connection to the same database: its statements run beside this one's. */
  async connection(): Promise<Engine> {
    return new Engine(undefined, await this.shared.connect(), this.shared);
  }

  async run(sql: string): Promise<void> {
    const t0 = TRACE ? performance.now() : 0;
    await this.conn.run(sql);
    if (TRACE) process.stderr.write(`[sql ${(performance.now() - t0).toFixed(0)} ms] ${sql.replace(/\s+/g, ' ').slice(0, 100)}\n`);
  }

  /** Rows of a query as value arrays (small results: ids, counts). */
  async rows(sql: string): Promise<unknown[][]> {
    const r = await this.conn.runAndReadAll(sql);
    return r.getRows() as unknown[][];
  }

  /**
   * Append typed columns (all of `n` rows) to a table whose columns are, in order, these types:
   * each vector of 2,048 rows is copied in at once.
   */
  async append(table: string, n: number, cols: IntColumn[]): Promise<void> {
    const types: DuckDBType[] = cols.map((c) => (c.type === 'BIGINT' ? BIGINT : INTEGER));
    const appender = await this.conn.createAppender(table);
    const chunk = DuckDBDataChunk.create(types);
    const V = duckdb.vector_size();
    const vectors = cols.map((_, j) => duckdb.data_chunk_get_vector(chunk.chunk, j));
    // a BIGINT column's values, widened a vector at a time (little-endian: low word, then sign)
    const wide = new Int32Array(2 * V);
    for (let at = 0; at < n; at += V) {
      const m = Math.min(V, n - at);
      for (let j = 0; j < cols.length; j++) {
        const c = cols[j]!, v = c.values;
        if (c.type === 'INTEGER') duckdb.copy_data_to_vector(vectors[j]!, 0, v.buffer as ArrayBuffer, v.byteOffset + 4 * at, 4 * m);
        else {
          for (let i = 0; i < m; i++) { const x = v[at + i]!; wide[2 * i] = x; wide[2 * i + 1] = x >> 31; }
          duckdb.copy_data_to_vector(vectors[j]!, 0, wide.buffer, 0, 8 * m);
        }
      }
      duckdb.data_chunk_set_size(chunk.chunk, m);
      appender.appendDataChunk(chunk);
    }
    appender.closeSync();
  }

  /**
   * The INTEGER columns of a query's result as typed arrays (every selected column must be
   * INTEGER; nulls are not expected): the result is materialized, so each column is allocated once
   * at its size and filled a chunk at a time.
   */
  async ints(sql: string, columns: number): Promise<IntRows> {
    const result = await this.conn.run(sql);
    const cols = Array.from({ length: columns }, () => new Int32Array(result.rowCount));
    let n = 0;
    for (let k = 0; k < result.chunkCount; k++) {
      const chunk = result.getChunk(k), m = chunk.rowCount;
      for (let j = 0; j < columns; j++) {
        const bytes = duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk.chunk, j), 4 * m);
        // a byte copy: the engine's buffer need not be 4-byte aligned
        new Uint8Array(cols[j]!.buffer, 4 * n, 4 * m).set(bytes);
      }
      n += m;
    }
    return { n, cols };
  }

  close(): void {
    this.conn.closeSync();
    this.instance?.closeSync();
  }
}
