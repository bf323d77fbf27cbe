// Word-level similarity computed independently of the engine, for checking its groups: words are
// lower-cased Unicode letter and number runs, and the similarity of two texts is the length of
// their longest common subsequence of words (Myers' O(ND) diff) over the longer one's words.

export function wordsOf(text: string): string[] {
  return [...text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)].map((m) => m[0]);
}

/** Length of the longest common subsequence of a and b (Myers 1986, greedy forward pass). */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  const n = a.length, m = b.length, max = n + m;
  const v = new Int32Array(2 * max + 2);
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[max + k - 1]! < v[max + k + 1]!) ? v[max + k + 1]! : v[max + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) { x++; y++; }
      v[max + k] = x;
      if (x >= n && y >= m) return (n + m - d) / 2;
    }
  }
  return 0;
}

export function wordSimilarity(x: string, y: string): number {
  const a = wordsOf(x), b = wordsOf(y);
  return Math.max(a.length, b.length) === 0 ? 1 : lcsLength(a, b) / Math.max(a.length, b.length);
}
