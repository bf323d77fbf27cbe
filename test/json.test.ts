import { describe, expect, it } from 'vitest';
import { JsonWriter } from '../src/json.js';
import { scan } from '../src/scan.js';
import { newsSlice } from './helpers/text.js';

const written = (v: unknown, size?: number): string => {
  const w = new JsonWriter(size);
  w.value(v, 0);
  return new TextDecoder().decode(w.take());
};

describe('JsonWriter', () => {
  it('writes values byte for byte as JSON.stringify(value, null, 2)', () => {
    const values: unknown[] = [
      0, -0, 7, -12, 2147483647, -2147483647, 2147483648, -2147483648, 2 ** 53, 1e21, 1.5e-7, 0.1 + 0.2, 0.9523, -3.25, NaN, Infinity, -Infinity,
      '', 'plain', 'quote " backslash \\ slash /', 'tab\tnewline\ncontrol\u0001\u001f del\u007f', 'ünïcödé €𝄞', 'lone \ud800 surrogate \udc00', '\u2028\u2029',
      true, false, null, [], {}, [[]], [{}], { a: [] }, [1, [2, [3, []]]],
      { a: 1, b: undefined, c: () => 1, d: [undefined, () => 1, null], 'key "quoted"': 'v', 'ключ': { nested: { deeper: [1, 'two', { three: 3 }] } } },
      Object.assign(Object.create({ inherited: 1 }) as object, { own: 2 }),
    ];
    for (const v of values) expect(written(v)).toBe(JSON.stringify(v, null, 2));
    expect(written(values)).toBe(JSON.stringify(values, null, 2));
  });

  it('grows its buffer for values larger than it, and starts again after take', () => {
    const big = { text: 'x'.repeat(5000), list: Array.from({ length: 1000 }, (_, i) => ({ i, s: `é${i}` })) };
    expect(written(big, 16)).toBe(JSON.stringify(big, null, 2));
    const w = new JsonWriter(16);
    w.value([1, 2], 0);
    expect(new TextDecoder().decode(w.take())).toBe('[\n  1,\n  2\n]');
    expect(w.size).toBe(0);
    w.value({ a: 'b' }, 1);
    expect(new TextDecoder().decode(w.take())).toBe('{\n    "a": "b"\n  }');
  });

  it('writes a real report as JSON.stringify does', async () => {
    const report = await scan(newsSlice(), { alignments: true });
    expect(report.passages.length).toBeGreaterThan(10);
    expect(written(report)).toBe(JSON.stringify(report, null, 2));
  });
});
