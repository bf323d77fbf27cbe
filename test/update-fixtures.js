// Rewrites test/fixtures/*.expected.json from the current engine: run `npm run fixtures`, then read
// the diff; a change in them is a change in what reprint reports (note it in CHANGELOG.md).
import { readdirSync, writeFileSync } from 'node:fs';
import { scan } from 'reprint';
import { fixtureDocuments, FIXTURE_DIR } from './fixtures.js';

for (const name of readdirSync(FIXTURE_DIR)) {
  const docs = fixtureDocuments(name);
  if (!docs) continue;
  const report = await scan(docs);
  const expected = { repeats: report.repeats, passages: report.passages, nearDuplicates: report.nearDuplicates, clusters: report.clusters, totals: report.totals };
  const file = `${FIXTURE_DIR}/${name.replace(/\.(txt|jsonl)$/, '.expected.json')}`;
  writeFileSync(file, JSON.stringify(expected, null, 2) + '\n');
  console.log(`${file}: ${report.repeats.length} repeats, ${report.passages.length} passages, ${report.nearDuplicates.length} near-duplicate pairs`);
}

