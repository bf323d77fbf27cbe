import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scan } from '../src/scan.js';
import { FIXTURE_DIR, fixtureDocuments } from './fixtures.js';

// One loop over every fixture: name.txt / name.jsonl against name.expected.json (`npm run fixtures` rewrites them).
describe('fixtures', () => {
  for (const name of readdirSync(FIXTURE_DIR).sort()) {
    const docs = fixtureDocuments(name) as { id: string; text: string }[] | undefined;
    if (!docs) continue;
    it(`${name} gives its golden report`, async () => {
      const expected = JSON.parse(readFileSync(`${FIXTURE_DIR}/${name.replace(/\.(txt|jsonl)$/, '.expected.json')}`, 'utf8'));
      const report = await scan(docs);
      expect({ passages: report.passages, nearDuplicates: report.nearDuplicates, clusters: report.clusters, totals: report.totals }).toEqual(expected);
      // every occurrence is a real span of its document, and copies of an exact passage read alike
      for (const p of report.passages) {
        for (const o of p.occurrences) {
          const text = docs.find((d) => d.id === o.doc)!.text;
          expect(o.start).toBeLessThan(o.end);
          expect(o.end).toBeLessThanOrEqual(text.length);
        }
        if (p.similarity === 1 && p.occurrences.length === 2) {
          const [x, y] = p.occurrences.map((o) => docs.find((d) => d.id === o.doc)!.text.slice(o.start, o.end));
          if (x!.length === y!.length) expect(x).toBe(y);
        }
      }
    });
  }

  it('the seed page yields exactly its doubled body, at [356, 2419) and [2420, 4483)', async () => {
    const text = readFileSync(`${FIXTURE_DIR}/menafn-doubled.txt`, 'utf8');
    const report = await scan([{ id: 'menafn', text }]);
    expect(report.passages).toHaveLength(1);
    expect(report.passages[0]!.occurrences).toEqual([
      { doc: 'menafn', start: 356, end: 2419 },
      { doc: 'menafn', start: 2420, end: 4483 },
    ]);
    expect(text.slice(356, 2419)).toBe(text.slice(2420, 4483));
  });
});
