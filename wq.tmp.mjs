import { scan } from 'reprint';
import { loadCorpus } from './corpus/generate.js';
import { evaluate } from './bench/quality.js';
const { documents, truth } = loadCorpus(16000);
const chars = documents.reduce((s, d) => s + d.text.length, 0);
for (const [w, k] of [[8, 6], [12, 6], [15, 6], [10, 8]]) {
  const t0 = performance.now();
  const r = await scan(documents, { winnowWindow: w, seedWords: k });
  const t1 = performance.now();
  const q = evaluate(r, truth, documents);
  console.log(w, k, 'MB/s', (chars / 1e6 / ((t1 - t0) / 1000)).toFixed(1), 'int', q.internal.recall.toFixed(4), q.internal.precision.toFixed(4), 'pass', q.passages.recall.toFixed(4), q.passages.precision.toFixed(4));
}
