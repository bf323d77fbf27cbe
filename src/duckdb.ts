/**
 * The embedded engine a persistent index runs its stage SQL on: DuckDB in this process, with
 * typed-array columns coming out a vector at a time (one memcpy each, no value objects); a batch's
 * rows go in as plain Parquet files (`BatchSketch.loadInto`).
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';

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
