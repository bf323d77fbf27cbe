import { describe, expect, it } from 'vitest';
import { normalize } from '../src/normalize.js';
import { createTokens, tokenize, tokenizeBytes } from '../src/tokenize.js';
import { brownTexts, fixture } from './helpers/text.js';

function words(text: string): string[] {
  const t = tokenize(text, 1);
  return Array.from({ length: t.count }, (_, i) => text.slice(t.starts[i], t.ends[i]));
}

describe('tokenize', () => {
  it('splits on Unicode letter/number runs and keeps [start, end) offsets', () => {
    expect(words("Pakistan's top-level chief, 2025: naïve Café!")).toEqual(['Pakistan', 's', 'top', 'level', 'chief', '2025', 'naïve', 'Café']);
    expect(words('')).toEqual([]);
    expect(words(' ,.; ')).toEqual([]);
  });

  it('falls back to one token per character for CJK and Thai, and handles astral characters', () => {
    expect(words('東京は晴れ')).toEqual(['東', '京', 'は', '晴', 'れ']);
    expect(words('a𝒳b 😀 𠀋')).toEqual(['a𝒳b', '𠀋']);
  });

  it('hashes tokens that fold alike to the same value', () => {
    const t = tokenize('Café CAFE cafe\u0301 cafes', 1);
    expect(t.hashes[0]).toBe(t.hashes[1]);
    expect(t.hashes[0]).toBe(t.hashes[2]);
    expect(t.hashes[0]).not.toBe(t.hashes[3]);
    expect(tokenize('cafe', 2).hashes[0]).not.toBe(t.hashes[0]);
  });

  it('gives identical tokens from UTF-8 bytes, offsets in UTF-16 code units', () => {
    const texts = [fixture('menafn-doubled.txt'), 'Ünïcödé 東京 𝒳y ﬁ « » \u0000 end', ...brownTexts(3)];
    for (const text of texts) {
      const a = tokenize(text, 7, createTokens());
      const b = tokenizeBytes(Buffer.from(text, 'utf8'), 7, createTokens());
      expect(b.count).toBe(a.count);
      expect(Array.from(b.hashes.subarray(0, b.count))).toEqual(Array.from(a.hashes.subarray(0, a.count)));
      expect(Array.from(b.starts.subarray(0, b.count))).toEqual(Array.from(a.starts.subarray(0, a.count)));
      expect(Array.from(b.ends.subarray(0, b.count))).toEqual(Array.from(a.ends.subarray(0, a.count)));
    }
  });

  it('treats invalid UTF-8 as a separator', () => {
    const t = tokenizeBytes(new Uint8Array([0x61, 0x62, 0xff, 0x63, 0xc3]), 1);
    expect(t.count).toBe(2);
    expect([t.starts[0], t.ends[0], t.starts[1], t.ends[1]]).toEqual([0, 2, 3, 4]);
  });

  it('on real text, every token maps back to a span that normalizes to one word', () => {
    for (const text of brownTexts(5)) {
      const t = tokenize(text, 1);
      expect(t.count).toBeGreaterThan(1000);
      for (let i = 0; i < t.count; i += 37) {
        const span = text.slice(t.starts[i], t.ends[i]);
        expect(normalize(span).text).toMatch(/^[a-z0-9]+$/);
        expect(t.starts[i]!).toBeLessThan(t.ends[i]!);
        if (i > 0) expect(t.starts[i]!).toBeGreaterThanOrEqual(t.ends[i - 1]!);
      }
    }
  });

  it('reuses the arena between calls', () => {
    const arena = createTokens(4);
    const a = tokenize('one two three four five six', 1, arena);
    expect(a).toBe(arena);
    expect(a.count).toBe(6);
    expect(tokenize('seven', 1, arena).count).toBe(1);
  });
});
