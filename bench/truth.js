// Exact truth for the benchmark, computed from the texts alone by code that shares nothing with
// reprint (no import from it): its own words (a Unicode regex), its own folding, its own hashing.
// - internal: characters inside exact within-document repeats of at least k words;
// - cross: characters inside exact runs of at least k words that occur in two or more documents;
// - pairs: document pairs whose 5-word shingle sets have Jaccard >= threshold (all pairs, or
//   within given families);
// - coherence: whether a text shares at least half of its 3-word shingles with another.

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** Words of a text: [start, end) offsets and folded forms (NFKD, no marks, lower case, digits to 0 if foldDigits). */
export function words(text, foldDigits = true) {
  const starts = [], ends = [], forms = [];
  for (const m of text.matchAll(WORD)) {
    let f = m[0].normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
    if (foldDigits) f = f.replace(/\p{Nd}/gu, '0');
    if (!f) continue;
    starts.push(m.index); ends.push(m.index + m[0].length); forms.push(f);
  }
  return { starts, ends, forms };
}

// word ids and the two polynomial hashes of k consecutive ids, combined into one safe integer
const ids = new Map();
const idOf = (w) => { let x = ids.get(w); if (x === undefined) { x = ids.size + 1; ids.set(w, x); } return x; };
function gramKeys(forms, k) {
  const id = forms.map(idOf), out = new Float64Array(Math.max(0, id.length - k + 1));
  for (let i = 0; i < out.length; i++) {
    let h1 = 0, h2 = 7;
    for (let j = i; j < i + k; j++) { h1 = (Math.imul(h1, 1000003) + id[j]) >>> 0; h2 = (Math.imul(h2, 31337) ^ id[j]) >>> 0; }
    out[i] = h1 * 2097152 + (h2 & 0x1fffff);
  }
  return out;
}

/** Word intervals [from, to) marked in `mark` (a diff array) turned into merged character intervals. */
function charSpans(w, mark) {
  const out = [];
  let depth = 0, open = -1;
  for (let i = 0; i < w.starts.length; i++) {
    depth += mark[i];
    if (depth > 0 && open < 0) open = i;
    if (depth <= 0 && open >= 0) { out.push([w.starts[open], w.ends[i - 1]]); open = -1; }
  }
  if (open >= 0) out.push([w.starts[open], w.ends[w.starts.length - 1]]);
  return out;
}

/** Character spans of a text inside exact repeats of >= k words within it. */
export function internalTruth(text, k, foldDigits = true) {
  const w = words(text, foldDigits), keys = gramKeys(w.forms, k);
  const first = new Map(), mark = new Int32Array(w.starts.length + 1);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i], f = first.get(key);
    if (f === undefined) { first.set(key, i); continue; }
    mark[i]++; mark[i + k]--;
    if (f >= 0) { mark[f]++; mark[f + k]--; first.set(key, -1); }
  }
  return charSpans(w, mark);
}

/** Per document (array in input order): character spans inside exact runs of >= k words found in another document too. */
export function crossTruth(texts, k, foldDigits = true) {
  const docKeys = texts.map((t) => { const w = words(t, foldDigits); return { w, keys: gramKeys(w.forms, k) }; });
  // key -> the one document it was seen in, or -1 once seen in two
  const seen = new Map();
  docKeys.forEach(({ keys }, d) => {
    for (const key of keys) {
      const s = seen.get(key);
      if (s === undefined) seen.set(key, d); else if (s !== d && s !== -1) seen.set(key, -1);
    }
  });
  return docKeys.map(({ w, keys }) => {
    const mark = new Int32Array(w.starts.length + 1);
    for (let i = 0; i < keys.length; i++) if (seen.get(keys[i]) === -1) { mark[i]++; mark[i + k]--; }
    return charSpans(w, mark);
  });
}

/** Set of 5-word shingle keys of a text (a text of fewer words: one shingle of them all). */
function shingleSet(text, k, foldDigits) {
  const f = words(text, foldDigits).forms;
  if (f.length === 0) return new Set();
  return new Set(gramKeys(f, Math.min(k, f.length)));
}

/** Exact Jaccard pairs >= threshold, over all pairs or within families (arrays of indices). */
export function pairTruth(texts, { threshold = 0.8, shingleSize = 5, foldDigits = true, families } = {}) {
  const sets = texts.map((t) => shingleSet(t, shingleSize, foldDigits));
  const out = [];
  const check = (i, j) => {
    const a = sets[i], b = sets[j];
    const [small, large] = a.size <= b.size ? [a, b] : [b, a];
    if (large.size === 0 || small.size < threshold * large.size) return;
    let inter = 0;
    for (const x of small) if (large.has(x)) inter++;
    const jac = inter / (a.size + b.size - inter);
    if (jac >= threshold) out.push([i, j, jac]);
  };
  if (families) for (const f of families) { for (let x = 0; x < f.length; x++) for (let y = x + 1; y < f.length; y++) check(Math.min(f[x], f[y]), Math.max(f[x], f[y])); }
  else for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) check(i, j);
  return out;
}

/** Whether text x shares at least half of its 3-word shingles (words as written) with text y. */
export function coherent(x, yShingles) {
  const s = rawShingles(x);
  if (s.size === 0) return true;
  let shared = 0;
  for (const g of s) if (yShingles.has(g)) shared++;
  return shared >= s.size / 2;
}

/** 3-word shingles of a text, words as written (case and digits kept). */
export function rawShingles(text) {
  const f = [...text.matchAll(WORD)].map((m) => m[0]);
  const out = new Set();
  for (let i = 0; i + 3 <= f.length; i++) out.add(`${f[i]} ${f[i + 1]} ${f[i + 2]}`);
  if (f.length > 0 && f.length < 3) out.add(f.join(' '));
  return out;
}
