// npm run bench:index: the persistent index on a corpus that grows batch by batch.
// - Scale: the news generator's corpus of --docs documents (default 1,000,000) in --batches equal
//   JSONL files (default 10). Each batch is added through the real CLI (`reprint index add`), and
//   the same batch is scanned in memory (`reprint scan`) with the same jobs, each in its own
//   process: wall time, peak RSS, the index's bytes on disk after it, and the add's stage times.
// - Equivalence: --equivalence documents (default 128,000) scanned whole with --alignments, and
//   added in --batches batches: the alignments, near-duplicate pairs and repeats must be the same.
// Results: bench/results/index.json, index.md and index.svg, and one line in history.jsonl.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { corpusBatches, loadCorpus } from '../corpus/generate.js';

const { values } = parseArgs({ options: { docs: { type: 'string' }, batches: { type: 'string' }, equivalence: { type: 'string' }, jobs: { type: 'string' }, keep: { type: 'boolean' } } });
const DOCS = Number(values.docs ?? 1_000_000), BATCHES = Number(values.batches ?? 10), EQ = Number(values.equivalence ?? 128_000);
const JOBS = values.jobs ?? String(Math.min(2, cpus().length));
const child = fileURLToPath(new URL('cli-child.js', import.meta.url));
const log = (s) => process.stderr.write(s + '\n');
const work = mkdtempSync(join(tmpdir(), 'reprint-bench-index-'));

// the environment the reprint executable gives a command on inputs this size (src/bin.ts): on
// Linux, glibc asked for transparent huge pages, unless GLIBC_TUNABLES is set already
const hugePages = process.platform === 'linux' && process.env.GLIBC_TUNABLES === undefined ? { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' } : {};

/** Run the CLI in a child process; returns its measurement line and the add's stage times (REPRINT_TRACE). */
function cli(args, trace = false) {
  const r = spawnSync(process.execPath, [child, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, ...hugePages, ...(trace ? { REPRINT_TRACE: '1' } : {}) } });
  const line = /\[cli-child\] (.*)/.exec(r.stderr ?? '');
  if (r.status !== 0 || !line) throw new Error(`reprint ${args.join(' ')} failed (${r.status}): ${r.stderr?.slice(-2000)}`);
  // wall milliseconds by stage, then CPU milliseconds (every thread) by stage
  const stages = /\[index (?:add|query)\] (\{.*?\}) cpu (\{.*\})/.exec(r.stderr);
  return { ...JSON.parse(line[1]), stages: stages ? JSON.parse(stages[1]) : null, stageCpu: stages ? JSON.parse(stages[2]) : null };
}

// ---- scale ----
log(`corpus: ${DOCS} documents in ${BATCHES} batches…`);
const files = corpusBatches(DOCS, BATCHES);
const dir = join(work, 'index');
const rows = [];
for (const [k, file] of files.entries()) {
  const mb = statSync(file).size / 1e6;
  const scan = cli(['scan', file, '--format', 'json', '-o', '/dev/null', '--quiet', '--jobs', JOBS]);
  const add = cli(['index', 'add', dir, file, '--format', 'json', '-o', '/dev/null', '--quiet', '--jobs', JOBS], true);
  const stats = JSON.parse(spawnSync(process.execPath, [fileURLToPath(new URL('../dist/cli.js', import.meta.url)), 'index', 'stats', dir, '--format', 'json'], { encoding: 'utf8' }).stdout);
  const textMb = files.slice(0, k + 1).reduce((s, f) => s + statSync(f).size, 0) / 1e6;
  const row = {
    batch: k + 1, documents: stats.documents, mb, scanSeconds: scan.seconds, addSeconds: add.seconds, speedRatio: scan.seconds / add.seconds,
    scanCpuSeconds: scan.cpuSeconds, addCpuSeconds: add.cpuSeconds, stageCpu: add.stageCpu,
    scanRssMb: scan.maxRssMb, addRssMb: add.maxRssMb, indexMb: stats.bytes / 1e6, bytesPerTextByte: stats.bytes / 1e6 / textMb, stages: add.stages,
  };
  rows.push(row);
  log(`batch ${row.batch}: add ${row.addSeconds.toFixed(1)} s (${(mb / row.addSeconds).toFixed(1)} MB/s, ${row.addRssMb.toFixed(0)} MB RSS), in-memory scan ${row.scanSeconds.toFixed(1)} s; index ${row.indexMb.toFixed(0)} MB (${row.bytesPerTextByte.toFixed(3)} bytes per byte of text)`);
}

// ---- equivalence ----
log(`equivalence: ${EQ} documents whole and in ${BATCHES} batches…`);
const { documents } = loadCorpus(EQ);
const per = Math.ceil(EQ / BATCHES);
const whole = join(work, 'whole.jsonl');
writeFileSync(whole, documents.map((d) => JSON.stringify(d)).join('\n') + '\n');
const wholeReport = join(work, 'whole.json');
const wholeRun = cli(['scan', whole, '--alignments', '--format', 'json', '-o', wholeReport, '--quiet', '--jobs', JOBS]);
const eqDir = join(work, 'eq-index'), parts = [];
let eqAddSeconds = 0;
for (let k = 0; k < BATCHES; k++) {
  const f = join(work, `eq-${k}.jsonl`), out = join(work, `eq-${k}.json`);
  writeFileSync(f, documents.slice(k * per, (k + 1) * per).map((d) => JSON.stringify(d)).join('\n') + '\n');
  eqAddSeconds += cli(['index', 'add', eqDir, f, '--alignments', '--format', 'json', '-o', out, '--quiet', '--jobs', JOBS]).seconds;
  parts.push(out);
}
const keyed = (reports) => {
  const a = [], p = [], r = [];
  for (const file of reports) {
    const x = JSON.parse(readFileSync(file, 'utf8'));
    for (const y of x.alignments) a.push(JSON.stringify(y));
    for (const y of x.nearDuplicates) p.push(JSON.stringify(y));
    for (const y of x.repeats) r.push(JSON.stringify({ doc: y.doc, copies: y.copies }));
  }
  return { alignments: a.sort(), pairs: p.sort(), repeats: r.sort() };
};
const A = keyed([wholeReport]), B = keyed(parts);
const same = (x, y) => x.length === y.length && x.every((v, i) => v === y[i]);
const equivalence = {
  documents: EQ, batches: BATCHES, wholeSeconds: wholeRun.seconds, addSeconds: eqAddSeconds,
  alignments: A.alignments.length, pairs: A.pairs.length, repeats: A.repeats.length,
  sameAlignments: same(A.alignments, B.alignments), samePairs: same(A.pairs, B.pairs), sameRepeats: same(A.repeats, B.repeats),
};
log(`equivalence: ${JSON.stringify(equivalence)}`);
if (!values.keep) rmSync(work, { recursive: true, force: true });

// ---- results ----
const result = { date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model, cores: cpus().length, jobs: Number(JOBS), hugePages: 'GLIBC_TUNABLES' in hugePages, docs: DOCS, batches: BATCHES, rows, equivalence };
const out = new URL('results/', import.meta.url);
mkdirSync(out, { recursive: true });
writeFileSync(new URL('index.json', out), JSON.stringify(result, null, 2) + '\n');
appendFileSync(new URL('history.jsonl', out), JSON.stringify({ kind: 'index', date: result.date, docs: DOCS, batches: BATCHES, jobs: result.jobs, hugePages: result.hugePages, rows: rows.map((r) => ({ batch: r.batch, addSeconds: +r.addSeconds.toFixed(2), scanSeconds: +r.scanSeconds.toFixed(2), addCpuSeconds: +r.addCpuSeconds.toFixed(1), scanCpuSeconds: +r.scanCpuSeconds.toFixed(1), addRssMb: Math.round(r.addRssMb), bytesPerTextByte: +r.bytesPerTextByte.toFixed(3) })), equivalence }) + '\n');

const f1 = (x) => x.toFixed(1), f2 = (x) => x.toFixed(2);
/** A markdown table of each add's milliseconds by stage (row field `key`: wall or CPU). */
const stageTable = (key) => {
  const names = Object.keys(rows[rows.length - 1][key]);
  return [`| batch | ${names.join(' | ')} |`, `|---:|${names.map(() => '---:').join('|')}|`, ...rows.map((r) => `| ${r.batch} | ${names.map((k) => r[key]?.[k] ?? '—').join(' | ')} |`)];
};
const first = rows[0], last = rows[rows.length - 1];
const md = [
  `# Persistent index: ${DOCS.toLocaleString('en-US')} documents in ${BATCHES} batches`,
  '',
  `_Measured ${result.date.slice(0, 10)} with \`npm run bench:index\` on ${result.cpu} (${result.cores} cores), Node ${result.node}; --jobs ${JOBS} for both the add and the in-memory scan of the same batch${result.hugePages ? ', both with glibc asking for huge pages, as the reprint executable runs them' : ''}._`,
  '',
  '| batch | documents in index | batch MB | add s | add MB/s | in-memory scan s | add speed / scan speed | add CPU s | scan CPU s | add peak RSS MB | index MB | bytes per byte of text |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.batch} | ${r.documents.toLocaleString('en-US')} | ${f1(r.mb)} | ${f1(r.addSeconds)} | ${f1(r.mb / r.addSeconds)} | ${f1(r.scanSeconds)} | ${f2(r.speedRatio)} | ${f1(r.addCpuSeconds)} | ${f1(r.scanCpuSeconds)} | ${r.addRssMb.toFixed(0)} | ${r.indexMb.toFixed(0)} | ${r.bytesPerTextByte.toFixed(3)} |`),
  '',
  `Last batch / first batch: ${f2(last.addSeconds / first.addSeconds)}x. Largest add peak RSS: ${Math.max(...rows.map((r) => r.addRssMb)).toFixed(0)} MB.`,
  '',
  'Stage times of each add (ms, from REPRINT_TRACE):',
  '',
  ...stageTable('stages'),
  '',
  'CPU time of each stage (ms, every thread of the process: the engine\'s, the workers\' and this one):',
  '',
  ...stageTable('stageCpu'),
  '',
  `Equivalence at ${EQ.toLocaleString('en-US')} documents in ${BATCHES} batches against one scan: alignments ${equivalence.sameAlignments ? 'identical' : 'DIFFER'} (${equivalence.alignments.toLocaleString('en-US')}), near-duplicate pairs ${equivalence.samePairs ? 'identical' : 'DIFFER'} (${equivalence.pairs.toLocaleString('en-US')}), repeats ${equivalence.sameRepeats ? 'identical' : 'DIFFER'} (${equivalence.repeats.toLocaleString('en-US')}); whole scan ${f1(equivalence.wholeSeconds)} s, the ${BATCHES} adds ${f1(equivalence.addSeconds)} s.`,
  '',
];
writeFileSync(new URL('index.md', out), md.join('\n'));
console.log(md.join('\n'));

const vega = await import('vega');
const vl = await import('vega-lite');
const points = rows.flatMap((r) => [
  { batch: r.batch, what: 'index add', seconds: r.addSeconds, rss: r.addRssMb },
  { batch: r.batch, what: 'in-memory scan of the batch', seconds: r.scanSeconds, rss: r.scanRssMb },
]);
const chart = (field, title) => ({
  width: 320, height: 220, mark: { type: 'line', point: true },
  encoding: { x: { field: 'batch', type: 'quantitative', title: `batch (${(DOCS / BATCHES).toLocaleString('en-US')} documents each)` }, y: { field, type: 'quantitative', title }, color: { field: 'what', type: 'nominal', title: null } },
});
const spec = vl.compile({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', data: { values: points }, hconcat: [chart('seconds', 'seconds'), chart('rss', 'peak RSS (MB)')], config: { font: 'sans-serif' } }).spec;
writeFileSync(new URL('index.svg', out), await new vega.View(vega.parse(spec), { renderer: 'none' }).toSVG());
log('wrote bench/results/index.json, index.md, index.svg');
