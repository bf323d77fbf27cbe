/**
 * The HTML report's chart: passages by the number of documents they appear in, drawn by vega-lite
 * (the benchmark's charting library) as an inline SVG. vega and vega-lite are optional peers: where
 * they are not installed the report says so instead of drawing.
 */
import type { Report } from './report.js';

/** An SVG of passages by the number of documents they appear in, or undefined without vega. */
export async function passageChart(report: Report): Promise<string | undefined> {
  let vega: typeof import('vega'), vl: typeof import('vega-lite');
  try {
    vega = await import('vega');
    vl = await import('vega-lite');
  } catch {
    return undefined;
  }
  // bins of documents: 2, 3, 4-5, 6-10, 11-100, 101+ (boilerplate lives at the right)
  const bins = [[2, 2], [3, 3], [4, 5], [6, 10], [11, 100], [101, Infinity]] as const;
  const label = ([lo, hi]: readonly [number, number]) => (hi === Infinity ? `${lo}+` : lo === hi ? `${lo}` : `${lo}-${hi}`);
  const values = bins.map((b) => ({
    documents: label(b),
    passages: report.passages.filter((p) => p.documents >= b[0] && p.documents <= b[1]).length,
  }));
  const spec = vl.compile({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 420, height: 160,
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'documents', type: 'ordinal', sort: null, title: 'documents a passage is in' },
      y: { field: 'passages', type: 'quantitative', title: 'passages', axis: { tickMinStep: 1, format: 'd' } },
    },
    config: { font: 'sans-serif' },
  }).spec;
  return new vega.View(vega.parse(spec), { renderer: 'none' }).toSVG();
}
