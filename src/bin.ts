#!/usr/bin/env node
/**
 * The `reprint` executable. On Linux, for large inputs, it runs the command line in a child
 * process whose C library is asked, through GLIBC_TUNABLES (read only at process start), to back
 * large allocations with transparent huge pages: fewer page faults on the engine's typed arrays.
 * A GLIBC_TUNABLES the user set is left as it is, and the command runs in this process.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('./cli.js', import.meta.url);

/** Named input files smaller than this run here: a second process start (about 0.1 s) costs more than huge pages save. */
const RELAUNCH_BYTES = 64 << 20;

/** Bytes of the arguments that name regular files (directories and standard input count nothing). */
function namedBytes(args: string[]): number {
  let n = 0;
  for (const a of args) {
    try { const s = statSync(a); if (s.isFile()) n += s.size; } catch { /* not a path */ }
  }
  return n;
}

const args = process.argv.slice(2);
if (process.platform === 'linux' && process.env.GLIBC_TUNABLES === undefined && namedBytes(args) >= RELAUNCH_BYTES) {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(cli), ...args], {
    stdio: 'inherit',
    env: { ...process.env, GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' },
  });
  // a signal sent to this process alone (a supervisor's SIGTERM) reaches the command too
  const forward = (signal: NodeJS.Signals) => { child.kill(signal); };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, forward);
  child.on('error', (err) => { process.stderr.write(`reprint: could not start: ${err.message}\n`); process.exit(2); });
  child.on('exit', (code, signal) => {
    for (const s of signals) process.off(s, forward);
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 2);
  });
} else {
  const { main } = (await import(cli.href)) as typeof import('./cli.js');
  process.exitCode = await main(args);
}
