// End to end: the real CLI from process start to report written, on the generated corpus as one
// JSONL file, with --jobs 1 and the CLI's default jobs; its time broken down by phase (each phase timed on its
// own in a child process); and the peers doing their near-duplicate job from the same file in the
// same run: npm minhash, and Python datasketch where it can be imported (DATASKETCH_PATH names a
// checkout; without Python or datasketch the row is left out and the run says so).
//   node bench/e2e.js            measure 16,000 and 128,000 documents, merge into latest.json, redraw
//   node bench/e2e.js --quick    4,000 documents
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { loadCorpus } from '../corpus/generate.js';

const here = new URL('.', import.meta.url);
// the package's executable, as a user runs it (large inputs on Linux run in a child asking for huge pages)
const CLI = fileURLToPath(new URL('../dist/bin.js', here));
const log = (s) => process.stderr.write(s + '\n');
const seconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;

/** Wall time of a command, from spawn to exit (the fastest of `runs`). */
function timed(cmd, args, runs = 2, env = process.env) {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env, encoding: 'utf8', maxBuffer: 1 << 26 });
    const s = seconds(t0);
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
    best = Math.min(best, s);
  }
  return best;
}

// ---- child: the CLI's phases, each timed on its own, printed as one JSON line ----
async function phases(file) {
  const out = {};
  let t0 = process.hrtime.bigint();
  const lib = await import('reprint');
  lib.kernelAvailable();
  out.import = seconds(t0);
  const { readInputs } = await import('reprint');
  // reading and parsing as the CLI streams it (nothing kept), then again into memory, untimed
  t0 = process.hrtime.bigint();
  let chars = 0;
  for await (const d of readInputs([file], { textField: 'text', idField: 'id' })) chars += d.text.length;
  out.read = seconds(t0);
  const docs = await readDocs(file);
  global.gc?.();
  t0 = process.hrtime.bigint();
  const corpus = new lib.Corpus();
  for (const d of docs) corpus.ingest(d);
  out.ingest = seconds(t0);
  t0 = process.hrtime.bigint();
  // the report in parts, as the CLI takes it (its JSON is written without the report's objects)
  const parts = corpus.reportParts();
  out.report = seconds(t0);
  // the JSON as the CLI makes it (bytes, a piece at a time), then the same bytes written at once
  const { reportPartsJsonPieces } = await import('reprint/internal');
  t0 = process.hrtime.bigint();
  let bytes = 0;
  for (const piece of reportPartsJsonPieces(parts)) bytes += piece.length;
  out.serialize = seconds(t0);
  const json = Buffer.allocUnsafe(bytes);
  let at = 0;
  for (const piece of reportPartsJsonPieces(parts)) { json.set(piece, at); at += piece.length; }
  t0 = process.hrtime.bigint();
  const path = join(tmpdir(), `reprint-e2e-${process.pid}.json`);
  writeFileSync(path, json);
  out.write = seconds(t0);
  rmSync(path);
  return { ...out, chars };
}

// ---- child: what two cores can give at best: the file's two halves scanned one after the other on
// this thread, then at once (this thread and a worker running this file), each a Corpus of its own ----

/** The file's documents, read as the CLI reads them. */
async function readDocs(file) {
  const { readInputs } = await import('reprint');
  const docs = [];
  for await (const d of readInputs([file], { textField: 'text', idField: 'id' })) docs.push(d);
  return docs;
}

/** A scan of half `which` (0 or 1) of `docs` by a Corpus of its own, returning its seconds. */
async function halfScan(docs, which) {
  const { Corpus } = await import('reprint');
  const half = which ? docs.slice(docs.length >> 1) : docs.slice(0, docs.length >> 1);
  return () => { const t0 = process.hrtime.bigint(); const c = new Corpus(); for (const d of half) c.ingest(d); c.report(); return seconds(t0); };
}

async function ceiling(file) {
  const docs = await readDocs(file), scanA = await halfScan(docs, 0), scanB = await halfScan(docs, 1);
  const worker = new Worker(new URL(import.meta.url), { workerData: { halfOf: file } });
  const reply = () => new Promise((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
  // both threads warm, each having scanned its half once
  scanA();
  await reply();
  let sequential = Infinity, parallel = Infinity;
  for (let rep = 0; rep < 2; rep++) {
    global.gc?.();
    sequential = Math.min(sequential, scanA() + scanB());
    global.gc?.();
    const t0 = process.hrtime.bigint(), other = reply();
    worker.postMessage('scan');
    scanA();
    await other;
    parallel = Math.min(parallel, seconds(t0));
  }
  await worker.terminate();
  return { sequential, parallel };
}

// ---- child: npm minhash's near-duplicate job from the JSONL file ----
async function minhashJob(file) {
  const { runMinhashPeer } = await import('./peers.js');
  const documents = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  return runMinhashPeer(documents).report.nearDuplicates.length;
}

/** The Python peer: datasketch MinHash (128 permutations, word 5-shingles) and MinHashLSH at 0.8. */
const DATASKETCH = `
import json, re, sys, time
from datasketch import MinHash, MinHashLSH
lsh = MinHashLSH(threshold=0.8, num_perm=128)
sigs, pairs = {}, 0
with open(sys.argv[1], encoding='utf-8') as f:
    for line in f:
        d = json.loads(line)
        w = [x for x in re.split(r'[^a-z0-9]+', d['text'].lower()) if x]
        m = MinHash(num_perm=128)
        m.update_batch([' '.join(w[i:i + 5]).encode('utf8') for i in range(max(1, len(w) - 4))])
        for other in lsh.query(m):
            if m.jaccard(sigs[other]) >= 0.8: pairs += 1
        lsh.insert(d['id'], m)
        sigs[d['id']] = m
print(pairs)
`;

/** How to run datasketch here: a python3 that imports it (DATASKETCH_PATH on PYTHONPATH), or undefined. */
function datasketchEnv() {
  const env = { ...process.env, ...(process.env.DATASKETCH_PATH ? { PYTHONPATH: process.env.DATASKETCH_PATH } : {}) };
  const r = spawnSync('python3', ['-c', 'import datasketch, numpy'], { env, stdio: 'ignore' });
  return r.status === 0 ? env : undefined;
}

export function measureE2E(quick) {
  const sizes = quick ? [4000] : [16000, 128000];
  const rows = [];
  const start = timed(process.execPath, ['-e', ''], 3);
  const ds = datasketchEnv();
  if (!ds) log('e2e: datasketch is not importable (set DATASKETCH_PATH to a checkout); its row is left out');
  const script = join(tmpdir(), `reprint-datasketch-${process.pid}.py`);
  writeFileSync(script, DATASKETCH);
  for (const size of sizes) {
    const { file } = loadCorpus(size);
    const mb = statSync(file).size / 1e6, out = join(tmpdir(), `reprint-e2e-${size}.json`);
    // --jobs 1, and the CLI's default (one thread per 20 MB of input, up to the cores)
    for (const jobs of [1, 0]) {
      log(`e2e: reprint scan, ${size} documents, ${jobs ? `--jobs ${jobs}` : 'default jobs'}…`);
      const s = timed(process.execPath, [CLI, 'scan', file, '--format', 'json', '-o', out, '--quiet', ...(jobs ? ['--jobs', String(jobs)] : [])]);
      const used = jobs || JSON.parse(readFileSync(out, 'utf8')).options.jobs;
      rows.push({ tool: 'reprint', docs: size, mb, jobs: used, defaultJobs: !jobs, seconds: s, mbPerSecond: mb / s });
    }
    rmSync(out, { force: true });
    // the phases and the ceiling with huge pages where the executable would ask for them
    // (src/bin.ts), as the CLI rows ran
    const env = process.platform === 'linux' && process.env.GLIBC_TUNABLES === undefined && statSync(file).size >= 64 << 20 ? { ...process.env, GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' } : process.env;
    log(`e2e: phases, ${size} documents…`);
    const p = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=16000', fileURLToPath(import.meta.url), '--phases', file], { encoding: 'utf8', env, maxBuffer: 1 << 26 }).trim().split('\n').pop());
    rows.find((r) => r.tool === 'reprint' && r.docs === size && !r.defaultJobs).phases = { start, ...p };
    log(`e2e: two-core ceiling, ${size} documents…`);
    const c = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=16000', fileURLToPath(import.meta.url), '--ceiling', file], { encoding: 'utf8', env, maxBuffer: 1 << 26 }).trim().split('\n').pop());
    rows.push({ tool: 'ceiling', docs: size, mb, jobs: 2, ...c, speedup: c.sequential / c.parallel });
    // npm minhash runs at about 0.6 MB/s: 16,000 documents take over a minute
    if (size <= 16000) {
      log(`e2e: npm minhash, ${size} documents…`);
      const s = timed(process.execPath, [fileURLToPath(import.meta.url), '--minhash', file], 1);
      rows.push({ tool: 'minhash', docs: size, mb, jobs: 1, seconds: s, mbPerSecond: mb / s });
    }
    if (ds && size <= 16000) {
      log(`e2e: datasketch, ${size} documents…`);
      const s = timed('python3', [script, file], 1, ds);
      rows.push({ tool: 'datasketch', docs: size, mb, jobs: 1, seconds: s, mbPerSecond: mb / s });
    }
  }
  rmSync(script, { force: true });
  return rows;
}

/** The end-to-end table (markdown). */
export function e2eTable(rows) {
  const name = { reprint: 'reprint scan (CLI)', minhash: 'npm minhash 0.0.9', datasketch: 'datasketch (Python)' };
  const f = (x, d = 2) => (x === undefined ? '—' : x.toFixed(d));
  let md = '| tool | docs | MB | jobs | seconds | MB/s | start | import + WASM | read + parse | ingest | report | JSON | write |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n';
  for (const r of rows) {
    if (r.tool === 'ceiling') continue;
    const p = r.phases ?? {};
    md += `| ${name[r.tool]}${r.defaultJobs ? ' (default jobs)' : ''} | ${r.docs.toLocaleString('en-US')} | ${f(r.mb, 1)} | ${r.jobs} | ${f(r.seconds)} | ${f(r.mbPerSecond, 1)} | ${f(p.start)} | ${f(p.import)} | ${f(p.read)} | ${f(p.ingest)} | ${f(p.report)} | ${f(p.serialize)} | ${f(p.write)} |\n`;
  }
  md += '\nPhases are timed one by one in a child process (the CLI runs them in one); peers run their near-duplicate job only, reprint also finds repeats and passages.\n';
  // what --jobs 2 gains, beside what two cores can give this workload at best
  for (const c of rows.filter((r) => r.tool === 'ceiling')) {
    const one = rows.find((r) => r.tool === 'reprint' && r.docs === c.docs && r.jobs === 1 && !r.defaultJobs);
    const two = rows.find((r) => r.tool === 'reprint' && r.docs === c.docs && r.jobs === 2);
    const jobs = two && one ? `--jobs 2 is ${(one.seconds / two.seconds).toFixed(2)}x --jobs 1` : 'the default runs one thread';
    md += `\nAt ${c.docs.toLocaleString('en-US')} documents ${jobs}. What two threads can give this work here: the corpus's two halves, each scanned by a Corpus of its own with nothing shared, at once on two threads against one after the other, ${c.speedup.toFixed(2)}x (${f(c.parallel)} s against ${f(c.sequential)} s; two halves do less than the whole, which also matches across them).\n`;
  }
  return md;
}

if (!isMainThread) {
  // the ceiling's worker: the second half, scanned once to warm up, then once per message
  const scan = await halfScan(await readDocs(workerData.halfOf), 1);
  scan();
  parentPort.postMessage('ready');
  parentPort.on('message', () => parentPort.postMessage(scan()));
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean' }, phases: { type: 'string' }, ceiling: { type: 'string' }, minhash: { type: 'string' } } });
  if (values.phases) console.log(JSON.stringify(await phases(values.phases)));
  else if (values.ceiling) console.log(JSON.stringify(await ceiling(values.ceiling)));
  else if (values.minhash) console.log(await minhashJob(values.minhash));
  else {
    const rows = measureE2E(Boolean(values.quick));
    console.log(e2eTable(rows));
    const latest = new URL('results/latest.json', here);
    if (existsSync(latest)) {
      const result = JSON.parse(readFileSync(latest, 'utf8'));
      result.e2e = rows;
      result.e2eDate = new Date().toISOString();
      writeFileSync(latest, JSON.stringify(result, null, 2) + '\n');
      execFileSync(process.execPath, [fileURLToPath(new URL('run.js', here)), '--render'], { stdio: 'inherit' });
    }
  }
}
