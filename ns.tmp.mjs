import { scan } from 'reprint'; import fs from 'fs'; import { evaluate } from './bench/quality.js';
const documents = fs.readFileSync('test/fixtures/news-slice.jsonl','utf8').split('\n').filter(Boolean).map(l=>JSON.parse(l));
const truth = JSON.parse(fs.readFileSync('test/fixtures/news-slice.truth.json','utf8'));
const r = await scan(documents); const q = evaluate(r, truth, documents);
for (const k in q) console.log(k, JSON.stringify(q[k]));
const r2 = await scan(documents, { jobs: 2 }); console.log('jobs identical', JSON.stringify(r2.passages) === JSON.stringify(r.passages) && JSON.stringify(r2.nearDuplicates) === JSON.stringify(r.nearDuplicates));
