import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The house: src/ split by stage, no file over about 600 lines, no import circles (type imports
// included, since a data layout that lives in a stage file is what makes them).
const dir = new URL('../src/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'kernel-wasm.ts');
const imports = new Map(files.map((f) => [f.replace(/\.ts$/, ''), [...readFileSync(new URL(f, dir), 'utf8').matchAll(/from '\.\/([\w-]+)\.js'/g)].map((m) => m[1]!)]));

describe('src/', () => {
  it('has no file over 600 lines', () => {
    const long = files.filter((f) => readFileSync(new URL(f, dir), 'utf8').split('\n').length > 600);
    expect(long).toEqual([]);
  });

  it('has no import circles', () => {
    const circles: string[] = [], state = new Map<string, number>(), path: string[] = [];
    const visit = (m: string) => {
      state.set(m, 1); path.push(m);
      for (const n of imports.get(m) ?? []) {
        if (state.get(n) === 1) circles.push([...path.slice(path.indexOf(n)), n].join(' -> '));
        else if (!state.has(n)) visit(n);
      }
      path.pop(); state.set(m, 2);
    };
    for (const m of imports.keys()) if (!state.has(m)) visit(m);
    expect(circles).toEqual([]);
    expect(imports.size).toBeGreaterThan(20);
  });

  it('keeps zod out of the worker threads, whose start delays the first batches', () => {
    // value imports only: a type import is erased from the JavaScript
    const source = (m: string) => readFileSync(new URL(`${m}.ts`, dir), 'utf8');
    const loads = (m: string) => [...source(m).matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from '\.\/([\w-]+)\.js'/gm)].map((x) => x[1]!);
    const seen = new Set<string>(), todo = ['worker'];
    for (let m = todo.pop(); m !== undefined; m = todo.pop()) if (!seen.has(m)) { seen.add(m); todo.push(...loads(m)); }
    expect(seen).toContain('prepare');
    expect(seen).toContain('pool');
    expect([...seen].filter((m) => /from 'zod'/.test(source(m)))).toEqual([]);
    // the public hasher does load it: the check sees what it looks for
    expect(loads('hasher').some((m) => /from 'zod'/.test(source(m)))).toBe(true);
  });
});
