import { tokenize, createTokens, keepTokens, seedsOf, winnow, MinHasher } from 'reprint';
import { loadCorpus } from './corpus/generate.js';
const { documents } = loadCorpus(16000);
const chars = documents.reduce((s, d) => s + d.text.length, 0);
const arena = createTokens(1<<14); const h = new MinHasher();
const T = {};
for (let rep = 0; rep < 2; rep++) for (const k in T) T[k] = 0;
for (let rep = 0; rep < 2; rep++) {
  for (const k in T) T[k]=0;
  for (const d of documents) {
    let a = performance.now(); tokenize(d.text, 1, arena); let b = performance.now();
    const kt = keepTokens(d.text, arena); let c = performance.now();
    const s = seedsOf(kt, 6); let e = performance.now();
    winnow(s, 8); let f = performance.now();
    h.signatureOfTokens(kt.hashes, kt.n); let g = performance.now();
    T.tok = (T.tok??0)+b-a; T.keep=(T.keep??0)+c-b; T.seeds=(T.seeds??0)+e-c; T.winnow=(T.winnow??0)+f-e; T.sig=(T.sig??0)+g-f;
  }
}
console.log(Object.fromEntries(Object.entries(T).map(([k,v])=>[k, (chars/1e6/(v/1000)).toFixed(0)+' MB/s'])));
