import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openIndex } from 'reprint';
import { generateCorpus } from '../corpus/generate.js';

const dist = new URL('../dist/index.js', import.meta.url).href;
const scratch = () => mkdtempSync(join(tmpdir(), 'reprint-crash-'));
const corpus: { id: string; text: string }[] = generateCorpus(5000).documents.map((d: { id: string; text: string }) => ({ id: d.id, text: d.text }));

function snapshot(dir: string): string {
  return readFileSync(join(dir, 'manifest.json'), 'utf8');
}

/**
 * Run `add` or `compact` in a child process and SIGKILL it when `when` says so (it is polled
 * every few milliseconds with the segment files written so far); resolves with what the child
 * had done by then.
 */
async function killDuring(dir: string, op: 'add' | 'compact', batch: string, when: (newFiles: string[], ms: number) => boolean): Promise<{ killed: boolean; newFiles: string[] }> {
  const before = new Set(existsSync(join(dir, 'segments')) ? readdirSync(join(dir, 'segments')) : []);
  const code = `import { openIndex } from ${JSON.stringify(dist)}; import { readFileSync } from 'node:fs';
    const index = await openIndex(${JSON.stringify(dir)});
    ${op === 'add' ? `await index.add(readFileSync(${JSON.stringify(batch)}, 'utf8').trim().split('\\n').map((l) => JSON.parse(l)));` : 'await index.compact();'}`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: 'ignore' });
  const started = Date.now();
  let exited = false;
  child.on('exit', () => { exited = true; });
  for (;;) {
    await new Promise((r) => setTimeout(r, 3));
    if (exited) return { killed: false, newFiles: [] };
    const files = existsSync(join(dir, 'segments')) ? readdirSync(join(dir, 'segments')).filter((f) => !before.has(f)) : [];
    if (when(files, Date.now() - started)) {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      return { killed: true, newFiles: files };
    }
  }
}

describe('index directory (commit, lock, crash safety)', () => {
  const a = corpus.slice(0, 1500), b = corpus.slice(1500);
  const batchFile = join(scratch(), 'b.jsonl');
  writeFileSync(batchFile, b.map((d) => JSON.stringify(d)).join('\n') + '\n');

  it('a writer killed during add leaves exactly the committed batches, and the batch can be added again', async () => {
    // the reference: a clean add of b after a
    const ref = scratch();
    await (await openIndex(ref)).add(a);
    const expected = await (await openIndex(ref)).add(b);

    // killed while it works (before any segment), then while it writes its segments
    for (const when of [(_: string[], ms: number) => ms > 700, (files: string[]) => files.length > 0]) {
      const dir = scratch();
      await (await openIndex(dir)).add(a);
      const committed = snapshot(dir);
      const r = await killDuring(dir, 'add', batchFile, when);
      expect(r.killed).toBe(true);
      // reopened: no error, only batch a, the killed writer's lock and files ignored
      const index = await openIndex(dir);
      expect(snapshot(dir)).toBe(committed);
      expect(index.stats()).toMatchObject({ documents: 1500, batches: 1 });
      expect((await index.query(corpus.slice(4990, 5000).map((d) => ({ ...d, id: `q-${d.id}` })))).totals.documents).toBe(10);
      const again = await index.add(b);
      expect(again).toEqual(expected);
      expect(index.stats()).toMatchObject({ documents: 5000, batches: 2 });
      // the killed writer's files are gone: every segment file is listed
      const listed = JSON.parse(snapshot(dir)).segments.map((s: { file: string }) => s.file.replace('segments/', '')).sort();
      expect(readdirSync(join(dir, 'segments')).sort()).toEqual(listed);
    }
  }, 180_000);

  it('a first add killed before its commit leaves a directory that becomes the index on the next add', async () => {
    const dir = scratch();
    const r = await killDuring(dir, 'add', batchFile, (files) => files.length > 0);
    expect(r.killed).toBe(true);
    expect(existsSync(join(dir, 'manifest.json'))).toBe(false);
    const index = await openIndex(dir);
    expect(index.stats()).toMatchObject({ documents: 0, batches: 0 });
    await index.add(a);
    expect(index.stats()).toMatchObject({ documents: 1500, batches: 1 });
    expect(readdirSync(join(dir, 'segments')).sort()).toEqual(JSON.parse(snapshot(dir)).segments.map((s: { file: string }) => s.file.replace('segments/', '')).sort());
  }, 120_000);

  it('a compaction killed while it writes leaves the index answering as before; it can then run', async () => {
    const dir = scratch();
    for (let k = 0; k < 5; k++) await (await openIndex(dir)).add(corpus.slice(k * 700, (k + 1) * 700));
    const probe = corpus.slice(3500, 3600);
    const before = await (await openIndex(dir)).query(probe);
    const committed = snapshot(dir);
    const r = await killDuring(dir, 'compact', batchFile, (files) => files.length > 0);
    expect(r.killed).toBe(true);
    expect(r.newFiles.length).toBeGreaterThan(0);
    const index = await openIndex(dir);
    expect(snapshot(dir)).toBe(committed);
    expect(await index.query(probe)).toEqual(before);
    const stats = await index.compact();
    expect(stats).toMatchObject({ documents: 3500, batches: 5, segments: 8 });
    expect(await (await openIndex(dir)).query(probe)).toEqual(before);
  }, 180_000);
});
