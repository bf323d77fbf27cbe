import { describe, expect, it } from 'vitest';
import { BatchSketch, TokenStore, parseOptions, planOf, scanOptionsSchema } from 'reprint/internal';
import { newsSlice } from './helpers/text.js';

describe('BatchSketch', () => {
  const o = parseOptions(scanOptionsSchema, {});
  const docs = newsSlice().slice(0, 80);

  it('grows its columns once to what reserve asks, and keeps the same rows', () => {
    const plain = new BatchSketch(o, planOf(o), 100, new TokenStore());
    for (const d of docs) plain.add(d);
    const grown = new BatchSketch(o, planOf(o), 100, new TokenStore());
    for (const d of docs.slice(0, 20)) grown.add(d);
    const fps = grown.fps.n, bands = grown.bands.n, hits = 2 * grown.selfAt[20]!;
    const had = [grown.fps.cols[0]!.length, grown.bands.cols[0]!.length, grown.selfHits.length];
    grown.reserve(3);
    expect(Math.ceil(3 * fps)).toBeGreaterThan(had[0]!);
    expect([grown.fps.cols[0]!.length, grown.fps.cols[2]!.length]).toEqual([Math.ceil(3 * fps), Math.ceil(3 * fps)]);
    expect(grown.bands.cols[1]!.length).toBe(Math.max(had[1]!, Math.ceil(3 * bands)));
    expect(grown.selfHits.length).toBe(Math.max(had[2]!, Math.ceil(3 * hits)));
    for (const d of docs.slice(20)) grown.add(d);
    // a reserve too small (the tail outgrew it) or none at all: the same rows either way
    const rows = (s: BatchSketch) => ({
      fps: s.fps.cols.map((c) => Array.from(c.subarray(0, s.fps.n))),
      bands: s.bands.cols.map((c) => Array.from(c.subarray(0, s.bands.n))),
      fpAt: s.fpAt,
      selfAt: s.selfAt,
      selfHits: Array.from(s.selfHits.subarray(0, 2 * s.selfAt[s.size]!)),
    });
    expect(rows(grown)).toEqual(rows(plain));
    expect(plain.fps.n).toBeGreaterThan(3 * fps);
  });

  it('leaves its columns as they are for a factor of 1 or less', () => {
    const s = new BatchSketch(o, planOf(o), 0, new TokenStore());
    for (const d of docs.slice(0, 10)) s.add(d);
    const before = s.fps.cols[0];
    s.reserve(1);
    s.reserve(0.5);
    expect(s.fps.cols[0]).toBe(before);
  });
});
