import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI } from './helpers/cli.js';

// the package's executable: the command line here, or (large inputs on Linux) in a child asking for huge pages
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'reprint-bin-'));
const run = (file: string, args: string[], env: NodeJS.ProcessEnv = process.env) => spawnSync(process.execPath, [file, ...args], { encoding: 'utf8', env, maxBuffer: 64 << 20 });

describe('the reprint executable', () => {
  it('prints what the command line prints, with its exit status, for a small input', () => {
    const small = join(tmp, 'small.jsonl');
    const line = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega';
    writeFileSync(small, `${JSON.stringify({ id: 'a', text: `${line}. ${line}.` })}\n${JSON.stringify({ id: 'b', text: 'short' })}\n`);
    const viaBin = run(BIN, ['scan', small, '--format', 'json']), viaCli = run(CLI, ['scan', small, '--format', 'json']);
    expect(viaBin.status).toBe(0);
    expect(JSON.parse(viaBin.stdout).totals).toEqual(JSON.parse(viaCli.stdout).totals);
    expect(JSON.parse(viaBin.stdout).totals.repeats).toBe(1);
    expect(run(BIN, ['scan', small, '--check']).status).toBe(1);
    expect(run(BIN, ['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('passes a large input\'s exit status and error through the child it runs it in', () => {
    // 64 MB on disk as a sparse file: a valid first line, then NUL bytes (not JSON)
    const big = join(tmp, 'big.jsonl');
    const fd = openSync(big, 'w');
    writeSync(fd, `${JSON.stringify({ id: 'a', text: 'one two three' })}\n`);
    writeSync(fd, '\0', (64 << 20) - 1);
    closeSync(fd);
    for (const env of [process.env, { ...process.env, GLIBC_TUNABLES: 'glibc.malloc.check=0' }]) {
      const r = run(BIN, ['scan', big], env);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/big\.jsonl line 2/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
