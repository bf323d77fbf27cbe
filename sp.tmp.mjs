import { Corpus } from 'reprint';
import { loadCorpus } from './corpus/generate.js';
const N = Number(process.argv[2] ?? 16000);
const { documents } = loadCorpus(N);
const chars = documents.reduce((s, d) => s + d.text.length, 0);
const c = new Corpus();
let t0 = performance.now();
for (const d of documents) c.add(d);
let t1 = performance.now();
const r = c.report();
let t2 = performance.now();
console.log('add MB/s', (chars/1e6/((t1-t0)/1000)).toFixed(1), 'report s', ((t2-t1)/1000).toFixed(2), 'total MB/s', (chars/1e6/((t2-t0)/1000)).toFixed(1), c.memory());
console.log(globalThis.T)
