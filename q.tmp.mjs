import { scan } from 'reprint';
import { loadCorpus } from './corpus/generate.js';
import { evaluate } from './bench/quality.js';
const N = Number(process.argv[2] ?? 1000);
const { documents, truth } = loadCorpus(N);
const t0 = performance.now();
const report = await scan(documents);
const t1 = performance.now();
const chars = documents.reduce((s, d) => s + d.text.length, 0);
console.log('MB/s', (chars / 1e6 / ((t1 - t0) / 1000)).toFixed(1), 'passages', report.passages.length, 'pairs', report.nearDuplicates.length);
console.log(JSON.stringify(evaluate(report, truth, documents), null, 0));
globalThis.R = report;
console.log(report.passages.slice(0,3).map(p=>[p.words,p.documents,p.occurrences.length]));
import { writeFileSync } from 'fs';
const ti = new Map(truth.internal.map(t=>[t.doc,t.spans]));
const text = new Map(documents.map(d=>[d.id,d.text]));
let shown=0;
for (const p of report.passages) { const by = new Map(); for (const o of p.occurrences) by.set(o.doc,(by.get(o.doc)??[]).concat([[o.start,o.end]]));
  for (const [d,occ] of by) if (occ.length>=2 && shown<4) { const t=ti.get(d); const ok = t && t.every(s=>occ.some(o=>Math.abs(o[0]-s[0])<5&&Math.abs(o[1]-s[1])<5)); if(!ok){shown++; console.log('FALSE internal', d, JSON.stringify(occ), 'truth', JSON.stringify(t), 'passage docs', p.documents, 'words', p.words, JSON.stringify(text.get(d).slice(occ[0][0], occ[0][0]+80)), JSON.stringify(text.get(d).slice(occ[1][0], occ[1][0]+80)));} }
}
for (const p of report.passages.slice(0, 3)) {
  const lens = p.occurrences.map(o => o.end - o.start).sort((a,b)=>a-b);
  console.log('passage', p.id, 'words', p.words, 'docs', p.documents, 'char lens min/med/max', lens[0], lens[lens.length>>1], lens[lens.length-1]);
  const big = p.occurrences.reduce((m,o)=> (o.end-o.start > m.end-m.start ? o : m));
  console.log(JSON.stringify(text.get(big.doc).slice(big.start, big.end)).slice(0, 400), '...', big.doc);
  const t = text.get(p.occurrences[0].doc); console.log('first occ', JSON.stringify(t.slice(p.occurrences[0].start, p.occurrences[0].end)).slice(0,200));
}
{
const cross = new Map();
for (const p of report.passages) { const docs = new Set(p.occurrences.map(o=>o.doc)); if (docs.size<2) continue; for (const o of p.occurrences) { if(!cross.has(o.doc)) cross.set(o.doc,[]); cross.get(o.doc).push([o.start,o.end]); } }
const cov = (l,s,e)=>{ const arr=new Uint8Array(e-s); for (const [a,b] of l??[]) for (let i=Math.max(a,s);i<Math.min(b,e);i++) arr[i-s]=1; return arr.reduce((x,y)=>x+y,0)/(e-s); };
const miss = {}; let shown=0;
for (const s of truth.shared) { const c = cov(cross.get(s.doc), s.start, s.end); if (c < 0.9) { const k = s.kind + ':' + (truth.edits[s.doc] ?? 'orig'); miss[k]=(miss[k]??0)+1; if (shown++<3) console.log('MISS', s.kind, s.doc, truth.edits[s.doc], 'cov', c.toFixed(2), s.end-s.start); } }
console.log(miss);
}
