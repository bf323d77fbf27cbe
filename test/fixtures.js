// Fixture loading shared by the regression test and the updater: name.txt is one document (id
// name), name.jsonl one { id, text } per line; the news slice has its own truth file and test.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURE_DIR = fileURLToPath(new URL('./fixtures', import.meta.url));

/** Documents of a fixture file, or undefined when the file is not a fixture input. */
export function fixtureDocuments(name) {
  const m = /^(.*)\.(txt|jsonl)$/.exec(name);
  if (!m || m[1].startsWith('news-slice')) return undefined;
  const raw = readFileSync(`${FIXTURE_DIR}/${name}`, 'utf8');
  if (m[2] === 'txt') return [{ id: m[1], text: raw }];
  return raw.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}
