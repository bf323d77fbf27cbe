import { scan } from 'reprint';
import fs from 'fs';
for (const f of fs.readdirSync('test/fixtures')) {
  const m = f.match(/^(.*)\.(txt|jsonl)$/); if (!m || f.startsWith('news-slice')) continue;
  const raw = fs.readFileSync('test/fixtures/' + f, 'utf8');
  const docs = m[2] === 'txt' ? [{ id: m[1], text: raw }] : raw.split('\n').filter(Boolean).map(l => JSON.parse(l));
  const r = await scan(docs);
  console.log(f, JSON.stringify({ passages: r.passages, nearDuplicates: r.nearDuplicates, clusters: r.clusters }));
  for (const p of r.passages) for (const o of p.occurrences) console.log('   ', o.doc, o.start, o.end, JSON.stringify(docs.find(d=>d.id===o.doc).text.slice(o.start, o.end)).slice(0, 100));
}
