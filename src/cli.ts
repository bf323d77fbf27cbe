#!/usr/bin/env node
/** The `reprint` command: scan, clean, schema, index, sql. It uses the library; nothing here re-implements the engine. */
import { accessSync, closeSync, constants, createWriteStream, mkdtempSync, openSync, readFileSync, realpathSync, rmSync, statSync, writeSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { planClean } from './clean.js';
import { DEFAULT_MAX_PAIR_CANDIDATES, DEFAULT_MIN_WORDS, DEFAULT_NUM_PERM, DEFAULT_SEED, DEFAULT_SHINGLE_SIZE, DEFAULT_THRESHOLD } from './defaults.js';
import { ErrorCode, ReprintError } from './errors.js';
import { formatText, plural } from './format.js';
import { passageChart } from './chart.js';
import { formatHtml } from './html.js';
import { allJsonlFiles, inputBytes, jsonlBlocks, readInputs, type InputOptions } from './input.js';
import type { ScanOptions } from './options.js';
import { reportOf } from './assemble.js';
import { reportJsonPieces, reportJsonSchema, reportPartsJsonPieces, type Report, type ReportParts } from './report.js';
import { pieceStrings, writePieces, type Piece } from './output.js';
import { Progress, wantColor } from './progress.js';
import { scanLines, scanParts } from './scan.js';
import { openIndex } from './persistent.js';
import type { InputDocument } from './prepare.js';
import { DIALECTS, printSql, type Dialect } from './stages.js';
import { parseShard, sketchShard } from './shard.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export const HELP = `reprint ${VERSION}: find repeated passages inside and across documents, and near-duplicate documents

Usage:
  reprint scan <paths...> [options]     report repeats (text, json or html)
  reprint clean <paths...> [options]    write the corpus back as JSONL without its repeats
  reprint schema [--output FILE]        print the JSON Schema of the scan report
  reprint index add <dir> <paths...>    scan a batch against a saved index and itself, report it
                                        as scan does, then add it to the index (created if new)
  reprint index sketch <dir> <paths...> --shard i/n -o OUT
                                        the sketch stage alone, for a job array: shard i of n of a
                                        batch (every n-th document) as Parquet tables for the stage SQL
  reprint index refine <dir> <batch>    refine and commit a batch another engine matched: <batch>
                                        holds its sketch shards and the stage SQL's candidates,
                                        hits and new_postings as Parquet; reports as index add does
  reprint index stats <dir>             documents, batches and bytes on disk (--format json)
  reprint index compact <dir>           merge the index's segments (same answers, fewer files)
  reprint sql --dialect D               print the stage SQL and table definitions for duckdb,
                                        postgres, spark or trino (--location URL: Parquet tables)
  reprint --help | --version

Inputs: UTF-8 text files; directories (recursively, text files only); .jsonl/.ndjson files with
one {"id": ..., "text": ...} object a line (streamed); '-' for standard input (JSONL if it starts
with '{', else one text document with id '-').

Options for scan and clean:
  --threshold X        near-duplicate Jaccard similarity, 0..1 (default ${DEFAULT_THRESHOLD})
  --min-words N        shortest repeated passage in words (default ${DEFAULT_MIN_WORDS})
  --max-pairs N        earlier documents each document's near-duplicate candidates are verified
                       against, most shared LSH bands first (default ${DEFAULT_MAX_PAIR_CANDIDATES}; clusters stay whole)
  --shingle N          words per shingle for MinHash (default ${DEFAULT_SHINGLE_SIZE})
  --perms N            MinHash permutations (default ${DEFAULT_NUM_PERM})
  --seed N             hash seed (default ${DEFAULT_SEED})
  --jobs N             threads: N - 1 workers beside the main one (same results for any N; default:
                       one per 20 MB of input, up to the cores there are)
  --only WHAT          passages or near-duplicates: skip the other half of the job
  --fold-digits        fold every digit to 0, so that copies whose figures changed match (off by
                       default: tables of figures and numeric junk then look alike too)
  --text-field NAME    JSONL field holding the text (default text)
  --id-field NAME      JSONL field holding the id (default id)
  --output, -o FILE    write to FILE instead of standard output
  --strict             a file in a directory that is not read (binary, not UTF-8, hidden, a link)
                       is an error, not a warning
  --quiet, -q          no progress, no summary and no warnings on standard error

scan:
  --format F           text (default), json (the library's report object) or html (one offline page)
  --check              exit 1 if any duplicate content is found (for pipelines; with --quiet,
                       nothing is printed)
  --alignments         also list every aligned pair of spans (the report's "alignments")
  --index DIR          also match against a saved index (reprint index add), without adding to it

clean:
  --keep K             which document of a near-duplicate cluster to keep: first (default) or longest
  --strip-boilerplate N  also remove passages found in N or more documents (their first occurrence stays)
  --log FILE           write every dropped document and removed span to FILE, one JSON object a line
  The white space right after a removed span is removed with it. One text file in gives the
  cleaned text out; anything else gives JSONL.

Exit status: 0 success, 1 duplicates found with --check, 2 bad input or usage.
Colour: on a terminal; NO_COLOR turns it off, FORCE_COLOR on.

Examples:
  reprint scan page.txt
  reprint scan corpus/ --format html -o report.html
  reprint scan pages/ --only near-duplicates --threshold 0.9
  reprint scan articles.jsonl --text-field body --format json --jobs 2 > report.json
  cat articles.jsonl | reprint scan - --check --quiet
  reprint clean articles.jsonl --keep longest --strip-boilerplate 20 -o clean.jsonl
  reprint index add crawl-index/ day-0412.jsonl --format json -o day-0412.json
  reprint sql --dialect spark --location s3://bucket/crawl-index
`;

const options = {
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  threshold: { type: 'string' },
  'min-words': { type: 'string' },
  'max-pairs': { type: 'string' },
  shingle: { type: 'string' },
  perms: { type: 'string' },
  seed: { type: 'string' },
  jobs: { type: 'string' },
  only: { type: 'string' },
  'text-field': { type: 'string' },
  'id-field': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  check: { type: 'boolean' },
  strict: { type: 'boolean' },
  log: { type: 'string' },
  'fold-digits': { type: 'boolean' },
  alignments: { type: 'boolean' },
  keep: { type: 'string' },
  index: { type: 'string' },
  shard: { type: 'string' },
  dialect: { type: 'string' },
  location: { type: 'string' },
  'strip-boilerplate': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const satisfies ParseArgsConfig['options'];

type Values = { [K in keyof typeof options]?: (typeof options)[K]['type'] extends 'boolean' ? boolean : string };

const FLAG: Record<string, string> = { threshold: '--threshold', minWords: '--min-words', maxPairCandidates: '--max-pairs', shingleSize: '--shingle', numPerm: '--perms', seed: '--seed', jobs: '--jobs' };

/** Input bytes per thread when --jobs is not given. */
const AUTO_JOB_BYTES = 20e6;

function usage(message: string): never {
  throw new ReprintError(ErrorCode.USAGE, `${message} (see reprint --help)`);
}

function number(v: Values, name: keyof Values): number | undefined {
  const raw = v[name];
  if (raw === undefined) return undefined;
  const x = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(x)) usage(`--${name} must be a number, got ${JSON.stringify(raw)}`);
  return x;
}

function scanOptions(v: Values): ScanOptions {
  const o: ScanOptions = {};
  const set = <K extends keyof ScanOptions>(k: K, x: ScanOptions[K] | undefined) => { if (x !== undefined) o[k] = x; };
  set('threshold', number(v, 'threshold'));
  set('minWords', number(v, 'min-words'));
  set('maxPairCandidates', number(v, 'max-pairs'));
  set('shingleSize', number(v, 'shingle'));
  set('numPerm', number(v, 'perms'));
  set('seed', number(v, 'seed'));
  set('jobs', number(v, 'jobs'));
  if (v['fold-digits']) o.foldDigits = true;
  if (v.alignments) o.alignments = true;
  if (v.only !== undefined) {
    if (v.only !== 'passages' && v.only !== 'near-duplicates') usage(`--only must be passages or near-duplicates, got ${JSON.stringify(v.only)}`);
    if (v.only === 'passages') o.nearDuplicates = false; else o.passages = false;
  }
  return o;
}

export interface Io {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  stdin: Readable;
}

/** Run the CLI; returns the exit status. Errors print one line on standard error. */
export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }): Promise<number> {
  try {
    return await run(argv, io);
  } catch (e) {
    if (e instanceof ReprintError) {
      let msg = e.message;
      if (e.code === ErrorCode.INVALID_OPTION) for (const [k, flag] of Object.entries(FLAG)) if (msg.startsWith(`${k} `)) msg = flag + msg.slice(k.length);
      io.stderr.write(`reprint: ${msg}\n`);
      return 2;
    }
    const err = e as NodeJS.ErrnoException;
    if (typeof err.code === 'string' && err.code.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`reprint: ${argsMessage(err)} (see reprint --help)\n`);
      return 2;
    }
    io.stderr.write(`reprint: ${err.message}\n`);
    return 2;
  }
}

/** Node's parser messages, said plainly: an unknown flag with the nearest one, a missing value. */
function argsMessage(err: NodeJS.ErrnoException): string {
  const unknown = /Unknown option '([^']+)'/.exec(err.message);
  if (unknown) {
    const flag = unknown[1]!, near = nearestFlag(flag);
    return `unknown option ${flag}${near ? `; did you mean ${near}?` : ''}`;
  }
  const missing = /Option '(-\w, )?(--[\w-]+)[^']*' argument missing/.exec(err.message);
  if (missing) return `${missing[2]} needs a value`;
  return err.message.split('\n')[0]!.replace(/\. To specify a positional.*$/, '');
}

/** The known flag nearest to `flag` (edit distance at most 3), if any. */
function nearestFlag(flag: string): string | undefined {
  const name = flag.replace(/^-+/, '');
  let best: string | undefined, bestD = 4;
  for (const k of Object.keys(options)) {
    const d = editDistance(name, k);
    if (d < bestD) { bestD = d; best = `--${k}`; }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** `--seed -1` as `--seed=-1`: Node's parser takes a value starting with '-' for a flag. */
function joinNegatives(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!, next = argv[i + 1];
    const name = a.startsWith('--') ? a.slice(2) : undefined;
    if (name !== undefined && !name.includes('=') && (options as Record<string, { type: string }>)[name]?.type === 'string' && next !== undefined && /^-(\d|\.\d)/.test(next)) { out.push(`${a}=${next}`); i++; }
    else out.push(a);
  }
  return out;
}

/** Throws unless `path` can be written: its folder exists and is writable, and it is not a folder. */
function checkOutput(path: string, flag: string): void {
  const full = resolve(path), dir = dirname(full);
  let info;
  try { info = statSync(dir); } catch { usage(`${flag} ${path}: no such folder ${dir}`); }
  if (!info.isDirectory()) usage(`${flag} ${path}: ${dir} is not a folder`);
  try { if (statSync(full).isDirectory()) usage(`${flag} ${path}: is a folder, expected a file`); } catch (e) { if (e instanceof ReprintError) throw e; }
  try { accessSync(dir, constants.W_OK); } catch { usage(`${flag} ${path}: the folder ${dir} is not writable`); }
}

async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args: joinNegatives(argv), options, allowPositionals: true, strict: true });
  const v = values as Values;
  if (v.version) { io.stdout.write(`${VERSION}\n`); return 0; }
  const [command, ...paths] = positionals;
  if (v.help || command === undefined || command === 'help') { io.stdout.write(HELP); return 0; }
  if (!['scan', 'clean', 'schema', 'index', 'sql'].includes(command)) usage(`unknown command ${JSON.stringify(command)}; commands are scan, clean, schema, index, sql`);
  // the output in pieces (the JSON report comes in many): to a file through one buffer, to
  // standard output as strings of about a megabyte
  const emit = (pieces: Iterable<Piece>) => {
    if (v.output) {
      const fd = openSync(v.output, 'w');
      try { writePieces(fd, pieces); } finally { closeSync(fd); }
      return;
    }
    let buf = '';
    for (const p of pieceStrings(pieces)) { buf += p; if (buf.length >= 1 << 20) { io.stdout.write(buf); buf = ''; } }
    io.stdout.write(buf);
  };
  const only = (allowed: string[]) => {
    for (const k of Object.keys(v)) if (!allowed.includes(k)) usage(`--${k} does not apply to ${command}`);
  };
  if (command === 'schema') {
    only(['output']);
    emit([JSON.stringify(reportJsonSchema(), null, 2) + '\n']);
    return 0;
  }
  if (command === 'sql') {
    only(['output', 'dialect', 'location']);
    const d = v.dialect ?? 'duckdb';
    if (!(DIALECTS as readonly string[]).includes(d)) usage(`--dialect must be one of ${DIALECTS.join(', ')}, got ${JSON.stringify(d)}`);
    emit([printSql(d as Dialect, v.location)]);
    return 0;
  }
  // index add DIR paths... runs as scan does, against the index, and commits the batch; index
  // refine DIR BATCH does the same with what another engine matched
  let indexDir = v.index, commit = false, refineFrom: string | undefined;
  if (command === 'index') {
    const sub = paths.shift(), dir = paths.shift();
    if (sub !== 'add' && sub !== 'stats' && sub !== 'compact' && sub !== 'sketch' && sub !== 'refine') usage(`index needs add, sketch, refine, stats or compact, got ${sub === undefined ? 'nothing' : JSON.stringify(sub)}`);
    if (dir === undefined) usage(`index ${sub} needs the index directory`);
    if (sub === 'sketch') {
      only(['output', 'shard', 'quiet', 'text-field', 'id-field', 'threshold', 'min-words', 'max-pairs', 'shingle', 'perms', 'seed', 'fold-digits', 'only']);
      if (v.shard === undefined || v.output === undefined) usage('index sketch needs --shard i/n and --output DIR');
      if (!paths.length) usage('index sketch needs at least one path (a file, a directory, a .jsonl file or -)');
      const shard = parseShard(v.shard);
      const idx = await openIndex(dir, scanOptions(v));
      const first = idx.stats().documents;
      const r = await sketchShard(readInputs(paths, { textField: v['text-field'] ?? 'text', idField: v['id-field'] ?? 'id' }), idx.options, first, shard, v.output);
      if (!v.quiet) io.stderr.write(`reprint: sketched ${plural(r.documents, 'document')} (shard ${shard.index}/${shard.count}, numbered from ${first}) into ${r.files.map((f) => f.path).join(', ')}\n`);
      return 0;
    }
    if (sub === 'refine') {
      if (paths.length !== 1) usage(`index refine takes the index directory and one folder of the batch's tables, got ${paths.length + 1} paths`);
      refineFrom = paths.shift();
    } else if (sub !== 'add') {
      only(['format', 'quiet']);
      if (paths.length) usage(`index ${sub} takes one directory, got ${paths.length + 1} paths`);
      const idx = await openIndex(dir, {}, { create: false });
      const stats = sub === 'compact' ? await idx.compact() : idx.stats();
      if (v.format === 'json') io.stdout.write(JSON.stringify({ dir, ...stats }) + '\n');
      else if (v.format === undefined || v.format === 'text') io.stdout.write(`${dir}: ${plural(stats.documents, 'document')} in ${plural(stats.batches, 'batch', 'batches')}, ${plural(stats.segments, 'segment')}, ${(stats.bytes / 1e6).toFixed(1)} MB on disk${sub === 'compact' ? ' (compacted)' : ''}\n`);
      else usage(`--format must be text or json for index ${sub}, got ${JSON.stringify(v.format)}`);
      return 0;
    }
    indexDir = dir; commit = true;
  }
  const common = ['output', 'threshold', 'min-words', 'max-pairs', 'shingle', 'perms', 'seed', 'jobs', 'only', 'fold-digits', 'text-field', 'id-field', 'quiet', 'strict'];
  only(command === 'scan' ? [...common, 'format', 'check', 'alignments', 'index'] : command === 'index' ? [...common, 'format', 'check', 'alignments'] : [...common, 'keep', 'strip-boilerplate', 'log']);
  if (!paths.length && refineFrom === undefined) usage(`${command === 'index' ? 'index add' : command} needs at least one path (a file, a directory, a .jsonl file or -)`);
  const format = v.format ?? 'text';
  if (!['text', 'json', 'html'].includes(format)) usage(`--format must be text, json or html, got ${JSON.stringify(format)}`);
  const keep = v.keep ?? 'first';
  if (keep !== 'first' && keep !== 'longest') usage(`--keep must be first or longest, got ${JSON.stringify(keep)}`);
  const strip = number(v, 'strip-boilerplate') ?? 0;
  if (!Number.isInteger(strip) || strip < 0) usage(`--strip-boilerplate must be a whole number of documents (2 or more, 0 for off), got ${JSON.stringify(v['strip-boilerplate'])}`);
  const opts = scanOptions(v);
  // every output is checked before any work
  if (v.output) checkOutput(v.output, '--output');
  if (v.log) checkOutput(v.log, '--log');
  const started = Date.now();

  // standard input can be read only once: it is copied to a temporary file as it comes (never
  // held whole in memory), and read from there
  let spool: string | undefined;
  try {
    if (paths.includes('-')) {
      spool = mkdtempSync(join(tmpdir(), 'reprint-stdin-'));
      await pipeline(io.stdin, createWriteStream(join(spool, 'stdin')));
    }
    const stdinFile = spool && join(spool, 'stdin');
    // files passed over in a folder are named (first pass only), or fail the run with --strict
    let skipped = 0;
    const onSkip = (path: string, reason: string) => {
      if (v.strict) throw new ReprintError(ErrorCode.INVALID_INPUT, `${path}: ${reason} (not read; --strict)`);
      skipped++;
      if (!v.quiet) { progress.done(); io.stderr.write(`reprint: warning: skipped ${path}: ${reason}\n`); }
    };
    const inputOptions = (first = false): InputOptions => ({ textField: v['text-field'] ?? 'text', idField: v['id-field'] ?? 'id', ...(stdinFile ? { stdinFile } : {}), ...(first ? { onSkip } : {}) });

    const bytes = refineFrom === undefined ? await inputBytes(paths, { ...(stdinFile ? { stdinFile } : {}) }) : 0;
    // a worker pays for itself from some tens of MB (bench/README)
    if (opts.jobs === undefined) opts.jobs = Math.max(1, Math.min(availableParallelism(), Math.floor(bytes / AUTO_JOB_BYTES)));
    const progress = new Progress(io.stderr, !v.quiet, bytes);
    // a scan's report comes in parts, whose JSON is written without the report's objects; they are
    // made only for the other formats and for clean
    let made: Report | undefined, parts: ReportParts | undefined;
    // the index is opened (and its options checked) before any input is read
    const index = indexDir === undefined ? undefined : await openIndex(indexDir, opts, { create: commit });
    const fields = { textField: v['text-field'] ?? 'text', idField: v['id-field'] ?? 'id' };
    // JSONL files go to worker threads as raw lines, which the workers parse
    const rawLines = refineFrom === undefined && typeof opts.jobs === 'number' && opts.jobs > 1 && (await allJsonlFiles(paths));
    try {
      if (index) {
        const counted = async function* (docs: AsyncIterable<InputDocument>) {
          let n = 0, chars = 0;
          for await (const d of docs) { yield d; progress.reading(++n, chars += d.text.length); }
          progress.phase(commit ? 'matching against the index and committing' : 'matching against the index');
        };
        if (refineFrom !== undefined) {
          progress.phase('refining the batch and committing');
          made = await index.refine(refineFrom);
        } else if (commit && rawLines) {
          made = await index.addLines(jsonlBlocks(paths), fields, { onProgress: (docs, chars) => progress.reading(docs, chars), onRead: () => progress.phase('matching against the index and committing') });
        } else {
          const docs = counted(readInputs(paths, inputOptions(true)));
          made = commit ? await index.add(docs) : await index.query(docs);
        }
      } else {
        const hooks = { onProgress: (docs: number, chars: number) => progress.reading(docs, chars) };
        parts = rawLines
          ? await scanLines(jsonlBlocks(paths), fields, opts, hooks)
          : await scanParts(readInputs(paths, inputOptions(true)), opts, hooks);
      }
    } catch (e) {
      progress.done();
      if (e instanceof ReprintError && e.code === ErrorCode.DUPLICATE_ID && e.id !== undefined) throw await duplicateError(paths, inputOptions(), e.id, e);
      throw e;
    }
    if (skipped && !v.quiet) { progress.done(); io.stderr.write(`reprint: warning: skipped ${plural(skipped, 'file')} (named above; --strict makes this an error)\n`); }
    const totals = parts?.totals ?? made!.totals;
    const report = (): Report => (made ??= reportOf(parts!));
    if (totals.documents === 0) throw new ReprintError(ErrorCode.INVALID_INPUT, `no documents in ${refineFrom ?? paths.join(', ')}${skipped ? ` (${plural(skipped, 'file')} skipped)` : ''}`);
    const summary = (wrote: string) => {
      if (v.quiet) return;
      const t = totals, s = ((Date.now() - started) / 1000).toFixed(1);
      io.stderr.write(`reprint: ${plural(t.documents, 'document')}, ${(t.chars / 1e6).toFixed(1)} MB in ${s} s: ${plural(t.repeats, 'repeat')}, ${plural(t.passages, 'shared passage')}, ${plural(t.nearDuplicates, 'near-duplicate pair')} in ${plural(t.clusters, 'cluster')}${wrote}\n`);
    };
    if (command === 'clean') {
      // second pass: documents stream through the plan to the output; one text file in gives its
      // cleaned text out, anything else JSONL
      const plan = planClean(report(), { keep, stripBoilerplate: strip });
      const asText = paths.length === 1 && paths[0] !== '-' && report().documents.length === 1 && report().documents[0]!.id === paths[0];
      progress.phase('writing');
      const sink = v.output ? openSync(v.output, 'w') : undefined;
      const write = (s: string) => { if (sink === undefined) io.stdout.write(s); else writeSync(sink, s); };
      let kept = 0;
      try {
        for await (const d of readInputs(paths, inputOptions())) {
          if (!plan.keeps(d.id)) continue;
          write(asText ? plan.apply(d.id, d.text) : JSON.stringify({ id: d.id, text: plan.apply(d.id, d.text) }) + '\n');
          kept++;
        }
      } finally {
        if (sink !== undefined) closeSync(sink);
      }
      if (v.log) {
        const log = openSync(v.log, 'w');
        try {
          for (const d of plan.dropped) writeSync(log, JSON.stringify({ dropped: d.id, duplicateOf: d.duplicateOf }) + '\n');
          for (const r of plan.removed) writeSync(log, JSON.stringify(r) + '\n');
        } finally { closeSync(log); }
      }
      progress.done();
      if (!v.quiet) {
        const chars = plan.removed.reduce((s, r) => s + r.end - r.start, 0);
        const lines = [`reprint clean: kept ${kept.toLocaleString('en-US')} of ${totals.documents.toLocaleString('en-US')} documents, dropped ${plan.dropped.length.toLocaleString('en-US')} near-duplicates, removed ${plan.removed.length.toLocaleString('en-US')} spans (${chars.toLocaleString('en-US')} characters)${v.output ? `; wrote ${v.output}` : ''}${v.log ? `; every removal in ${v.log}` : ''}`];
        for (const d of plan.dropped.slice(0, 20)) lines.push(`  dropped ${d.id} (near-duplicate of ${d.duplicateOf})`);
        for (const r of plan.removed.slice(0, 20)) lines.push(`  removed ${r.doc} [${r.start}, ${r.end}) ${r.reason} of ${r.reason === 'repeat' ? 'R' : '#'}${r.passage}, kept in ${r.kept.doc} [${r.kept.start}, ${r.kept.end})`);
        const more = Math.max(0, plan.dropped.length - 20) + Math.max(0, plan.removed.length - 20);
        if (more) lines.push(`  … and ${more.toLocaleString('en-US')} more${v.log ? '' : ' (--log FILE lists all)'}`);
        io.stderr.write(lines.join('\n') + '\n');
      }
      return 0;
    }
    const found = totals.repeats > 0 || totals.passages > 0 || totals.nearDuplicates > 0;
    // with --check --quiet only the exit status is wanted
    if (!(v.check && v.quiet)) {
      progress.phase('building the report');
      let out: string | Iterable<Piece>;
      if (format === 'json') out = parts ? reportPartsJsonPieces(parts) : reportJsonPieces(made!);
      else {
        const r = report(), needed = new Set<string>();
        for (const x of r.repeats) needed.add(x.doc);
        for (const p of r.passages) for (const o of p.occurrences) needed.add(o.doc);
        const texts = refineFrom === undefined ? await collectTexts(paths, inputOptions(), needed) : new Map<string, string>();
        // earlier documents' texts come from the index
        if (index) for (const [id, text] of await index.texts([...needed].filter((id) => !texts.has(id)))) texts.set(id, text);
        out = format === 'html' ? formatHtml(r, texts, { chart: await passageChart(r) }) : formatText(r, texts, { color: !v.output && wantColor(io.stdout) });
      }
      progress.phase(v.output ? `writing ${v.output}` : 'writing');
      progress.done();
      emit(typeof out === 'string' ? [out] : out);
    }
    progress.done();
    summary(v.output ? `; wrote ${v.output}` : '');
    return v.check && found ? 1 : 0;
  } finally {
    if (spool) rmSync(spool, { recursive: true, force: true });
  }
}

/** The error for a duplicate id: where the id came first and where it came again (a second pass). */
async function duplicateError(paths: string[], o: InputOptions, id: string, original?: ReprintError): Promise<ReprintError> {
  const seen: string[] = [];
  for await (const d of readInputs(paths, o)) {
    if (d.id !== id) continue;
    seen.push(d.where);
    if (seen.length === 2) break;
  }
  const [first, again] = seen;
  // an id the input has once was refused for another reason (a persistent index holds it)
  if (again === undefined && original) return original;
  return new ReprintError(ErrorCode.DUPLICATE_ID, again !== undefined ? `${again}: document id ${JSON.stringify(id)} was used already (${first})` : `document ids must be unique, got ${JSON.stringify(id)} twice`, id);
}

/** Second pass over the inputs for the texts the output shows (the scan itself keeps no texts). */
async function collectTexts(paths: string[], o: InputOptions, ids: Set<string>): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  if (ids.size === 0) return texts;
  for await (const d of readInputs(paths, o)) if (ids.has(d.id)) texts.set(d.id, d.text);
  return texts;
}

// run when executed (directly or through the npm bin link), not when imported
const invoked = (() => { try { return realpathSync(process.argv[1] ?? '') === fileURLToPath(import.meta.url); } catch { return false; } })();
if (invoked) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
