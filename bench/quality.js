// Quality of a report against exact truth (bench/truth.js, which shares no code with reprint):
// - internal coverage: share of characters inside exact within-document repeats of >= minWords
//   words that lie in that document's `repeats`;
// - whole-block recall: share of planted doubled blocks whose two copies are each covered >= 90%
//   by one reported copy no longer than 1.1x it;
// - coherence: share of non-representative occurrences (repeats and passages) whose text, words
//   as written, shares at least half of its 3-word shingles with its representative;
// - cross-document coverage: share of characters inside exact runs of >= minWords words shared
//   across documents that lie in a passage occurrence;
// - near-duplicate pairs: precision and recall of the listed pairs against exact Jaccard, and the
//   recall through clusters (a true pair whose documents share a cluster: listing is bounded by
//   maxPairCandidates, clusters are not).
import { coherent, crossTruth, internalTruth, pairTruth, rawShingles } from './truth.js';

/** Characters of [s, e) covered by sorted, merged intervals. */
function covered(intervals, s, e) {
  let c = 0;
  for (const [a, b] of intervals) { if (a >= e) break; const lo = Math.max(a, s), hi = Math.min(b, e); if (hi > lo) c += hi - lo; }
  return c;
}
function merge(list) {
  const out = [];
  for (const [a, b] of list.slice().sort((x, y) => x[0] - y[0])) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b); else out.push([a, b]);
  }
  return out;
}
const share = (num, den) => (den === 0 ? 1 : num / den);

/**
 * The truth a corpus needs (computed once per corpus): `documents` in scan order; `planted`:
 * [{ doc, spans: [[s, e], [s, e]] }]; `families` (optional): arrays of ids within
 * which pairs are checked (else all pairs, for small corpora).
 */
export function corpusTruth(documents, { minWords = 20, threshold = 0.8, shingleSize = 5, foldDigits = false, planted = null, families = null, crossMaxDocs = 20000, internalMaxDocs = Infinity } = {}) {
  const texts = documents.map((d) => d.text);
  const internal = documents.length <= internalMaxDocs ? documents.map((d) => internalTruth(d.text, minWords, foldDigits)) : null;
  const index = new Map(documents.map((d, i) => [d.id, i]));
  return {
    internal,
    blocks: planted ?? [],
    cross: documents.length <= crossMaxDocs ? crossTruth(texts, minWords, foldDigits) : null,
    pairs: pairTruth(texts, { threshold, shingleSize, foldDigits, families: families?.map((f) => f.map((id) => index.get(id))) }).map(([i, j]) => [documents[i].id, documents[j].id]),
  };
}

export function evaluate(report, documents, truth) {
  const text = new Map(documents.map((d) => [d.id, d.text]));
  const copiesByDoc = new Map();
  for (const r of report.repeats) { if (!copiesByDoc.has(r.doc)) copiesByDoc.set(r.doc, []); copiesByDoc.get(r.doc).push(...r.copies.map((c) => [c.start, c.end])); }
  const occByDoc = new Map();
  for (const p of report.passages) for (const o of p.occurrences) { if (!occByDoc.has(o.doc)) occByDoc.set(o.doc, []); occByDoc.get(o.doc).push([o.start, o.end]); }

  // internal and cross-document coverage
  let iTruth = 0, iHit = 0, cTruth = 0, cHit = 0;
  documents.forEach((d, i) => {
    if (truth.internal) {
      const copies = merge(copiesByDoc.get(d.id) ?? []);
      for (const [s, e] of truth.internal[i]) { iTruth += e - s; iHit += covered(copies, s, e); }
    }
    if (truth.cross) {
      const occ = merge(occByDoc.get(d.id) ?? []);
      for (const [s, e] of truth.cross[i]) { cTruth += e - s; cHit += covered(occ, s, e); }
    }
  });

  // whole blocks
  let bHit = 0;
  const missed = [];
  for (const b of truth.blocks) {
    const copies = copiesByDoc.get(b.doc) ?? [];
    const whole = b.spans.every(([s, e]) => copies.some(([a, z]) => z - a <= 1.1 * (e - s) && Math.min(z, e) - Math.max(a, s) >= 0.9 * (e - s)));
    if (whole) bHit++; else if (missed.length < 5) missed.push(b);
  }

  // coherence
  let occurrences = 0, coherentOcc = 0;
  const check = (doc, list, rep, docOf) => {
    const r = list[rep];
    const repShingles = rawShingles(text.get(docOf(r)).slice(r.start, r.end));
    list.forEach((o, k) => {
      if (k === rep) return;
      occurrences++;
      if (coherent(text.get(docOf(o)).slice(o.start, o.end), repShingles)) coherentOcc++;
    });
  };
  for (const r of report.repeats) check(r.doc, r.copies, r.representative, () => r.doc);
  for (const p of report.passages) check(null, p.occurrences, p.representative, (o) => o.doc);

  // pairs
  const key = (a, b) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);
  const want = new Set(truth.pairs.map(([a, b]) => key(a, b)));
  let pOk = 0;
  for (const p of report.nearDuplicates) if (want.has(key(p.a, p.b))) pOk++;
  // pairs left out of the listing by maxPairCandidates are still in one cluster
  const clusterOf = new Map();
  report.clusters.forEach((c, i) => { for (const d of c.docs) clusterOf.set(d, i); });
  const listed = new Set(report.nearDuplicates.map((p) => key(p.a, p.b)));
  let inCluster = 0;
  for (const [a, b] of truth.pairs) if (listed.has(key(a, b)) || (clusterOf.has(a) && clusterOf.get(a) === clusterOf.get(b))) inCluster++;
  return {
    internalCoverage: truth.internal ? share(iHit, iTruth) : null,
    wholeBlockRecall: share(bHit, truth.blocks.length),
    blocks: truth.blocks.length,
    coherence: share(coherentOcc, occurrences),
    occurrences,
    crossCoverage: truth.cross ? share(cHit, cTruth) : null,
    pairs: { precision: share(pOk, report.nearDuplicates.length), recall: share(pOk, want.size), clusterRecall: share(inCluster, want.size), found: report.nearDuplicates.length, truth: want.size },
    missedBlocks: missed,
  };
}
