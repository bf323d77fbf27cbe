import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from './helpers/cli.js';
import { newsSlice } from './helpers/text.js';

// The CLI on a pseudo-terminal, as a person runs it: util-linux `script` gives it one, and what
// it draws comes back as one stream.
const tmp = mkdtempSync(join(tmpdir(), 'reprint-tty-'));
const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
function onTerminal(args: string[], env: Record<string, string> = {}): string {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NO_COLOR' && k !== 'FORCE_COLOR'));
  const r = spawnSync('script', ['-qec', [process.execPath, CLI, ...args].map(quote).join(' '), '/dev/null'], { env: { ...clean, COLUMNS: '160', ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  expect(r.status).toBe(0);
  return r.stdout;
}

describe('reprint on a terminal', () => {
  // about 30 MB of news, every document its own (the scan takes long enough to draw progress)
  const slice = newsSlice();
  const input = join(tmp, 'news.jsonl');
  writeFileSync(input, Array.from({ length: 12000 }, (_, i) => JSON.stringify({ id: `n${i}`, text: `Dispatch ${i}: ${slice[i % slice.length]!.text}` })).join('\n') + '\n');
  const mb = statSync(input).size / 1e6;

  it('shows progress that advances with the bytes read, then one summary line', () => {
    const screen = onTerminal(['scan', input, '--format', 'json', '-o', join(tmp, 'out.json')]);
    const reads = [...screen.matchAll(/reading and indexing \[[#-]+\] (\d+\.\d) \/ (\d+\.\d) MB \((\d+)%\)/g)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]);
    expect(reads.length).toBeGreaterThanOrEqual(2);
    for (const [, total] of reads) expect(total).toBeCloseTo(mb, 0);
    for (let i = 1; i < reads.length; i++) expect(reads[i]![0]!).toBeGreaterThanOrEqual(reads[i - 1]![0]!);
    expect(reads[reads.length - 1]![0]!).toBeGreaterThan(reads[0]![0]!);
    expect(screen).toMatch(/reprint: 12,000 documents, \d+\.\d MB in \d+\.\d s: .* clusters; wrote .*out\.json/);
  });

  it('colours the text report on a terminal, and not with NO_COLOR', () => {
    const colour = /\x1b\[[0-9;]*m/;
    expect(onTerminal(['scan', new URL('./fixtures/menafn-doubled.txt', import.meta.url).pathname])).toMatch(colour);
    const plain = onTerminal(['scan', new URL('./fixtures/menafn-doubled.txt', import.meta.url).pathname], { NO_COLOR: '1' });
    expect(plain).toContain('Repeats inside documents');
    expect(plain).not.toMatch(colour);
    const forced = spawnSync(process.execPath, [CLI, 'scan', new URL('./fixtures/menafn-doubled.txt', import.meta.url).pathname], { env: { ...process.env, FORCE_COLOR: '1' }, encoding: 'utf8' });
    expect(forced.stdout).toMatch(colour);
  });
});
