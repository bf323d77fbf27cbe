import { describe, expect, it } from 'vitest';
import { CLASS, SEP, SOLO, WORD, classOf, normalize } from '../src/normalize.js';

describe('normalize', () => {
  it('folds case, accents and compatibility forms, digits only when asked, and drops punctuation', () => {
    expect(normalize('Héllo, WÖRLD! ﬁne Ｆｕｌｌ 2025 café').text).toBe('hello world fine full 2025 cafe');
    expect(normalize('Héllo, WÖRLD! ﬁne Ｆｕｌｌ 2025 café', true).text).toBe('hello world fine full 0000 cafe');
    // compatibility digits and other scripts' digits fold as the ASCII ones do
    expect(normalize('２０２５ ٣', false).text).toBe('2025 ٣');
    expect(normalize('２０２５ ٣', true).text).toBe('0000 0');
  });

  it('keeps an offset map back to the original string', () => {
    const src = '  Éclair—au «chocolat»';
    const { text, map } = normalize(src);
    expect(text).toBe('eclair au chocolat');
    for (let i = 0; i < text.length; i++) {
      if (text[i] === ' ') expect(map[i]).toBe(-1);
      else expect(normalize(src[map[i]!]!).text).toBe(text[i]);
    }
  });

  it('treats combining marks as part of the word (decomposed input folds like composed)', () => {
    expect(normalize('cafe\u0301 na\u0308ive').text).toBe(normalize('café naïve').text);
  });

  it('makes one token per character in scripts written without spaces', () => {
    expect(normalize('東京は晴れ').text).toBe('東 京 は 晴 れ');
    expect(normalize('ภาษาไทย').text.split(' ').length).toBeGreaterThan(3);
    expect(classOf('東'.charCodeAt(0))).toBe(SOLO);
  });

  it('classifies ASCII as the big pipelines do', () => {
    expect(CLASS['a'.charCodeAt(0)]).toBe(WORD);
    expect(CLASS['7'.charCodeAt(0)]).toBe(WORD);
    expect(CLASS['-'.charCodeAt(0)]).toBe(SEP);
    expect(CLASS["'".charCodeAt(0)]).toBe(SEP);
  });

  it('folds other scripts with spaces as words', () => {
    expect(normalize('Привет, МИР! Γειά σου').text).toBe('привет мир γεια σου');
  });
});
