// Real text that no one here wrote, for the benchmark's quality rows:
// - npm-docs: the README, LICENSE, CHANGELOG and other text files of the packages under
//   node_modules (fixed by package-lock.json): licenses copied and edited across packages, some
//   printed twice in one file, changelogs that quote each other;
// - debian-copyright: /usr/share/doc/*/copyright where the machine has them (Debian's license
//   texts, copied across hundreds of packages), skipped elsewhere.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const TEXT = /(^(readme|license|licence|changelog|changes|history|notice|authors|contributing)([.-].*)?$)|\.(md|markdown|txt)$/i;

function walk(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    let st;
    try { st = statSync(p); } catch { continue; }
    if (st.isDirectory()) walk(p, out);
    else if (st.isFile() && TEXT.test(name) && st.size > 0 && st.size < 2e6) out.push(p);
  }
  return out;
}

function load(files, base) {
  const docs = [];
  for (const f of files) {
    const buf = readFileSync(f);
    if (!isUtf8(buf) || buf.includes(0)) continue;
    docs.push({ id: relative(base, f), text: buf.toString('utf8') });
  }
  return docs;
}

/**
 * Every 10th document of at least 60 words printed twice (text, a blank line, text), as a page
 * that prints its body or its license twice: the two copies are the planted truth of whole-block
 * recall, and each still shares its text with the other documents.
 */
function plantDoubles(documents) {
  const planted = [];
  let eligible = 0;
  const docs = documents.map((d) => {
    if ((d.text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0) < 60 || eligible++ % 10 !== 0) return d;
    const n = d.text.length;
    planted.push({ doc: d.id, spans: [[0, n], [n + 2, 2 * n + 2]] });
    return { id: d.id, text: `${d.text}\n\n${d.text}` };
  });
  return { documents: docs, planted };
}

/** The real corpora available on this machine: [{ name, documents, planted }]. */
export function realCorpora() {
  const out = [];
  const nm = join(root, 'node_modules');
  if (existsSync(nm)) out.push({ name: 'npm-docs', ...plantDoubles(load(walk(nm, []), nm)) });
  const deb = '/usr/share/doc';
  if (existsSync(deb)) {
    const files = readdirSync(deb).sort().map((p) => join(deb, p, 'copyright')).filter((f) => existsSync(f) && statSync(f).isFile());
    if (files.length >= 50) out.push({ name: 'debian-copyright', ...plantDoubles(load(files, deb)) });
  }
  return out;
}
