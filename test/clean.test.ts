import { describe, expect, it } from 'vitest';
import { cleanDocuments, planClean } from '../src/clean.js';
import { scan } from '../src/scan.js';
import { brownTexts } from './helpers/text.js';

describe('clean', () => {
  const [a, b, c] = brownTexts(3).map((t) => t.slice(0, 3000));
  const footer = 'Legal notice: the publisher provides this information as is without warranty of any kind and accepts no responsibility for its accuracy, completeness or legality anywhere.';
  const docs = [
    { id: 'one', text: `${a}\n${footer}` },
    { id: 'two', text: `${b}\n${footer}\n${b}` },
    { id: 'three', text: `${a}\n${footer}\nand a longer ending that makes this copy the longest one of its cluster` },
    { id: 'four', text: `${c}\n${footer}` },
  ];
  const texts = new Map(docs.map((d) => [d.id, d.text]));

  it('drops near-duplicates (first or longest kept) and removes later internal copies', async () => {
    const report = await scan(docs);
    const first = cleanDocuments(report, texts, { keep: 'first', stripBoilerplate: 0 });
    expect(first.dropped).toEqual([{ id: 'three', duplicateOf: 'one' }]);
    expect(first.documents.map((d) => d.id)).toEqual(['one', 'two', 'four']);
    expect(first.documents[1]!.text).toBe(`${b}\n${footer}\n`);
    expect(first.documents[2]!.text).toBe(texts.get('four'));
    const longest = cleanDocuments(report, texts, { keep: 'longest', stripBoilerplate: 0 });
    expect(longest.dropped).toEqual([{ id: 'one', duplicateOf: 'three' }]);
  });

  it('strips boilerplate everywhere but its first occurrence, naming the kept copy', async () => {
    const report = await scan(docs);
    const plan = planClean(report, { keep: 'first', stripBoilerplate: 3 });
    const footerRemovals = plan.removed.filter((r) => r.reason === 'boilerplate');
    expect(footerRemovals.map((r) => r.doc)).toEqual(['two', 'four']);
    for (const r of footerRemovals) {
      expect(texts.get(r.doc)!.slice(r.start, r.end)).toBe(footer);
      expect(r.kept.doc).toBe('one');
      expect(texts.get('one')!.slice(r.kept.start, r.kept.end)).toBe(footer);
    }
    expect(plan.apply('four', texts.get('four')!)).toBe(`${c}\n`);
    expect(plan.apply('one', texts.get('one')!)).toBe(texts.get('one'));
  });

  it('removes only the part of an overlapping repeat that its kept copy does not cover', async () => {
    const phrase = 'one two three four five six seven eight nine ten eleven twelve ';
    const text = `Start here. ${phrase.repeat(4)}Stop.`;
    const report = await scan([{ id: 'p', text }]);
    const out = cleanDocuments(report, new Map([['p', text]]), { keep: 'first', stripBoilerplate: 0 });
    const cleaned = out.documents[0]!.text;
    expect(cleaned).toContain(phrase.repeat(3).trim());
    expect(cleaned.length).toBeLessThan(text.length);
    expect(cleaned.endsWith('Stop.')).toBe(true);
  });
});
