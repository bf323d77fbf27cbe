#!/usr/bin/env node
/** The `reprint` command: scan, clean, schema. It uses the library's scan and report; nothing here re-implements the engine. */
import { closeSync, openSync, readFileSync, realpathSync, writeFileSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { planClean } from './clean.js';
import { DEFAULT_MAX_PAIR_CANDIDATES, DEFAULT_MIN_WORDS, DEFAULT_NUM_PERM, DEFAULT_SEED, DEFAULT_SHINGLE_SIZE, DEFAULT_THRESHOLD } from './defaults.js';
import { ErrorCode, ReprintError } from './errors.js';
import { formatText } from './format.js';
import { formatHtml } from './html.js';
import { readInputs, type InputOptions } from './input.js';
import type { ScanOptions } from './options.js';
import { reportJsonSchema, type Report } from './report.js';
import { scan } from './scan.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export const HELP = `reprint ${VERSION}: find repeated passages inside and across documents, and near-duplicate documents

Usage:
  reprint scan <paths...> [options]     report repeats (text, json or html)
  reprint clean <paths...> [options]    write the corpus back as JSONL without its repeats
  reprint schema [--output FILE]        print the JSON Schema of the scan report
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
  --jobs N             threads: N - 1 workers beside the main one (default 1; same results for any N)
  --only WHAT          passages or near-duplicates: skip the other half of the job
  --fold-digits        fold every digit to 0, so that copies whose figures changed match (off by
                       default: tables of figures and numeric junk then look alike too)
  --text-field NAME    JSONL field holding the text (default text)
  --id-field NAME      JSONL field holding the id (default id)
  --output, -o FILE    write to FILE instead of standard output
  --quiet, -q          no progress bar and no summary on standard error

scan:
  --format F           text (default), json (the library's report object) or html (one offline page)
  --check              exit 1 if any duplicate content is found (for pipelines)
  --alignments         also list every aligned pair of spans (the report's "alignments")

clean:
  --keep K             which document of a near-duplicate cluster to keep: first (default) or longest
  --strip-boilerplate N  also remove passages found in N or more documents (their first occurrence stays)

Exit status: 0 success, 1 duplicates found with --check, 2 bad input or usage.

Examples:
  reprint scan page.txt
  reprint scan corpus/ --format html -o report.html
  reprint scan pages/ --only near-duplicates --threshold 0.9
  reprint scan articles.jsonl --text-field body --format json --jobs 2 > report.json
  cat articles.jsonl | reprint scan - --check --quiet
  reprint clean articles.jsonl --keep longest --strip-boilerplate 20 -o clean.jsonl
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
  'fold-digits': { type: 'boolean' },
  alignments: { type: 'boolean' },
  keep: { type: 'string' },
  'strip-boilerplate': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const satisfies ParseArgsConfig['options'];

type Values = { [K in keyof typeof options]?: (typeof options)[K]['type'] extends 'boolean' ? boolean : string };

const FLAG: Record<string, string> = { threshold: '--threshold', minWords: '--min-words', maxPairCandidates: '--max-pairs', shingleSize: '--shingle', numPerm: '--perms', seed: '--seed', jobs: '--jobs' };

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
      io.stderr.write(`reprint: ${err.message.split('\n')[0]} (see reprint --help)\n`);
      return 2;
    }
    io.stderr.write(`reprint: ${err.message}\n`);
    return 2;
  }
}

async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  const v = values as Values;
  if (v.version) { io.stdout.write(`${VERSION}\n`); return 0; }
  const [command, ...paths] = positionals;
  if (v.help || command === undefined || command === 'help') { io.stdout.write(HELP); return 0; }
  if (!['scan', 'clean', 'schema'].includes(command)) usage(`unknown command ${JSON.stringify(command)}; commands are scan, clean, schema`);
  const emit = (s: string) => { if (v.output) writeFileSync(v.output, s); else io.stdout.write(s); };
  const only = (allowed: string[]) => {
    for (const k of Object.keys(v)) if (!allowed.includes(k)) usage(`--${k} does not apply to ${command}`);
  };
  if (command === 'schema') {
    only(['output']);
    emit(JSON.stringify(reportJsonSchema(), null, 2) + '\n');
    return 0;
  }
  const common = ['output', 'threshold', 'min-words', 'max-pairs', 'shingle', 'perms', 'seed', 'jobs', 'only', 'fold-digits', 'text-field', 'id-field', 'quiet'];
  only(command === 'scan' ? [...common, 'format', 'check', 'alignments'] : [...common, 'keep', 'strip-boilerplate']);
  if (!paths.length) usage(`${command} needs at least one path (a file, a directory, a .jsonl file or -)`);
  const format = v.format ?? 'text';
  if (!['text', 'json', 'html'].includes(format)) usage(`--format must be text, json or html, got ${JSON.stringify(format)}`);
  const keep = v.keep ?? 'first';
  if (keep !== 'first' && keep !== 'longest') usage(`--keep must be first or longest, got ${JSON.stringify(keep)}`);
  const strip = number(v, 'strip-boilerplate') ?? 0;
  if (!Number.isInteger(strip) || strip < 0) usage(`--strip-boilerplate must be a whole number of documents (2 or more, 0 for off), got ${JSON.stringify(v['strip-boilerplate'])}`);
  const opts = scanOptions(v);

  // standard input can be read once only: keep it for the second pass
  const stdinBytes = paths.includes('-') ? await readAll(io.stdin) : undefined;
  const inputOptions = (): InputOptions => ({ textField: v['text-field'] ?? 'text', idField: v['id-field'] ?? 'id', ...(stdinBytes ? { stdin: Readable.from([stdinBytes]) } : {}) });

  const progress = progressBar(io, !v.quiet);
  const report = await scan(readInputs(paths, inputOptions()), opts, { onProgress: progress.update });
  progress.done();

  if (command === 'clean') {
    // second pass: documents stream through the plan to the output, one line each
    const plan = planClean(report, { keep, stripBoilerplate: strip });
    const sink = v.output ? openSync(v.output, 'w') : undefined;
    const write = (s: string) => { if (sink === undefined) io.stdout.write(s); else writeSync(sink, s); };
    let kept = 0;
    try {
      for await (const d of readInputs(paths, inputOptions())) {
        if (!plan.keeps(d.id)) continue;
        write(JSON.stringify({ id: d.id, text: plan.apply(d.id, d.text) }) + '\n');
        kept++;
      }
    } finally {
      if (sink !== undefined) closeSync(sink);
    }
    if (!v.quiet) {
      const chars = plan.removed.reduce((s, r) => s + r.end - r.start, 0);
      const lines = [`reprint clean: kept ${kept} of ${report.documents.length} documents, dropped ${plan.dropped.length} near-duplicates, removed ${plan.removed.length} spans (${chars.toLocaleString('en-US')} characters)`];
      for (const d of plan.dropped.slice(0, 20)) lines.push(`  dropped ${d.id} (near-duplicate of ${d.duplicateOf})`);
      for (const r of plan.removed.slice(0, 20)) lines.push(`  removed ${r.doc} [${r.start}, ${r.end}) ${r.reason} of ${r.reason === 'repeat' ? 'R' : '#'}${r.passage}, kept in ${r.kept.doc} [${r.kept.start}, ${r.kept.end})`);
      const more = Math.max(0, plan.dropped.length - 20) + Math.max(0, plan.removed.length - 20);
      if (more) lines.push(`  … and ${more} more`);
      io.stderr.write(lines.join('\n') + '\n');
    }
    return 0;
  }
  if (format === 'json') emit(JSON.stringify(report, null, 2) + '\n');
  else {
    const needed = new Set<string>();
    for (const r of report.repeats) needed.add(r.doc);
    for (const p of report.passages) for (const o of p.occurrences) needed.add(o.doc);
    const texts = await collectTexts(paths, inputOptions(), needed);
    emit(format === 'html' ? formatHtml(report, texts) : formatText(report, texts, { color: !v.output && Boolean(io.stdout.isTTY) }));
  }
  if (v.check && (report.repeats.length > 0 || report.passages.length > 0 || report.nearDuplicates.length > 0)) return 1;
  return 0;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

/** Second pass over the inputs for the texts the output shows (the scan itself keeps no texts). */
async function collectTexts(paths: string[], o: InputOptions, ids: Set<string>): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  if (ids.size === 0) return texts;
  for await (const d of readInputs(paths, o)) if (ids.has(d.id)) texts.set(d.id, d.text);
  return texts;
}

/** A progress line on standard error, on a TTY only, once a run has taken more than a second. */
function progressBar(io: Io, enabled: boolean): { update: (docs: number, chars: number) => void; done: () => void } {
  const start = Date.now();
  let shown = false, last = 0;
  return {
    update(docs, chars) {
      if (!enabled || !io.stderr.isTTY) return;
      const now = Date.now();
      if (now - start < 1000 || now - last < 100) return;
      last = now;
      shown = true;
      const mb = chars / 1e6, rate = mb / ((now - start) / 1000);
      const width = 24, filled = Math.floor(((now - start) / 250) % (width + 1));
      io.stderr.write(`\r[${'='.repeat(filled).padEnd(width)}] ${docs.toLocaleString('en-US')} documents, ${mb.toFixed(1)} MB, ${rate.toFixed(1)} MB/s `);
    },
    done() { if (shown) io.stderr.write('\r\x1b[K'); },
  };
}

// run when executed (directly or through the npm bin link), not when imported
const invoked = (() => { try { return realpathSync(process.argv[1] ?? '') === fileURLToPath(import.meta.url); } catch { return false; } })();
if (invoked) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
