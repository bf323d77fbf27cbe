import { describe, expect, it } from 'vitest';
import { reportJsonSchema, reportSchema } from '../src/report.js';
import { scan } from '../src/scan.js';
import { fixture } from './helpers/text.js';

describe('report', () => {
  it('is validated by its zod schema, options included', async () => {
    const report = await scan([{ id: 'm', text: fixture('menafn-doubled.txt') }], { minWords: 25 });
    expect(reportSchema.parse(report)).toEqual(report);
    expect(report.options.minWords).toBe(25);
    expect(report.totals).toMatchObject({ documents: 1, passages: 1, occurrences: 2, repeatedChars: 2063 });
  });

  it('exports a JSON Schema naming every top-level field', () => {
    const schema = reportJsonSchema() as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties).sort()).toEqual(['clusters', 'documents', 'nearDuplicates', 'options', 'passages', 'totals', 'version']);
    expect(schema.required).toContain('passages');
    expect(JSON.stringify(schema)).toContain('"occurrences"');
  });
});
