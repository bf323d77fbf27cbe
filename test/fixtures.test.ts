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
      expect({ repeats: report.repeats, passages: report.passages, nearDuplicates: report.nearDuplicates, clusters: report.clusters, totals: report.totals }).toEqual(expected);
      // every span is a real span of its document, and copies of an exact repeat read alike
      const spans = [...report.repeats.flatMap((r) => r.copies.map((c) => ({ doc: r.doc, ...c }))), ...report.passages.flatMap((p) => p.occurrences)];
      for (const o of spans) {
        const text = docs.find((d) => d.id === o.doc)!.text;
        expect(o.start).toBeLessThan(o.end);
        expect(o.end).toBeLessThanOrEqual(text.length);
      }
      for (const r of report.repeats) {
        const text = docs.find((d) => d.id === r.doc)!.text, [x, y] = r.copies.map((c) => text.slice(c.start, c.end));
        if (r.similarity === 1 && r.copies.length === 2 && x!.length === y!.length && r.copies[0]!.end <= r.copies[1]!.start) expect(x).toBe(y);
      }
    });
  }

  it('the seed page yields exactly one repeat, its doubled body at [356, 2419) and [2420, 4483), and no passage', async () => {
    const text = readFileSync(`${FIXTURE_DIR}/menafn-doubled.txt`, 'utf8');
    const report = await scan([{ id: 'menafn', text }]);
    expect(report.repeats).toHaveLength(1);
    expect(report.passages).toEqual([]);
    expect(report.repeats[0]!.copies).toEqual([
      { start: 356, end: 2419, similarity: 1 },
      { start: 2420, end: 4483, similarity: 1 },
    ]);
    expect(text.slice(356, 2419)).toBe(text.slice(2420, 4483));
  });
});
