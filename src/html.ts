/**
 * The HTML report: one self-contained offline page (inline CSS and script, no network) that stays
 * small at any corpus size. A summary first; then sections for repeats, shared passages (a table
 * that sorts and filters), near-duplicate pairs and clusters. Every copy and occurrence has its
 * document, line and offsets; documents appear only as excerpts around their representatives and
 * first copies, never whole.
 */
import { excerpt, lineLocator, n, plural } from './format.js';
import type { Report } from './report.js';

export interface HtmlOptions {
  /** An SVG chart of passages by documents (`passageChart`), shown when given. */
  chart?: string | undefined;
  /** Occurrences of a group shown with an excerpt; the others are listed by place only. */
  excerpts?: number;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
/** A document id, cut to `max` characters with the whole id as a tooltip. */
const docName = (id: string, max = 60) => `<span class="doc" title="${esc(id)}">${esc(id.length > max ? `…${id.slice(-(max - 1))}` : id)}</span>`;

/** Characters of context shown on each side of a copy, and of the copy itself at most. */
const CONTEXT = 80, BODY = 320;

export function formatHtml(report: Report, texts: Map<string, string>, o: HtmlOptions = {}): string {
  const shown = o.excerpts ?? 3;
  const lineOf = lineLocator(texts);
  const place = (doc: string, x: { start: number; end: number }) => {
    const line = lineOf(doc, x.start);
    return `${docName(doc)}${line === undefined ? '' : `<span class="line">:${n(line)}</span>`} <span class="off">[${n(x.start)}, ${n(x.end)})</span>`;
  };
  /** An excerpt: context, the copy (cut in the middle when long), context; its ends are marked. */
  const snippet = (doc: string, x: { start: number; end: number }) => {
    const text = texts.get(doc);
    if (text === undefined) return '';
    const before = text.slice(Math.max(0, x.start - CONTEXT), x.start), after = text.slice(x.end, x.end + CONTEXT);
    const body = x.end - x.start <= BODY ? esc(text.slice(x.start, x.end)) : `${esc(text.slice(x.start, x.start + BODY / 2))}<span class="cut"> … ${n(x.end - x.start - BODY)} characters … </span>${esc(text.slice(x.end - BODY / 2, x.end))}`;
    return `<div class="ex">${x.start > CONTEXT ? '…' : ''}${esc(before)}<mark>${body}</mark>${esc(after)}${x.end + CONTEXT < text.length ? '…' : ''}</div>`;
  };
  /** One group's copies or occurrences: a list, with excerpts for the representative and the first few. */
  const members = (key: string, list: { doc: string; start: number; end: number; similarity: number }[], rep: number) => {
    const items = list.map((x, k) => {
      const withText = k === rep || k < shown;
      return `<li id="${key}-${k}"${k === rep ? ' class="rep"' : ''}>${place(x.doc, x)} <span class="sim">${k === rep ? 'representative' : `similarity ${x.similarity.toFixed(2)}`}</span>${withText ? snippet(x.doc, x) : ''}</li>`;
    });
    return `<ol class="members">${items.join('')}</ol>`;
  };
  const t = report.totals;

  const repeats = report.repeats.map((r) => {
    const key = `r${r.id}`, copies = r.copies.map((c) => ({ doc: r.doc, ...c }));
    const links = copies.map((c, k) => `<a href="#${key}-${k}">${n(c.start)}</a>`).join(' ');
    return `<details id="${key}"><summary><b>R${r.id}</b> ${docName(r.doc)}: ${plural(r.copies.length, 'copy', 'copies')} of ${plural(r.words, 'word')}, similarity ${r.similarity.toFixed(2)} <span class="links">${links}</span></summary>${members(key, copies, r.representative)}</details>`;
  }).join('\n');

  const passages = report.passages.map((p) => {
    const key = `p${p.id}`, rep = p.occurrences[p.representative]!, text = texts.get(rep.doc);
    const where = [...new Set(p.occurrences.map((x) => x.doc))].join(' ');
    return `<tr data-documents="${p.documents}" data-occurrences="${p.occurrences.length}" data-words="${p.words}" data-similarity="${p.similarity}" data-id="${p.id}" data-where="${esc(where.toLowerCase())}">` +
      `<td><a href="#${key}">#${p.id}</a></td><td>${n(p.documents)}</td><td>${n(p.occurrences.length)}</td><td>${n(p.words)}</td><td>${p.similarity.toFixed(2)}</td>` +
      `<td class="text">${text === undefined ? '' : esc(excerpt(text, rep.start, rep.end, 90))}</td></tr>`;
  }).join('\n');
  const passageDetails = report.passages.map((p) => `<details id="p${p.id}"><summary><b>#${p.id}</b>: ${plural(p.words, 'word')} in ${plural(p.documents, 'document')}, ${plural(p.occurrences.length, 'occurrence')}, similarity ${p.similarity.toFixed(2)}</summary>${members(`p${p.id}`, p.occurrences, p.representative)}</details>`).join('\n');

  const pairs = report.nearDuplicates.map((d) => `<tr><td>${docName(d.a)}</td><td>${docName(d.b)}</td><td>${d.similarity.toFixed(2)}</td></tr>`).join('\n');
  const clusters = report.clusters.map((c, i) => `<li>#${i + 1}: ${plural(c.docs.length, 'document')}: ${c.docs.slice(0, 50).map((d) => docName(d, 40)).join(', ')}${c.docs.length > 50 ? `, … and ${n(c.docs.length - 50)} more` : ''}</li>`).join('\n');

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>reprint report: ${plural(t.repeats, 'repeat')} and ${plural(t.passages, 'shared passage')} in ${plural(t.documents, 'document')}</title>
<style>
*{box-sizing:border-box}body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 1.5rem;color:#222;overflow-wrap:anywhere}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
nav a{margin-right:1rem}.totals{color:#444}
table{border-collapse:collapse;width:100%;table-layout:fixed;font-size:.9rem}td,th{border-bottom:1px solid #eee;padding:.25rem .4rem;text-align:left;vertical-align:top;overflow:hidden}
th{cursor:pointer;user-select:none;background:#f6f6f6}th.num,td:nth-child(-n+5){width:7rem}#passages td.text{width:auto}
#passages th:nth-child(1),#passages td:nth-child(1){width:4.5rem}
.filters{margin:.5rem 0;display:flex;gap:1rem;flex-wrap:wrap}.filters input{width:8rem}
details{border-bottom:1px solid #eee;padding:.2rem 0}summary{cursor:pointer}.links a{margin-left:.3rem;font-size:.85rem}
ol.members{margin:.3rem 0 .6rem;padding-left:1.6rem}ol.members li{margin:.2rem 0;scroll-margin-top:3rem}ol.members li:target{outline:2px solid #e0a800}
.doc{font-family:ui-monospace,monospace;font-size:.85rem}.line,.off,.sim{color:#666;font-size:.85rem}li.rep .sim{color:#0a5}
.ex{white-space:pre-wrap;background:#fafafa;border:1px solid #eee;border-radius:4px;padding:.4rem;margin:.2rem 0;font-size:.9rem;max-height:16rem;overflow:auto}
mark{background:#fde68a;border-left:3px solid #b45309;border-right:3px solid #b45309;padding:0 1px}.cut{color:#888;font-style:italic}
.chart svg{max-width:100%;height:auto}
</style></head><body>
<h1>reprint report</h1>
<p class="totals" id="totals">${plural(t.documents, 'document')}, ${plural(t.chars, 'character')}: ${plural(t.repeats, 'repeat')} inside documents (${plural(t.copies, 'copy', 'copies')}), ${plural(t.passages, 'passage')} shared across documents (${plural(t.occurrences, 'occurrence')}), ${plural(t.repeatedChars, 'repeated character')}, ${plural(t.nearDuplicates, 'near-duplicate pair')} in ${plural(t.clusters, 'cluster')}.<br>Options: threshold ${report.options.threshold}, minWords ${report.options.minWords}, passageSimilarity ${report.options.passageSimilarity}, shingle ${report.options.shingleSize}, numPerm ${report.options.numPerm}, seed ${report.options.seed}, foldDigits ${report.options.foldDigits}.</p>
<nav><a href="#repeats">Repeats (${n(t.repeats)})</a><a href="#passages">Shared passages (${n(t.passages)})</a><a href="#pairs">Near-duplicates (${n(t.nearDuplicates)})</a><a href="#clusters">Clusters (${n(t.clusters)})</a></nav>
<h2>Where the repetition is</h2>
<div class="chart" id="chart">${o.chart ?? '<p>(The chart needs the optional packages vega and vega-lite.)</p>'}</div>
<h2 id="repeats">Repeats inside documents</h2>
${repeats || '<p>None.</p>'}
<h2 id="passages">Passages shared across documents</h2>
${report.passages.length ? `<div class="filters"><label>documents &ge; <input type="number" id="f-docs" min="2" value="2"></label><label>words &ge; <input type="number" id="f-words" min="1" value="1"></label><label>similarity &ge; <input type="number" id="f-sim" min="0" max="1" step="0.05" value="0"></label><label>document <input type="search" id="f-doc" placeholder="id contains"></label></div>
<table id="passage-table"><thead><tr><th data-key="id">passage</th><th data-key="documents">documents</th><th data-key="occurrences">occurrences</th><th data-key="words">words</th><th data-key="similarity">similarity</th><th>representative</th></tr></thead><tbody>
${passages}
</tbody></table>
${passageDetails}` : '<p>None.</p>'}
<h2 id="pairs">Near-duplicate pairs</h2>
${report.nearDuplicates.length ? `<table><thead><tr><th>earlier</th><th>later</th><th>Jaccard</th></tr></thead><tbody>\n${pairs}\n</tbody></table>` : '<p>None.</p>'}
<h2 id="clusters">Near-duplicate clusters</h2>
${report.clusters.length ? `<ul>${clusters}</ul>` : '<p>None.</p>'}
<script>
// open a group when one of its copies is the target, so a click on a link scrolls to it
function reveal() { const el = location.hash && document.getElementById(location.hash.slice(1)); if (!el) return; const d = el.closest('details'); if (d) d.open = true; el.scrollIntoView(); }
addEventListener('hashchange', reveal); reveal();
const table = document.getElementById('passage-table');
if (table) {
  const body = table.tBodies[0], rows = [...body.rows];
  let key = 'documents', down = true;
  const val = (r, k) => Number(r.dataset[k]);
  const sort = () => { rows.sort((a, b) => (down ? val(b, key) - val(a, key) : val(a, key) - val(b, key)) || val(a, 'id') - val(b, 'id')); body.append(...rows); };
  for (const th of table.tHead.rows[0].cells) if (th.dataset.key) th.addEventListener('click', () => { down = key === th.dataset.key ? !down : true; key = th.dataset.key; sort(); });
  const num = (id) => Number(document.getElementById(id).value) || 0;
  const filter = () => { const q = document.getElementById('f-doc').value.toLowerCase(); for (const r of rows) r.hidden = val(r, 'documents') < num('f-docs') || val(r, 'words') < num('f-words') || val(r, 'similarity') < num('f-sim') || (q !== '' && !r.dataset.where.includes(q)); };
  for (const id of ['f-docs', 'f-words', 'f-sim', 'f-doc']) document.getElementById(id).addEventListener('input', filter);
}
</script>
</body></html>
`;
}
