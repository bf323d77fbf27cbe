/**
 * The HTML report: one self-contained offline page (inline CSS, a few lines of inline script, no
 * network). Each document is shown with its repeats and shared passages highlighted; a highlight
 * links to the next copy or occurrence of the same group, the repeats are listed by document, the
 * boilerplate ranking lists passages by the number of documents they appear in, and the clusters
 * list near-duplicate documents.
 */
import { excerpt } from './format.js';
import type { Report } from './report.js';

const n = (x: number) => x.toLocaleString('en-US');
const plural = (k: number, word: string, many = `${word}s`) => `${n(k)} ${k === 1 ? word : many}`;
const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** Most documents rendered with their text (the ranking and clusters always list everything). */
const MAX_DOCS = 1000;

export function formatHtml(report: Report, texts: Map<string, string>): string {
  const docIndex = new Map(report.documents.map((d, i) => [d.id, i]));
  // groups: repeats as "r<id>", passages as "p<id>"; per document, their spans as [start, end, group, k]
  const byDoc = new Map<string, [number, number, string, number][]>();
  const count = new Map<string, number>();
  const mark = (doc: string, x: { start: number; end: number }, key: string, k: number) => {
    let list = byDoc.get(doc);
    if (!list) { list = []; byDoc.set(doc, list); }
    list.push([x.start, x.end, key, k]);
  };
  for (const r of report.repeats) { r.copies.forEach((c, k) => mark(r.doc, c, `r${r.id}`, k)); count.set(`r${r.id}`, r.copies.length); }
  for (const p of report.passages) { p.occurrences.forEach((o, k) => mark(o.doc, o, `p${p.id}`, k)); count.set(`p${p.id}`, p.occurrences.length); }
  const hue = (key: string) => ((Number(key.slice(1)) * 2 + (key[0] === 'r' ? 1 : 0)) * 137.508) % 360;
  const label = (key: string) => (key[0] === 'r' ? `repeat R${key.slice(1)}` : `passage #${key.slice(1)}`);
  const docs: string[] = [];
  for (const [doc, occ] of [...byDoc].slice(0, MAX_DOCS)) {
    const text = texts.get(doc);
    if (text === undefined) continue;
    const cuts = new Set<number>([0, text.length]);
    for (const [s, e] of occ) { cuts.add(s); cuts.add(e); }
    const points = [...cuts].sort((a, b) => a - b);
    const anchors = new Map<number, string[]>();
    for (const [s, , p, k] of occ) { const list = anchors.get(s) ?? []; list.push(`occ-${p}-${k}`); anchors.set(s, list); }
    let html = '';
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i]!, b = points[i + 1]!;
      for (const id of anchors.get(a) ?? []) html += `<span class="anchor" id="${id}"></span>`;
      // the innermost span covering this piece owns it (the one that started last)
      let owner: [number, number, string, number] | undefined;
      for (const o of occ) if (o[0] <= a && o[1] >= b && (!owner || o[0] > owner[0] || (o[0] === owner[0] && o[1] < owner[1]))) owner = o;
      const piece = esc(text.slice(a, b));
      if (!owner) { html += piece; continue; }
      const [, , p, k] = owner;
      const n = count.get(p)!;
      html += `<a class="rep" data-p="${p}" style="--h:${hue(p)}" href="#occ-${p}-${(k + 1) % n}" title="${label(p)}: ${k + 1} of ${n}; click for the next">${piece}</a>`;
    }
    docs.push(`<article id="doc-${docIndex.get(doc)}"><h3>${esc(doc)}</h3><div class="text">${html}</div></article>`);
  }
  const t = report.totals;
  const excerptOf = (doc: string, x: { start: number; end: number }) => { const text = texts.get(doc); return text === undefined ? '' : esc(excerpt(text, x.start, x.end, 80)); };
  const repeats = report.repeats.map((r) => {
    const key = `r${r.id}`, links = r.copies.slice(0, 12).map((c, k) => `<a href="#occ-${key}-${k}">[${c.start}, ${c.end})</a>`).join(', ');
    return `<tr><td><span class="sw" style="--h:${hue(key)}"></span>R${r.id}</td><td>${esc(r.doc)}</td><td>${r.copies.length}</td><td>${r.words}</td><td>${r.similarity.toFixed(2)}</td><td>${excerptOf(r.doc, r.copies[r.representative]!)}</td><td>${links}${r.copies.length > 12 ? ' …' : ''}</td></tr>`;
  }).join('\n');
  const ranking = report.passages.map((p) => {
    const key = `p${p.id}`, rep = p.occurrences[p.representative]!;
    const links = p.occurrences.slice(0, 12).map((o, k) => `<a href="#occ-${key}-${k}">${esc(o.doc)}</a>`).join(', ');
    return `<tr><td><span class="sw" style="--h:${hue(key)}"></span>#${p.id}</td><td>${p.documents}</td><td>${p.occurrences.length}</td><td>${p.words}</td><td>${p.similarity.toFixed(2)}</td><td>${excerptOf(rep.doc, rep)}</td><td>${links}${p.occurrences.length > 12 ? ' …' : ''}</td></tr>`;
  }).join('\n');
  const clusters = report.clusters.map((c, i) => `<li>#${i + 1}: ${c.docs.map((d) => (byDoc.has(d) ? `<a href="#doc-${docIndex.get(d)}">${esc(d)}</a>` : esc(d))).join(', ')}</li>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>reprint report: ${plural(t.repeats, 'repeat')} and ${plural(t.passages, 'shared passage')} in ${plural(t.documents, 'document')}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 2rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}h3{font-size:1rem;margin:1.5rem 0 .3rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border-bottom:1px solid #eee;padding:.25rem .4rem;text-align:left;vertical-align:top}
.text{white-space:pre-wrap;background:#fafafa;border:1px solid #eee;padding:.6rem;border-radius:4px}
a.rep{background:hsl(var(--h) 80% 85%);color:inherit;text-decoration:none;border-bottom:2px solid hsl(var(--h) 60% 45%)}
a.rep:hover,a.rep.hl{background:hsl(var(--h) 80% 70%)}
.sw{display:inline-block;width:.8em;height:.8em;margin-right:.3em;background:hsl(var(--h) 80% 70%)}
.anchor{scroll-margin-top:4rem}.anchor:target+a.rep{outline:3px solid hsl(var(--h) 60% 45%)}
.totals{color:#555}
</style></head><body>
<h1>reprint report</h1>
<p class="totals" id="totals">${plural(t.documents, 'document')}, ${plural(t.chars, 'character')}: ${plural(t.repeats, 'repeat')} inside documents (${plural(t.copies, 'copy', 'copies')}), ${plural(t.passages, 'passage')} shared across documents (${plural(t.occurrences, 'occurrence')}), ${plural(t.nearDuplicates, 'near-duplicate pair')} in ${plural(t.clusters, 'cluster')}. Options: threshold ${report.options.threshold}, minWords ${report.options.minWords}, shingle ${report.options.shingleSize}, numPerm ${report.options.numPerm}, seed ${report.options.seed}.</p>
<h2 id="repeats">Repeats inside documents</h2>
${report.repeats.length ? `<table><thead><tr><th>repeat</th><th>document</th><th>copies</th><th>words</th><th>similarity</th><th>excerpt</th><th>where</th></tr></thead><tbody>\n${repeats}\n</tbody></table>` : '<p>None.</p>'}
<h2 id="ranking">Passages shared across documents, most widespread first</h2>
${report.passages.length ? `<table><thead><tr><th>passage</th><th>documents</th><th>occurrences</th><th>words</th><th>similarity</th><th>excerpt</th><th>where</th></tr></thead><tbody>\n${ranking}\n</tbody></table>` : '<p>None.</p>'}
<h2 id="clusters">Near-duplicate clusters</h2>
${report.clusters.length ? `<ul>${clusters}</ul>` : '<p>None.</p>'}
<h2 id="documents">Documents with repeats or shared passages</h2>
${docs.join('\n') || '<p>None.</p>'}
${byDoc.size > MAX_DOCS ? `<p>… and ${byDoc.size - MAX_DOCS} more documents (see the JSON report).</p>` : ''}
<script>
for (const a of document.querySelectorAll('a.rep')) {
  const same = () => document.querySelectorAll('a.rep[data-p="' + a.dataset.p + '"]');
  a.addEventListener('mouseenter', () => same().forEach((x) => x.classList.add('hl')));
  a.addEventListener('mouseleave', () => same().forEach((x) => x.classList.remove('hl')));
}
</script>
</body></html>
`;
}
