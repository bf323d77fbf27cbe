import { describe, expect, it } from 'vitest';
import { reportOf } from '../src/assemble.js';
import { reportJson, reportJsonSchema, reportPartsJsonPieces, reportSchema } from '../src/report.js';
import { scan, scanParts } from '../src/scan.js';
import { fixture, newsSlice } from './helpers/text.js';

describe('report', () => {
  it('is validated by its zod schema, options included', async () => {
    const report = await scan([{ id: 'm', text: fixture('menafn-doubled.txt') }], { minWords: 25 });
    expect(reportSchema.parse(report)).toEqual(report);
    expect(report.options.minWords).toBe(25);
    expect(report.version).toBe(2);
    expect(report.totals).toMatchObject({ documents: 1, repeats: 1, copies: 2, passages: 0, occurrences: 0, repeatedChars: 2063 });
  });

  it('lists every aligned pair only when asked', async () => {
    const text = fixture('menafn-doubled.txt');
    expect((await scan([{ id: 'm', text }])).alignments).toBeUndefined();
    const r = await scan([{ id: 'm', text }], { alignments: true });
    expect(r.alignments).toEqual([{ earlier: { doc: 'm', start: 356, end: 2419 }, later: { doc: 'm', start: 2420, end: 4483 }, similarity: 1 }]);
    expect(reportSchema.parse(r)).toEqual(r);
  });

  it('is written in pieces exactly as JSON.stringify writes it whole', async () => {
    for (const [docs, options] of [[newsSlice(), { alignments: true }], [[{ id: 'm', text: fixture('menafn-doubled.txt') }], {}], [[{ id: 'e', text: '' }], {}],
      // more than a piece holds (a megabyte), ids that need escapes and UTF-8 of every length
      [Array.from({ length: 20_000 }, (_, i) => ({ id: `d${i} "ü€𝄞"\t`, text: `word ${i} and "more"\n` })), {}],
      // passages and repeats whose documents' ids need escapes
      [newsSlice().map((d, i) => ({ id: `${d.id} "ü"\\${i}`, text: d.text })), { alignments: true }]] as const) {
      const report = await scan(docs, options);
      const pieces = [...reportJson(report)];
      expect(pieces.join('')).toBe(JSON.stringify(report, null, 2) + '\n');
      if (docs.length === 20_000) expect(pieces.length).toBeGreaterThan(1);
      // the CLI's way: the same bytes from the report's parts, without its objects
      const parts = await scanParts(docs, options);
      expect(reportOf(parts)).toEqual(report);
      const bytes: Buffer[] = [];
      // each piece is a view of a buffer the next one reuses
      for (const piece of reportPartsJsonPieces(parts)) bytes.push(Buffer.from(piece));
      expect(Buffer.concat(bytes).toString('utf8')).toBe(JSON.stringify(report, null, 2) + '\n');
      if (docs.length === 20_000) expect(bytes.length).toBeGreaterThan(1);
    }
  });

  it('exports a JSON Schema naming every top-level field', () => {
    const schema = reportJsonSchema() as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties).sort()).toEqual(['alignments', 'clusters', 'documents', 'nearDuplicates', 'options', 'passages', 'repeats', 'totals', 'version']);
    expect(schema.required).toEqual(expect.arrayContaining(['repeats', 'passages', 'version']));
    expect(schema.required).not.toContain('alignments');
    expect(JSON.stringify(schema)).toContain('"occurrences"');
    expect(JSON.stringify(schema)).toContain('"representative"');
  });
});
