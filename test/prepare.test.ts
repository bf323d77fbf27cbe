import { describe, expect, it } from 'vitest';
import { parseOptions, scanOptionsSchema } from '../src/options.js';
import { planOf, prepare, prepareBytes, utf16Units } from '../src/prepare.js';
import { createFingerprints } from '../src/kernel.js';
import { createTokens } from '../src/tokenize.js';
import { brownTexts } from './helpers/text.js';

const encoder = new TextEncoder();

describe('utf16Units', () => {
  it("counts a UTF-8 text's UTF-16 units: one a character, two past U+FFFF", () => {
    for (const t of ['', 'plain ASCII', 'café — naïve', '中文文本', '𝒳 and 😀 astral', `mixed 𝒳é中a${'x'.repeat(1000)}`]) {
      expect(utf16Units(encoder.encode(t))).toBe(t.length);
    }
  });
});

describe('prepareBytes', () => {
  it('prepares a text from its UTF-8 as prepare does from the string', () => {
    const o = parseOptions(scanOptionsSchema, {}), plan = planOf(o);
    const [a] = brownTexts(1) as [string];
    for (const t of [a, `𝒳 café ${a.slice(0, 3000)}`, 'short text', '']) {
      const b = encoder.encode(t);
      const want = prepare(t, o, plan), got = prepareBytes(b, utf16Units(b), o, plan, createTokens(), createFingerprints());
      expect(got.chars).toBe(want.chars);
      expect([got.tokens.n, Array.from(got.tokens.hashes.subarray(0, got.tokens.n)), Array.from(got.tokens.bytes.subarray(0, got.tokens.n))])
        .toEqual([want.tokens.n, Array.from(want.tokens.hashes.subarray(0, want.tokens.n)), Array.from(want.tokens.bytes.subarray(0, want.tokens.n))]);
      expect(Array.from(got.signature)).toEqual(Array.from(want.signature));
    }
  });
});
