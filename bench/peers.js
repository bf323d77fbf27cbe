// The jobs each tool does in the benchmark, one function each, so the child processes stay small.
import { createRequire } from 'node:module';
import { Corpus, jaccard, textShingleSet } from 'reprint';

const require = createRequire(import.meta.url);

/**
 * reprint: the full scan (repeats, passages across documents, near-duplicate pairs, clusters),
 * as `scan` runs it on one thread (`ingest`: no per-document AddResult), keeping the Corpus for
 * its memory figures.
 */
export function runReprint(documents, options = {}) {
  const corpus = new Corpus(options);
  for (const d of documents) corpus.ingest(d);
  const report = corpus.report();
  return { report, memory: corpus.memory() };
}

/** Words as the npm minhash README does it: lower-cased, split on non-word characters. */
function shingles(text, k) {
  const w = text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const out = [];
  for (let i = 0; i + k <= w.length; i++) out.push(w.slice(i, i + k).join(' '));
  if (!out.length && w.length) out.push(w.join(' '));
  return out;
}

/** npm minhash 0.0.9: its Minhash signatures and LshIndex, candidates verified by its estimate. */
export function runMinhashPeer(documents, { threshold = 0.8, numPerm = 128, shingleSize = 5 } = {}) {
  const { Minhash, LshIndex } = require('minhash');
  const index = new LshIndex({ bandSize: 4 });
  const hashes = documents.map((d) => {
    const m = new Minhash({ numPerm });
    for (const s of shingles(d.text, shingleSize)) m.update(s);
    index.insert(d.id, m);
    return m;
  });
  // its query fails on a band no inserted signature has, so (as its README does) insert all, then query
  const order = new Map(documents.map((d, i) => [d.id, i]));
  const pairs = [];
  documents.forEach((d, i) => {
    for (const other of index.query(hashes[i])) {
      const j = order.get(other);
      if (j >= i) continue;
      const sim = hashes[i].jaccard(hashes[j]);
      if (sim >= threshold) pairs.push({ a: other, b: d.id, similarity: sim });
    }
  });
  return { report: { repeats: [], passages: [], nearDuplicates: pairs, clusters: [] } };
}

/** Exact brute force: every pair's exact Jaccard on sorted shingle sets (reprint's tokenizer). */
export function runBruteForce(documents, { threshold = 0.8, shingleSize = 5, seed = 1, foldDigits = false } = {}) {
  const sets = documents.map((d) => textShingleSet(d.text, shingleSize, seed, foldDigits));
  const pairs = [];
  for (let i = 0; i < sets.length; i++) {
    for (let j = i + 1; j < sets.length; j++) {
      const a = sets[i], b = sets[j];
      // sizes bound the Jaccard: skip pairs that cannot reach the threshold
      if (Math.min(a.length, b.length) < threshold * Math.max(a.length, b.length)) continue;
      const s = jaccard(a, b);
      if (s >= threshold) pairs.push({ a: documents[i].id, b: documents[j].id, similarity: s });
    }
  }
  return { report: { repeats: [], passages: [], nearDuplicates: pairs, clusters: [] } };
}
