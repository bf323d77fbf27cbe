import { mkdtempSync, openSync, closeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pieceStrings, writePieces, type Piece } from '../src/output.js';

describe('writePieces', () => {
  it('writes the pieces as their strings, cut where asked, through writes larger and smaller than its buffer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reprint-output-'));
    const big = 'é€𝄞 word '.repeat(300_000); // over 4 MB of UTF-8 in one piece
    const pieces: Piece[] = ['{\n', ['[\n  [\n  "ü", 1\n  ]\n]', 6, 6], ',\n', big, ['[[x]]', 2, 2], '', ...Array.from({ length: 5000 }, (_, i) => `line ${i} ünïcödé\n`), ['[\n  [\n' + big + '\n  ]\n]', 6, 6], '}\n'];
    const want = [...pieceStrings(pieces)].join('');
    expect(want.startsWith('{\n  "ü", 1,\n')).toBe(true);
    expect(want).toContain(' word xline 0 ');
    const file = join(dir, 'out.json'), fd = openSync(file, 'w');
    try { writePieces(fd, pieces); } finally { closeSync(fd); }
    expect(readFileSync(file, 'utf8')).toBe(want);
  });
});
