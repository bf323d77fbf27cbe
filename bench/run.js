// npm run bench: speed, scale and quality of reprint on a growing generated corpus (Brown prose
// with planted repeats) and on real text that no one here wrote (bench/real.js), with the npm
// `minhash` package and exact brute force doing the near-duplicate job in the same run. Quality is
// measured against truth computed by bench/truth.js, which shares no code with reprint. Each
// (tool, corpus) runs in its own child process so peak memory is its own.
//   node bench/run.js            1k, 4k, 16k, 64k, 128k documents and the real corpora
//   node bench/run.js --quick    1k and 4k and the real corpora (under five minutes)
//   node bench/run.js --render   re-render the table, chart and README from bench/results/latest.json
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';
import { Corpus, LshIndex, MinHasher, createTokens, recallParams, tokenize, wordShingles } from 'reprint/internal';
import { loadCorpus } from '../corpus/generate.js';
import { corpusTruth, evaluate } from './quality.js';
import { realCorpora } from './real.js';
import { e2eTable, measureE2E } from './e2e.js';
import { runBruteForce, runMinhashPeer, runReprint } from './peers.js';

const here = new URL('.', import.meta.url);
const { values } = parseArgs({ options: { quick: { type: 'boolean' }, render: { type: 'boolean' }, child: { type: 'string' }, tool: { type: 'string' }, jobs: { type: 'string' }, huge: { type: 'boolean' }, 'fold-digits': { type: 'boolean' }, 'max-pairs': { type: 'string' } } });

const mb = (docs) => docs.reduce((s, d) => s + Buffer.byteLength(d.text), 0) / 1e6;

// ---- child: one tool on one corpus (a generated size, or real:NAME), prints one JSON line ----
if (values.child) {
  const real = values.child.startsWith('real:');
  let documents, planted, families;
  if (real) ({ documents, planted } = realCorpora().find((c) => c.name === values.child.slice(5)));
  else { let truth; ({ documents, truth } = loadCorpus(Number(values.child))); planted = truth.internal; families = truth.families; }
  const bytes = mb(documents);
  const foldDigits = Boolean(values['fold-digits']);
  const maxPairs = values['max-pairs'] ? Number(values['max-pairs']) : undefined;
  const extra = maxPairs ? { maxPairCandidates: maxPairs } : {};
  global.gc?.();
  const before = process.memoryUsage();
  const rssBase = process.resourceUsage().maxRSS;
  const t0 = performance.now();
  const jobs = Number(values.jobs ?? 1);
  let out;
  if (values.tool === 'reprint' && jobs > 1) {
    const { scan } = await import('reprint');
    out = { report: await scan(documents, { jobs, foldDigits, ...extra }) };
  } else {
    out = values.tool === 'reprint' ? runReprint(documents, { foldDigits, ...extra }) : values.tool === 'minhash' ? runMinhashPeer(documents) : runBruteForce(documents, { foldDigits });
  }
  const seconds = (performance.now() - t0) / 1000;
  const after = process.memoryUsage();
  const peakRssMb = process.resourceUsage().maxRSS / 1024, addedRssMb = (process.resourceUsage().maxRSS - rssBase) / 1024;
  // the truth: all pairs on real corpora, pairs within families on generated ones; character
  // truth up to 16,000 documents (the cross-document truth holds every 20-word run in memory)
  const truth = corpusTruth(documents, { foldDigits, planted, families, crossMaxDocs: 16000, internalMaxDocs: 16000 });
  const quality = evaluate({ repeats: [], passages: [], clusters: [], ...out.report }, documents, truth);
  delete quality.missedBlocks;
  if (values.tool !== 'reprint') for (const k of ['internalCoverage', 'wholeBlockRecall', 'coherence', 'crossCoverage']) quality[k] = null;
  console.log(JSON.stringify({
    tool: values.tool, corpus: real ? values.child.slice(5) : 'generated', jobs, hugePages: Boolean(values.huge), foldDigits, maxPairs: maxPairs ?? null, docs: documents.length, mb: bytes, seconds,
    mbPerSecond: bytes / seconds, docsPerSecond: documents.length / seconds, peakRssMb, addedRssMb,
    heapGrowthBytesPerDoc: (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / documents.length,
    indexBytesPerDoc: out.memory ? (out.memory.tokenBytes + out.memory.fingerprintBytes + out.memory.lshBytes) / documents.length : null,
    quality,
  }));
  process.exit(0);
}

const log = (s) => process.stderr.write(s + '\n');

// ---- parent: measure ----
async function measure(quick) {
  const SIZES = quick ? [1000, 4000] : [1000, 4000, 16000, 64000, 128000];
  const PEER_MAX = quick ? 1000 : 4000; // npm minhash runs at about 0.6 MB/s
  const BRUTE_MAX = quick ? 1000 : 4000; // all pairs
  const JOBS2_MAX = 64000;
  // the same scan with glibc's malloc asking for transparent huge pages (GLIBC_TUNABLES), where
  // fresh memory is the cost: a fresh 4 KB page costs 12-16 µs on this VM, 2 MB pages cost less
  const HUGE = quick ? [] : [16000, 64000, 128000];

  // this VM's speed drifts between runs, in spells of minutes: reprint's runs are repeated in
  // rounds over every size (so repeats of one size are minutes apart) and the fastest is kept,
  // with every repeat's time in `allSeconds`
  const ROUNDS = quick ? 1 : 3;
  function child(tool, size, jobs = 1, huge = false, foldDigits = false, maxPairs = 0) {
    const env = huge ? { ...process.env, GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' } : process.env;
    const out = execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=16000', fileURLToPath(import.meta.url), '--child', String(size), '--tool', tool, '--jobs', String(jobs), ...(huge ? ['--huge'] : []), ...(foldDigits ? ['--fold-digits'] : []), ...(maxPairs ? ['--max-pairs', String(maxPairs)] : [])], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'], env });
    return JSON.parse(out.trim().split('\n').pop());
  }

  // build (or find cached) corpora in a child, so this process stays small for the stage timings
  for (const size of SIZES) { log(`corpus ${size}…`); execFileSync(process.execPath, [fileURLToPath(new URL('../corpus/generate.js', import.meta.url)), String(size)], { stdio: 'ignore' }); }

  // stage timings with tinybench on the 1k corpus
  log('stage timings (tinybench)…');
  const { documents: sample } = loadCorpus(1000);
  const sampleMb = mb(sample);
  const bufs = sample.map((d) => Buffer.from(d.text));
  const hasher = new MinHasher();
  const arena = createTokens(1 << 16);
  const shingleBuf = new Uint32Array(1 << 16);
  const sigs = sample.map((d) => hasher.signature(d.text));
  const { Minhash } = (await import('minhash')).default;
  const peerSample = sample.slice(0, 10), peerMb = mb(peerSample);
  const bench = new Bench({ time: 1500, warmupTime: 300 });
  bench
    .add('tokenize + hash (string)', () => { for (const d of sample) tokenize(d.text, 1, arena); })
    .add('tokenize + shingle (string)', () => { for (const d of sample) wordShingles(tokenize(d.text, 1, arena), 5, shingleBuf); })
    .add('signature k=128 (string)', () => { for (const d of sample) hasher.signature(d.text); })
    .add('signature k=128 (UTF-8 bytes)', () => { for (const b of bufs) hasher.signature(b); })
    .add('signature k=128, npm minhash (10 docs)', () => {
      for (const d of peerSample) {
        const m = new Minhash({ numPerm: 128 });
        const w = d.text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
        for (let i = 0; i + 5 <= w.length; i++) m.update(w.slice(i, i + 5).join(' '));
      }
    })
    .add('LSH build (1k signatures)', () => { const ix = new LshIndex({ threshold: 0.8, ...recallParams(0.8, 128) }); sigs.forEach((s, i) => ix.add(String(i), s)); })
    .add('passages only', () => { const c = new Corpus({ nearDuplicates: false }); for (const d of sample) c.ingest(d); c.report(); })
    .add('near-duplicates only (LSH + exact verification)', () => { const c = new Corpus({ passages: false }); for (const d of sample) c.ingest(d); c.report(); })
    .add('full scan (passages + pairs)', () => { const c = new Corpus(); for (const d of sample) c.ingest(d); c.report(); })
    .add('full scan through Corpus.add (an AddResult per document)', () => { const c = new Corpus(); for (const d of sample) c.add(d); c.report(); });
  await bench.run();
  const lshIndex = new LshIndex({ threshold: 0.8, ...recallParams(0.8, 128) });
  sigs.forEach((s, i) => lshIndex.add(String(i), s));
  const qb = new Bench({ time: 1000 });
  qb.add('LSH query (1k queries)', () => { for (const s of sigs) lshIndex.query(s); });
  await qb.run();
  const stages = [...bench.tasks, ...qb.tasks].map((t) => {
    const ms = t.result.latency.mean;
    const size = t.name.includes('npm minhash') ? peerMb : sampleMb;
    return { stage: t.name, ms, mbPerSecond: t.name.startsWith('LSH') ? null : size / (ms / 1000) };
  });

  // growth runs: the peers once, reprint's in rounds; a row keeps its place from the first round
  const rows = new Map();
  const keep = (r) => {
    const key = `${r.tool} ${r.corpus} ${r.docs} ${r.jobs} ${r.hugePages} ${r.foldDigits} ${r.maxPairs}`, old = rows.get(key);
    const allSeconds = [...(old?.allSeconds ?? []), r.seconds];
    rows.set(key, { ...(old && old.seconds <= r.seconds ? old : r), allSeconds });
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const size of SIZES) {
      log(`round ${round + 1}/${ROUNDS}: reprint ${size}…`);
      keep(child('reprint', size));
      if (size <= JOBS2_MAX && cpus().length > 1) { log(`reprint ${size} --jobs 2…`); keep(child('reprint', size, 2)); }
      if (HUGE.includes(size) && process.platform === 'linux') { log(`reprint ${size} with huge pages…`); keep(child('reprint', size, 1, true)); }
      if (round > 0) continue;
      if (size <= PEER_MAX) { log(`npm minhash ${size}…`); keep(child('minhash', size)); }
      if (size <= BRUTE_MAX) { log(`brute force ${size}…`); keep(child('brute', size)); }
    }
  }
  // real text: reprint with digits kept (the default) and folded, and the peers, once each
  for (const c of realCorpora()) {
    log(`real corpus ${c.name} (${c.documents.length} documents)…`);
    keep(child('reprint', `real:${c.name}`));
    keep(child('reprint', `real:${c.name}`, 1, false, true));
    // every pair listed: the bound on candidates lifted
    keep(child('reprint', `real:${c.name}`, 1, false, false, 4096));
    if (mb(c.documents) < 5) keep(child('minhash', `real:${c.name}`));
    keep(child('brute', `real:${c.name}`));
  }
  const runs = [...rows.values()];
  // the command line end to end, with the peers' jobs from the same files
  const e2e = measureE2E(quick);
  const single = runs.filter((r) => r.corpus === 'generated' && r.jobs === 1 && !r.hugePages);
  const growth = Object.fromEntries(['reprint', 'minhash', 'brute'].map((t) => [t, exponent(single.filter((r) => r.tool === t))]));
  return { date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model, cores: cpus().length, quick, sizes: SIZES, sampleMb, stages, runs, growth, e2e };
}

// fitted growth exponent of time against size (least squares on log-log), per tool
function exponent(rs) {
  if (rs.length < 2) return null;
  const xs = rs.map((r) => Math.log(r.docs)), ys = rs.map((r) => Math.log(r.seconds));
  const mx = xs.reduce((a, b) => a + b) / xs.length, my = ys.reduce((a, b) => a + b) / ys.length;
  let num = 0, den = 0;
  xs.forEach((x, i) => { num += (x - mx) * (ys[i] - my); den += (x - mx) ** 2; });
  return num / den;
}
const dir = new URL('results/', here);
const result = values.render ? JSON.parse(readFileSync(new URL('latest.json', dir), 'utf8')) : await measure(Boolean(values.quick));
const { stages, runs, growth, quick, date } = result;
const sampleMb = result.sampleMb ?? runs.find((r) => r.docs === 1000)?.mb;
const SIZES = result.sizes ?? [...new Set(runs.map((r) => r.docs))];
const single = runs.filter((r) => r.corpus === 'generated' && r.jobs === 1 && !r.hugePages);

const fmt = (x, d = 1) => (x === null || x === undefined ? '—' : x.toFixed(d));
const f3 = (x) => fmt(x, 3);
const pairs = (p) => (p ? `${f3(p.precision)} / ${f3(p.recall)} (${f3(p.clusterRecall)})` : '—');
const name = { reprint: 'reprint', minhash: 'npm minhash 0.0.9', brute: 'exact all-pairs' };
const label = (r) => `${name[r.tool]}${r.jobs > 1 ? ` (jobs ${r.jobs})` : ''}${r.hugePages ? ' (huge pages)' : ''}${r.foldDigits ? ' (digits folded)' : ''}${r.maxPairs ? ` (max-pairs ${r.maxPairs})` : ''}`;
const qualityCells = (r) => `${f3(r.quality.internalCoverage)} | ${f3(r.quality.wholeBlockRecall)} | ${f3(r.quality.coherence)} | ${f3(r.quality.crossCoverage)} | ${pairs(r.quality.pairs)}`;
const qualityHead = 'internal coverage | whole blocks | coherence | cross-doc coverage | pairs P / R (R via clusters)';
let md = `### Stages (1,000 documents, ${fmt(sampleMb)} MB, one core)\n\n| stage | mean ms | MB/s |\n|---|---:|---:|\n`;
for (const s of stages) md += `| ${s.stage} | ${fmt(s.ms, 2)} | ${fmt(s.mbPerSecond)} |\n`;
const sigOurs = stages.find((s) => s.stage === 'signature k=128 (UTF-8 bytes)').mbPerSecond;
const sigStr = stages.find((s) => s.stage === 'signature k=128 (string)').mbPerSecond;
const sigPeer = stages.find((s) => s.stage.includes('npm minhash')).mbPerSecond;
md += `\nSignatures: ${fmt(sigOurs / sigPeer, 0)}x npm minhash from bytes, ${fmt(sigStr / sigPeer, 0)}x from strings.\n`;
md += `\n### Generated corpus, growing (quality against exact truth from bench/truth.js)\n\n| tool | docs | MB | seconds | MB/s | peak RSS MB | index bytes/doc | ${qualityHead} |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n`;
for (const r of runs.filter((x) => x.corpus === 'generated')) md += `| ${label(r)} | ${r.docs.toLocaleString('en-US')} | ${fmt(r.mb)} | ${fmt(r.seconds, 2)} | ${fmt(r.mbPerSecond)} | ${fmt(r.peakRssMb, 0)} | ${fmt(r.indexBytesPerDoc, 0)} | ${qualityCells(r)} |\n`;
const realRuns = runs.filter((x) => x.corpus !== 'generated');
if (realRuns.length) {
  md += `\n### Real text no one here wrote (every 10th document printed twice: the planted whole blocks)\n\n| corpus | tool | docs | MB | seconds | MB/s | ${qualityHead} |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n`;
  for (const r of realRuns) md += `| ${r.corpus} | ${label(r)} | ${r.docs.toLocaleString('en-US')} | ${fmt(r.mb)} | ${fmt(r.seconds, 2)} | ${fmt(r.mbPerSecond)} | ${qualityCells(r)} |\n`;
}
if (result.e2e?.length) md += `\n### End to end through the command line (process start to report written)\n\n${e2eTable(result.e2e)}`;
const rounds = Math.max(...runs.map((r) => r.allSeconds?.length ?? 1));
if (rounds > 1) {
  // how far apart the rounds were: the slowest reprint round against the kept (fastest) one
  const spread = runs.filter((r) => r.tool === 'reprint' && r.allSeconds?.length > 1).map((r) => Math.max(...r.allSeconds) / r.seconds - 1);
  md += `\nGenerated reprint rows: the fastest of ${rounds} rounds over all sizes; the slowest round of a row took ${fmt(100 * Math.min(...spread), 0)}-${fmt(100 * Math.max(...spread), 0)}% longer.\n`;
}
md += `\nTime grows as docs^${fmt(growth.reprint, 2)} for reprint${growth.brute ? `, docs^${fmt(growth.brute, 2)} for exact all-pairs` : ''}${growth.minhash ? `, docs^${fmt(growth.minhash, 2)} for npm minhash` : ''}.\n`;
for (const size of SIZES) {
  const ours = single.find((r) => r.tool === 'reprint' && r.docs === size);
  const peer = single.find((r) => r.tool === 'minhash' && r.docs === size);
  const brute = single.find((r) => r.tool === 'brute' && r.docs === size);
  if (peer) md += `At ${size.toLocaleString('en-US')} documents reprint's full scan (repeats, passages and pairs) is ${fmt(peer.seconds / ours.seconds, 0)}x faster than npm minhash's near-duplicate job alone`;
  if (brute) md += `${peer ? ' and' : `At ${size.toLocaleString('en-US')} documents reprint is`} ${fmt(brute.seconds / ours.seconds, 1)}x faster than exact all-pairs`;
  if (peer || brute) md += '.\n';
}
console.log(md);

// results: the latest run, and one line a run in the history
mkdirSync(dir, { recursive: true });
if (!values.render) {
  writeFileSync(new URL('latest.json', dir), JSON.stringify(result, null, 2) + '\n');
  const brief = runs.map((r) => ({ tool: r.tool, corpus: r.corpus, docs: r.docs, jobs: r.jobs, hugePages: r.hugePages, foldDigits: r.foldDigits, mbPerSecond: +r.mbPerSecond.toFixed(2), peakRssMb: Math.round(r.peakRssMb), quality: r.quality }));
  appendFileSync(new URL('history.jsonl', dir), JSON.stringify({ date, quick, node: result.node, cpu: result.cpu, stages: stages.map((x) => ({ stage: x.stage, mbPerSecond: x.mbPerSecond && +x.mbPerSecond.toFixed(1) })), runs: brief }) + '\n');
}
writeFileSync(new URL('latest.md', dir), md);

const vega = await import('vega');
const vl = await import('vega-lite');
const points = single.flatMap((r) => [
  { docs: r.docs, value: r.seconds, metric: 'seconds', tool: name[r.tool] },
  { docs: r.docs, value: r.peakRssMb, metric: 'peak RSS (MB)', tool: name[r.tool] },
]);
const chart = (metric) => ({
  width: 320, height: 240, title: metric,
  transform: [{ filter: `datum.metric === '${metric}'` }],
  mark: { type: 'line', point: true },
  encoding: {
    x: { field: 'docs', type: 'quantitative', scale: { type: 'log' }, title: 'documents (log)' },
    y: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title: `${metric} (log)` },
    color: { field: 'tool', type: 'nominal', title: null },
  },
});
const spec = vl.compile({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', data: { values: points }, hconcat: [chart('seconds'), chart('peak RSS (MB)')], config: { font: 'sans-serif' } }).spec;
const svg = await new vega.View(vega.parse(spec), { renderer: 'none' }).toSVG();
writeFileSync(new URL('latest.svg', dir), svg);

// the README shows a short table: reprint and the peers at the sizes both ran, the largest
// sizes, and the real corpora (the full tables are in bench/results/latest.md)
const readmeUrl = new URL('../README.md', here);
try {
  const readme = readFileSync(readmeUrl, 'utf8');
  const start = '<!-- bench:start -->', end = '<!-- bench:end -->';
  if (readme.includes(start) && readme.includes(end)) {
    const big = Math.max(...SIZES), peerSize = Math.max(...single.filter((r) => r.tool !== 'reprint').map((r) => r.docs), 0);
    const pick = runs.filter((r) => !r.hugePages && !r.foldDigits && ((r.corpus === 'generated' && (r.docs === big || r.docs === peerSize)) || r.corpus !== 'generated'));
    let t = `| corpus | tool | docs | MB/s | internal coverage | whole blocks | coherence | cross-doc coverage | pairs P / R (R via clusters) |\n|---|---|---:|---:|---:|---:|---:|---:|---|\n`;
    for (const r of pick) t += `| ${r.corpus} | ${label(r)} | ${r.docs.toLocaleString('en-US')} | ${fmt(r.mbPerSecond)} | ${f3(r.quality.internalCoverage)} | ${f3(r.quality.wholeBlockRecall)} | ${f3(r.quality.coherence)} | ${f3(r.quality.crossCoverage)} | ${pairs(r.quality.pairs)} |\n`;
    // one closing paragraph: what two threads can give, and the engine alone on one thread
    const notes = [];
    if (result.e2e?.length) {
      t += `\nEnd to end through the command line (process start to report written, one JSONL file${result.e2eDate ? `; \`node bench/e2e.js\`, ${result.e2eDate.slice(0, 10)}` : ''}):\n\n| tool | docs | jobs | seconds | MB/s |\n|---|---:|---:|---:|---:|\n`;
      const ename = { reprint: 'reprint scan', minhash: 'npm minhash 0.0.9', datasketch: 'datasketch (Python)' };
      // a default-jobs row that ran one thread repeats the --jobs 1 row's setting
      for (const r of result.e2e.filter((x) => x.tool !== 'ceiling' && !(x.defaultJobs && x.jobs === 1))) t += `| ${ename[r.tool]}${r.defaultJobs ? ' (default jobs)' : ''} | ${r.docs.toLocaleString('en-US')} | ${r.jobs} | ${fmt(r.seconds, 2)} | ${fmt(r.mbPerSecond)} |\n`;
      const c = result.e2e.filter((x) => x.tool === 'ceiling').at(-1);
      if (c) notes.push(`Two threads on this machine at ${c.docs.toLocaleString('en-US')} documents: the corpus's two halves scanned at once against one after the other, ${c.speedup.toFixed(2)}x (what \`--jobs 2\` could reach).`);
    }
    const sig = stages.find((x) => x.stage === 'signature k=128 (UTF-8 bytes)');
    const at64 = (huge) => runs.find((r) => r.tool === 'reprint' && r.corpus === 'generated' && r.docs === 64000 && r.jobs === 1 && Boolean(r.hugePages) === huge);
    if (sig && at64(true) && at64(false)) notes.push(`The engine alone, one thread: signatures ${fmt(sig.mbPerSecond, 0)} MB/s from UTF-8 bytes; a full scan of 64,000 documents ${fmt(at64(true).mbPerSecond)} MB/s with huge pages, ${fmt(at64(false).mbPerSecond)} without.`);
    if (notes.length) t += `\n${notes.join(' ')}\n`;
    const stamp = `_Measured ${date.slice(0, 10)} with \`npm run bench${quick ? ' -- --quick' : ''}\` on ${result.cpu ?? 'this machine'} (${result.cores} cores), Node ${result.node}; one thread unless a row says jobs. Full tables: [bench/results/latest.md](bench/results/latest.md)._\n\n`;
    writeFileSync(readmeUrl, readme.slice(0, readme.indexOf(start) + start.length) + '\n' + stamp + t + '\n![time and memory against corpus size](bench/results/latest.svg)\n' + readme.slice(readme.indexOf(end)));
  }
} catch { /* no README yet */ }
log(`wrote bench/results/${values.render ? '' : 'latest.json, history.jsonl, '}latest.md, latest.svg and the README table`);
