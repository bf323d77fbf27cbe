import { mkdtempSync, openSync, closeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pieceStrings, writePieces, type Piece } from '../src/output.js';

describe('writePieces', () => {
  it('writes the pieces as their strings and bytes, through writes larger and smaller than its buffer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reprint-output-'));
    const big = 'é€𝄞 word '.repeat(300_000); // over 4 MB of UTF-8 in one piece
    const bytes = (s: string) => new TextEncoder().encode(s);
    const pieces: Piece[] = ['{\n', bytes('"ü", 1'), ',\n', big, bytes('[x]'), '', bytes(''), ...Array.from({ length: 5000 }, (_, i) => `line ${i} ünïcödé\n`), bytes(big), ...Array.from({ length: 3000 }, (_, i) => bytes(`b${i} ü\n`)), '}\n'];
    const want = [...pieceStrings(pieces)].join('');
    expect(want.startsWith('{\n"ü", 1,\n')).toBe(true);
    expect(want).toContain(' word [x]line 0 ');
    expect(want.endsWith('b2999 ü\n}\n')).toBe(true);
    const file = join(dir, 'out.json'), fd = openSync(file, 'w');
    try { writePieces(fd, pieces); } finally { closeSync(fd); }
    expect(readFileSync(file, 'utf8')).toBe(want);
  });
});
