/** Near-duplicate clusters: union-find over verified pairs. */

export class UnionFind {
  private parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) { p[x] = p[p[x]!]!; x = p[x]!; }
    return x;
  }
  /** Unite two sets; the smaller root index stays root (deterministic). */
  union(a: number, b: number): number {
    const ra = this.find(a), rb = this.find(b);
    if (ra === rb) return ra;
    if (ra < rb) { this.parent[rb] = ra; return ra; }
    this.parent[ra] = rb;
    return rb;
  }
}

/** Connected components of pairs over n items, each sorted, components ordered by first item; singletons left out. */
export function components(n: number, pairs: Iterable<readonly [number, number]>): number[][] {
  const uf = new UnionFind(n);
  const paired = new Uint8Array(n);
  for (const [a, b] of pairs) { uf.union(a, b); paired[a] = 1; paired[b] = 1; }
  // only items in some pair can be in a component of two or more
  const byRoot = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    if (!paired[i]) continue;
    const r = uf.find(i);
    let list = byRoot.get(r);
    if (!list) { list = []; byRoot.set(r, list); }
    list.push(i);
  }
  return [...byRoot.values()].filter((c) => c.length > 1).sort((x, y) => x[0]! - y[0]!);
}
