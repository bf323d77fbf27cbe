// Quality against the planted truth of corpus/generate.js: precision, recall and F1 for internal
// repeats, cross-document passages and near-duplicate pairs.
import { jaccard, textShingleSet } from 'reprint';

const f1 = (p, r) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));
const score = (ok, found, hit, total) => {
  const precision = found === 0 ? 1 : ok / found;
  const recall = total === 0 ? 1 : hit / total;
  return { precision, recall, f1: f1(precision, recall), found, truth: total };
};

/** Characters of [s, e) covered by sorted, merged intervals. */
function covered(intervals, s, e) {
  let c = 0;
  for (const [a, b] of intervals) { const lo = Math.max(a, s), hi = Math.min(b, e); if (hi > lo) c += hi - lo; }
  return c;
}
function merge(list) {
  const sorted = list.slice().sort((x, y) => x[0] - y[0]);
  const out = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b); else out.push([a, b]);
  }
  return out;
}
/** [start, end) without its first and last `words` words (unchanged when that leaves too little). */
function inner(text, start, end, words) {
  let a = start, b = end;
  for (let k = 0; k < words; k++) { const i = text.indexOf(' ', a + 1); if (i < 0 || i >= end) return [start, end]; a = i; }
  for (let k = 0; k < words; k++) { const i = text.lastIndexOf(' ', b - 1); if (i <= a) return [start, end]; b = i; }
  return b - a >= (end - start) / 2 ? [a, b] : [start, end];
}
const iou = (a, b) => {
  const inter = Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]));
  return inter / (Math.max(a[1], b[1]) - Math.min(a[0], b[0]));
};

/** Near-duplicate truth: pairs of a family whose exact Jaccard is at or above the threshold. */
export function truePairs(truth, documents, options) {
  const text = new Map(documents.map((d) => [d.id, d.text]));
  const pairs = [];
  for (const fam of truth.families) {
    const sets = fam.map((id) => textShingleSet(text.get(id), options.shingleSize, options.seed));
    for (let i = 0; i < fam.length; i++) for (let j = i + 1; j < fam.length; j++) {
      const s = jaccard(sets[i], sets[j]);
      if (s >= options.threshold) pairs.push([fam[i], fam[j], s]);
    }
  }
  return pairs;
}

export function evaluate(report, truth, documents, pairs = truePairs(truth, documents, report.options)) {
  const COVER = 0.9;
  // internal repeats: a document's occurrences of one passage against its two planted copies
  const truthInternal = new Map(truth.internal.map((t) => [t.doc, t.spans]));
  let iFound = 0, iOk = 0;
  const iHit = new Set();
  const crossByDoc = new Map();
  for (const p of report.passages) {
    const byDoc = new Map();
    for (const o of p.occurrences) { if (!byDoc.has(o.doc)) byDoc.set(o.doc, []); byDoc.get(o.doc).push([o.start, o.end]); }
    for (const [doc, occ] of byDoc) {
      if (occ.length >= 2) {
        iFound++;
        const spans = truthInternal.get(doc);
        if (spans && spans.every((s) => occ.some((o) => iou(o, s) >= COVER))) { iOk++; iHit.add(doc); }
      }
      if (byDoc.size >= 2) { if (!crossByDoc.has(doc)) crossByDoc.set(doc, []); crossByDoc.get(doc).push(...occ); }
    }
  }
  // cross-document passages: planted shared regions covered, detected occurrences inside planted ones
  const truthByDoc = new Map();
  for (const s of truth.shared) { if (!truthByDoc.has(s.doc)) truthByDoc.set(s.doc, []); truthByDoc.get(s.doc).push([s.start, s.end]); }
  for (const [doc, list] of truthByDoc) truthByDoc.set(doc, merge(list));
  let cHit = 0, cTotal = 0, cFound = 0, cOk = 0;
  const mergedFound = new Map([...crossByDoc].map(([d, l]) => [d, merge(l)]));
  const text = new Map(documents.map((d) => [d.id, d.text]));
  for (const s of truth.shared) {
    cTotal++;
    // passage boundaries may move by up to three words where another passage's cut falls (the
    // engine's cut tolerance), so the three words at each end of a planted region may go either way
    const [a, b] = inner(text.get(s.doc), s.start, s.end, 3);
    if (covered(mergedFound.get(s.doc) ?? [], a, b) >= COVER * (b - a)) cHit++;
  }
  for (const [doc, occ] of crossByDoc) {
    for (const [a, b] of occ) {
      cFound++;
      if (covered(truthByDoc.get(doc) ?? [], a, b) >= COVER * (b - a)) cOk++;
    }
  }
  // near-duplicate pairs
  const key = (a, b) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);
  const want = new Set(pairs.map(([a, b]) => key(a, b)));
  let pOk = 0;
  for (const p of report.nearDuplicates) if (want.has(key(p.a, p.b))) pOk++;
  return {
    internal: score(iOk, iFound, iHit.size, truth.internal.length),
    passages: score(cOk, cFound, cHit, cTotal),
    pairs: score(pOk, report.nearDuplicates.length, pOk, want.size),
  };
}
