import { describe, expect, it } from 'vitest';
import { scan } from 'reprint';
import { leastHits } from 'reprint/internal';
import { brownTexts } from './helpers/text.js';

describe('candidates', () => {
  it('asks minCandidateHits shared fingerprints, or half of a text that has few', () => {
    expect(leastHits(2, 85)).toBe(2);
    expect(leastHits(2, 3)).toBe(2);
    expect(leastHits(2, 2)).toBe(1);
    expect(leastHits(2, 1)).toBe(1);
    expect(leastHits(2, 0)).toBe(1);
    expect(leastHits(5, 7)).toBe(4);
    expect(leastHits(1, 85)).toBe(1);
  });

  it('aligns a shared passage that a few fingerprints anchor, and a periodic text that has one', async () => {
    const [a, b, c] = brownTexts(3) as [string, string, string];
    const shared = b.split(' ').slice(0, 40).join(' ');
    const periodic = 'Café naïve — «quoted» résumé; Ελληνικά Русский. '.repeat(12);
    const docs = [
      { id: 'one', text: `${a} ${shared}` },
      { id: 'two', text: `${c} ${shared} ${a.split(' ').slice(0, 3).join(' ')}` },
      { id: 'loop', text: periodic },
      { id: 'loop-copy', text: `Preface. ${periodic}` },
    ];
    const report = await scan(docs, { alignments: true });
    const pairsOf = (later: string, earlier: string) => report.alignments!.filter((al) => al.later.doc === later && al.earlier.doc === earlier);
    expect(pairsOf('two', 'one')).toHaveLength(1);
    expect(pairsOf('two', 'one')[0]!.later.end - pairsOf('two', 'one')[0]!.later.start).toBeGreaterThanOrEqual(shared.length);
    expect(pairsOf('loop-copy', 'loop').length).toBeGreaterThan(0);
    // with minCandidateHits above what the shared passage has, it is not aligned
    const strict = await scan(docs, { alignments: true, minCandidateHits: 1000 });
    expect(strict.alignments!.filter((al) => al.later.doc === 'two' && al.earlier.doc === 'one')).toHaveLength(0);
  });
});
