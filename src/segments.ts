/**
 * A persistent index's directory: immutable Parquet segments under `segments/`, a manifest that
 * names the parameters and lists the committed segments, and a writer lock. A commit writes and
 * fsyncs its segments, then renames a new manifest into place; readers trust only the manifest,
 * so a writer killed at any point leaves the index as its last commit left it.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ErrorCode, ReprintError } from './errors.js';
import type { TableName } from './stages.js';

/** Layout version of the directory; a manifest with a higher one is refused. */
export const INDEX_FORMAT = 1;
/** Version of tokenizing and hashing: an index built by another one cannot be matched against. */
export const HASH_VERSION = 1;

export const MANIFEST = 'manifest.json';
export const LOCK = 'writer.lock';
export const SEGMENTS = 'segments';

/** The tables an index keeps as segments. */
export const INDEX_TABLES = ['docs', 'bands', 'postings', 'pairs'] as const satisfies readonly TableName[];
export type IndexTable = (typeof INDEX_TABLES)[number];

/** A segment file; a docs segment also names its first document (its rows are consecutive documents). */
const segmentSchema = z.object({ table: z.enum(INDEX_TABLES), file: z.string(), rows: z.number().int(), bytes: z.number().int(), first: z.number().int().optional() });
export type Segment = z.infer<typeof segmentSchema>;

export const manifestSchema = z.object({
  format: z.literal('reprint-index'),
  version: z.number().int(),
  hashVersion: z.number().int(),
  /** The options every batch is scanned with (the per-run ones, jobs and alignments, left out). */
  options: z.record(z.string(), z.unknown()),
  lsh: z.object({ bands: z.number().int(), rows: z.number().int() }),
  documents: z.number().int(),
  /** Committed batches: the first document number and count of each. */
  batches: z.array(z.object({ first: z.number().int(), documents: z.number().int() })),
  segments: z.array(segmentSchema),
  /**
   * Segments a compaction replaced, and when (milliseconds since 1970): kept on disk RETAIN_MS
   * for readers that listed them before, then deleted by a writer.
   */
  retired: z.array(z.object({ file: z.string(), since: z.number().int() })).optional(),
  /** The next segment file number (numbers are never reused, so a killed writer's files are never taken for committed ones). */
  next: z.number().int(),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** The manifest of an index directory; throws NOT_AN_INDEX or INDEX_VERSION. */
export function readManifest(dir: string): Manifest {
  const path = join(dir, MANIFEST);
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch {
    const why = !existsSync(dir) ? 'it does not exist' : statSync(dir).isDirectory() ? `it has no ${MANIFEST}` : 'it is not a directory';
    throw new ReprintError(ErrorCode.NOT_AN_INDEX, `${dir} is not a reprint index: ${why}`);
  }
  let raw: unknown;
  try { raw = JSON.parse(text); } catch { throw new ReprintError(ErrorCode.NOT_AN_INDEX, `${path} is not a reprint manifest: not JSON`); }
  const v = (raw as { version?: unknown } | null)?.version;
  if ((raw as { format?: unknown } | null)?.format !== 'reprint-index') throw new ReprintError(ErrorCode.NOT_AN_INDEX, `${path} is not a reprint manifest: format must be "reprint-index"`);
  if (typeof v === 'number' && v > INDEX_FORMAT) throw new ReprintError(ErrorCode.INDEX_VERSION, `${path} is index format ${v}, newer than this reprint reads (${INDEX_FORMAT}): upgrade reprint`);
  const m = manifestSchema.safeParse(raw);
  if (!m.success) throw new ReprintError(ErrorCode.NOT_AN_INDEX, `${path} is not a reprint manifest: ${m.error.issues[0]!.path.join('.')} ${m.error.issues[0]!.message}`);
  if (m.data.hashVersion !== HASH_VERSION) throw new ReprintError(ErrorCode.INDEX_VERSION, `${path} was built with hash version ${m.data.hashVersion}, this reprint hashes with ${HASH_VERSION}: rebuild the index`);
  return m.data;
}

/** Write a manifest atomically: a temporary file, fsynced, renamed over the old one, and the directory fsynced. */
export function writeManifest(dir: string, m: Manifest): void {
  const tmp = join(dir, `${MANIFEST}.tmp`);
  writeFileSync(tmp, JSON.stringify(m, null, 2) + '\n');
  fsyncPath(tmp);
  renameSync(tmp, join(dir, MANIFEST));
  fsyncPath(dir);
}

/** fsync a file or directory by path. */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

/** The path of segment number `n` of a table (relative to the index directory). */
export function segmentFile(n: number, table: IndexTable): string {
  return `${SEGMENTS}/${String(n).padStart(6, '0')}-${table}.parquet`;
}

/** How long a segment a compaction replaced stays on disk (a query that listed it may still be reading it). */
export const RETAIN_MS = 60 * 60 * 1000;

/** The retired segments a new manifest lists: `m`'s retired less than RETAIN_MS ago, and `files`, retired now. */
export function retire(m: Manifest | undefined, files: string[], now = Date.now()): NonNullable<Manifest['retired']> {
  return [...(m?.retired ?? []).filter((r) => now - r.since < RETAIN_MS), ...files.map((file) => ({ file, since: now }))];
}

/** Delete files under segments/ that the manifest neither lists nor keeps as retired (a killed writer's, or retired long enough). */
export function removeUnlisted(dir: string, m: Manifest): void {
  const listed = new Set([...m.segments.map((s) => s.file), ...(m.retired ?? []).map((r) => r.file)]);
  const seg = join(dir, SEGMENTS);
  if (!existsSync(seg)) return;
  for (const f of readdirSync(seg)) if (!listed.has(`${SEGMENTS}/${f}`)) rmSync(join(seg, f), { force: true });
}

export function ensureSegments(dir: string): void {
  mkdirSync(join(dir, SEGMENTS), { recursive: true });
}

/**
 * Take the writer lock (a file created exclusively, holding this process's pid and host), or
 * throw INDEX_LOCKED naming the holder. A lock left by a process that no longer runs on this
 * host is taken over.
 */
export function lockIndex(dir: string): () => void {
  const path = join(dir, LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, JSON.stringify({ pid: process.pid, host: hostname() }) + '\n', { flag: 'wx' });
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder: { pid?: number; host?: string } = {};
      try { holder = JSON.parse(readFileSync(path, 'utf8')) as typeof holder; } catch { /* unreadable: treat as held */ }
      if (holder.host === hostname() && typeof holder.pid === 'number' && !alive(holder.pid)) { rmSync(path, { force: true }); continue; }
      throw new ReprintError(ErrorCode.INDEX_LOCKED, `${dir} is locked by another writer (${holder.pid === undefined ? 'unknown process' : `pid ${holder.pid} on ${holder.host}`}): wait for it, or remove ${path} if that process is gone`);
    }
  }
  throw new ReprintError(ErrorCode.INDEX_LOCKED, `${dir} is locked by another writer: could not take ${path}`);
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (err) { return (err as NodeJS.ErrnoException).code === 'EPERM'; }
}
