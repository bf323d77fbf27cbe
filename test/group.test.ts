import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../src/scan.js';
import type { Report } from '../src/report.js';
import { brownTexts, newsSlice } from './helpers/text.js';
import { wordSimilarity } from './helpers/similarity.js';

const words = brownTexts(2).join(' ').split(/\s+/).filter((w) => /^[A-Za-z]+$/.test(w));

/** Real text no one here wrote: the license and readme files of the installed dev dependencies. */
function packageTexts(): { id: string; text: string }[] {
  const root = new URL('../node_modules/', import.meta.url).pathname, out: { id: string; text: string }[] = [];
  for (const pkg of readdirSync(root).sort()) {
    for (const name of ['LICENSE', 'LICENSE.md', 'license', 'README.md']) {
      const p = join(root, pkg, name);
      if (existsSync(p)) out.push({ id: `${pkg}/${name}`, text: readFileSync(p, 'utf8') });
    }
  }
  return out;
}

/** Every copy and occurrence against its representative, by the independent word LCS. */
function checkRepresentatives(report: Report, docs: { id: string; text: string }[], theta: number): number {
  const text = new Map(docs.map((d) => [d.id, d.text]));
  let checked = 0;
  for (const r of report.repeats) {
    const rep = r.copies[r.representative]!, t = text.get(r.doc)!;
    for (const c of r.copies) { expect(wordSimilarity(t.slice(c.start, c.end), t.slice(rep.start, rep.end))).toBeGreaterThanOrEqual(theta); checked++; }
  }
  for (const p of report.passages) {
    const rep = p.occurrences[p.representative]!;
    expect(rep.similarity).toBe(1);
    expect(new Set(p.occurrences.map((o) => o.doc)).size).toBe(p.documents);
    expect(p.documents).toBeGreaterThanOrEqual(2);
    for (const o of p.occurrences) {
      expect(wordSimilarity(text.get(o.doc)!.slice(o.start, o.end), text.get(rep.doc)!.slice(rep.start, rep.end))).toBeGreaterThanOrEqual(theta);
      checked++;
    }
  }
  return checked;
}

describe('grouping around a representative', () => {
  it('does not chain rows R1 ~ R2 ~ ... ~ R10 into one group when R1 and R10 are unrelated', async () => {
    // each row changes 5 more words of 100 (every 20th, from another place each time)
    const rows: string[][] = [words.slice(0, 100)];
    for (let i = 1; i < 10; i++) rows.push(rows[i - 1]!.map((w, k) => (k % 20 === (i * 9) % 20 ? `row${i}word${k}` : w)));
    expect(wordSimilarity(rows[0]!.join(' '), rows[1]!.join(' '))).toBe(0.95);
    expect(wordSimilarity(rows[0]!.join(' '), rows[9]!.join(' '))).toBe(0.55);
    const docs = rows.map((r, i) => ({ id: `r${i + 1}`, text: `${words.slice(200 + 40 * i, 230 + 40 * i).join(' ')}. ${r.join(' ')}.` }));
    const report = await scan(docs, { nearDuplicates: false });
    expect(report.passages.length).toBeGreaterThan(1);
    for (const p of report.passages) {
      const ids = p.occurrences.map((o) => o.doc);
      expect(ids.includes('r1') && ids.includes('r10')).toBe(false);
    }
    expect(checkRepresentatives(report, docs, 0.8)).toBeGreaterThan(10);
  });

  it('keeps an article with its footer and the footer alone as two groups, each whole', async () => {
    const article = words.slice(0, 150).join(' '), footer = words.slice(300, 340).join(' ');
    const docs = [
      { id: 'a', text: `${article}\n${footer}` },
      { id: 'b', text: `${article}\n${footer}` },
      { id: 'c', text: `${words.slice(400, 500).join(' ')}\n${footer}` },
      { id: 'd', text: `${words.slice(600, 700).join(' ')}\n${footer}` },
    ];
    const report = await scan(docs, { nearDuplicates: false });
    const spans = report.passages.map((p) => p.occurrences.map((o) => `${o.doc}:${o.end - o.start}`).sort());
    const whole = article.length + 1 + footer.length;
    expect(spans).toContainEqual([`a:${whole}`, `b:${whole}`]);
    expect(spans.some((s) => s.includes(`c:${footer.length}`) && s.includes(`d:${footer.length}`))).toBe(true);
  });

  it('puts every occurrence at least passageSimilarity from its representative (checked independently)', async () => {
    const news = newsSlice(), pkgs = packageTexts();
    expect(checkRepresentatives(await scan(news), news, 0.8)).toBeGreaterThan(100);
    expect(checkRepresentatives(await scan(pkgs), pkgs, 0.8)).toBeGreaterThan(20);
  });

  it("gives a document the same repeats whether it is scanned alone or after others (real text)", async () => {
    const pkgs = packageTexts();
    // each package text printed twice in a row, so every one repeats, plus what repeats inside it
    const doubled = pkgs.map((d) => ({ id: d.id, text: `${d.text}\n\n${d.text}` }));
    const together = await scan(doubled, { nearDuplicates: false });
    let checked = 0;
    for (const d of doubled.slice(0, 40)) {
      const alone = await scan([d], { nearDuplicates: false });
      const strip = (r: Report) => r.repeats.filter((x) => x.doc === d.id).map(({ id, ...rest }) => rest);
      expect(strip(together)).toEqual(strip(alone));
      checked += strip(alone).length;
    }
    expect(checked).toBeGreaterThanOrEqual(40);
    // and each doubled text comes back as one repeat of its two whole copies
    const whole = doubled.slice(0, 40).filter((d) => together.repeats.some((r) => r.doc === d.id && r.copies.length === 2 && r.copies[1]!.start > d.text.length / 2 - 2 && r.copies[0]!.end - r.copies[0]!.start > 0.9 * (d.text.length / 2)));
    expect(whole.length).toBeGreaterThanOrEqual(35);
  });
});
