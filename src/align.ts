/**
 * Seed-and-extend alignment of two token sequences (a document against an earlier one, or against
 * itself). Seed hits are verified and extended into exact runs; runs on nearby diagonals are
 * chained across small edits (gaps scored by LCS). A chain whose similarity falls under
 * passageSimilarity is not dropped: it is split into its maximal sub-chains that pass (Ruzzo and
 * Tompa's maximal scoring segments), so no exact run of minWords words is ever lost.
 */
import { rollingHashes } from './hash.js';
import type { Edge } from './edges.js';
import type { TokenHashes } from './tokens.js';

export interface AlignOptions {
  minWords: number;
  seedWords: number;
  maxGap: number;
  passageSimilarity: number;
}

// two rows of the LCS table, reused
let lcsRows = new Int32Array(256);

/** Length of the longest common subsequence of a[a0, a1) and b[b0, b1) (small gaps only). */
function lcs(a: Uint32Array, a0: number, a1: number, b: Uint32Array, b0: number, b1: number): number {
  const m = a1 - a0, n = b1 - b0;
  if (m <= 0 || n <= 0) return 0;
  if (lcsRows.length < 2 * (n + 1)) lcsRows = new Int32Array(4 * (n + 1));
  let prev = lcsRows.subarray(0, n + 1).fill(0), cur = lcsRows.subarray(n + 1, 2 * (n + 1)).fill(0);
  for (let i = 1; i <= m; i++) {
    const x = a[a0 + i - 1]!;
    for (let j = 1; j <= n; j++) {
      cur[j] = x === b[b0 + j - 1]! ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    }
    const t = prev; prev = cur; cur = t;
  }
  return prev[n]!;
}

/**
 * Maximal scoring segments of a score sequence (Ruzzo and Tompa 1999), in order: pairs
 * [first, last] (inclusive) of disjoint segments whose sums are positive and cannot be extended
 * without lowering them. Linear in the length.
 */
export function maximalSegments(scores: ArrayLike<number>): [number, number][] {
  // candidate segments: first, last, cumulative sum before first (L) and at last (R)
  const first: number[] = [], last: number[] = [], L: number[] = [], R: number[] = [];
  let cum = 0;
  for (let k = 0; k < scores.length; k++) {
    const s = scores[k]!;
    if (s > 0) {
      let f = k, l0 = cum;
      const r0 = cum + s;
      for (;;) {
        // the rightmost candidate whose L is below this one's
        let j = L.length - 1;
        while (j >= 0 && L[j]! >= l0) j--;
        if (j < 0 || R[j]! >= r0) break;
        // it ends below this one: extend this one back over it and drop everything after it
        f = first[j]!; l0 = L[j]!;
        first.length = j; last.length = j; L.length = j; R.length = j;
      }
      first.push(f); last.push(k); L.push(l0); R.push(r0);
    }
    cum += s;
  }
  return first.map((f, i) => [f, last[i]!]);
}

/**
 * Collects exact runs between two token sequences from seed hits and turns them into edges.
 * For a document against itself, A and B are the same and every hit has i > j (a is the later copy).
 */
export class Aligner {
  // runs found so far: flattened (aPos, bPos, len)
  private runs: number[] = [];
  // diagonal -> end (in a) of the last run found on it: the latest diagonal in lastD/lastEnd
  // (hits along one shared passage stay on it), the others in a map made when needed
  private lastD = 0;
  private lastEnd = -1;
  private covered: Map<number, number> | undefined;

  // self alignment: furthest end (in a) of any run; hits before it are inside a repeat already found
  private reach = 0;

  constructor(private readonly A: TokenHashes, private readonly B: TokenHashes, private readonly o: AlignOptions) {}

  /** A seed of seedWords tokens matches at a[i] and b[j]: verify and extend it into a run, unless a run already covers it. */
  hit(i: number, j: number): void {
    const self = this.A === this.B;
    // inside one document every later hit of a seed points at its first position, a new diagonal
    // each time in "the the the ...": without this skip that would be quadratic
    if (self && i < this.reach) return;
    const d = i - j;
    const end = d === this.lastD ? this.lastEnd : this.covered?.get(d);
    if (end !== undefined && i < end) return;
    const A = this.A.hashes, B = this.B.hashes, k = this.o.seedWords;
    const na = this.A.n, nb = this.B.n;
    if (i + k > na || j + k > nb) return;
    for (let t = 0; t < k; t++) if (A[i + t] !== B[j + t]) return;
    let s = 0;
    while (i - s > 0 && j - s > 0 && A[i - s - 1] === B[j - s - 1]) s++;
    let e = k;
    while (i + e < na && j + e < nb && A[i + e] === B[j + e]) e++;
    this.runs.push(i - s, j - s, s + e);
    if (d !== this.lastD && this.lastEnd >= 0) (this.covered ??= new Map()).set(this.lastD, this.lastEnd);
    this.lastD = d;
    this.lastEnd = i + e;
    if (self && i + e > this.reach) this.reach = i + e;
  }

  /** The runs' numbers in a order, then b order. */
  private order(): number[] {
    const R = this.runs;
    return Array.from({ length: R.length / 3 }, (_, r) => r).sort((x, y) => R[3 * x]! - R[3 * y]! || R[3 * x + 1]! - R[3 * y + 1]!);
  }

  /** Chains of runs in a order (each flat run triples), linked across gaps of at most maxGap words on both sides. */
  private chains(): number[][] {
    const R = this.runs, order = this.order();
    const gap = this.o.maxGap, self = this.A === this.B;
    // chains, ordered by the end of their last run in a
    const chains: number[][] = [];
    for (const r of order) {
      let ra = R[3 * r]!, rb = R[3 * r + 1]!, len = R[3 * r + 2]!;
      let best = -1, bestCost = Infinity, redundant = false;
      for (let c = chains.length - 1; c >= 0; c--) {
        const ch = chains[c]!;
        const la = ch[ch.length - 3]!, lb = ch[ch.length - 2]!, ll = ch[ch.length - 1]!;
        const ea = la + ll, eb = lb + ll;
        // chains are ordered by end: once one ends too far back, all earlier ones do
        if (ea + gap < ra) break;
        // only a run on the chain's own diagonal, inside its last run, adds nothing; a run that a
        // chain on another diagonal overlaps is another alignment (a doubled body against one copy)
        if (la - lb === ra - rb && ra + len <= ea) { redundant = true; break; }
        const over = Math.max(0, ea - ra, eb - rb);
        if (over >= len) continue;
        const cost = Math.max(ra + over - ea, rb + over - eb);
        if (cost > gap) continue;
        // inside one document, a later copy may not reach back into its earlier copy across
        // diagonals (only a periodic run, on one diagonal, overlaps itself)
        if (self && ch[0]! < rb + len) continue;
        if (cost < bestCost) { bestCost = cost; best = c; }
      }
      if (redundant) continue;
      let ch: number[];
      if (best >= 0) {
        ch = chains[best]!;
        const la = ch[ch.length - 3]!, lb = ch[ch.length - 2]!, ll = ch[ch.length - 1]!;
        const over = Math.max(0, la + ll - ra, lb + ll - rb);
        ra += over; rb += over; len -= over;
        ch.push(ra, rb, len);
        chains.splice(best, 1);
      } else ch = [ra, rb, len];
      // keep chains ordered by their end so the scan above can stop early
      let p = chains.length;
      while (p > 0) { const q = chains[p - 1]!; if (q[q.length - 3]! + q[q.length - 1]! <= ra + len) break; p--; }
      chains.splice(p, 0, ch);
    }
    return chains;
  }

  /** Chain the runs into passages: every chain that passes minWords and passageSimilarity, and the passing parts of those that fail. */
  edges(a: number, b: number): Edge[] {
    const R = this.runs;
    if (R.length === 0) return [];
    if (R.length === 3) {
      // one exact run: no chaining, similarity 1
      const [ra, rb, len] = R as [number, number, number];
      return len < this.o.minWords ? [] : [{ a, aStart: ra, aEnd: ra + len, b, bStart: rb, bEnd: rb + len, similarity: 1, runs: Int32Array.of(ra, rb, len) }];
    }
    const out: Edge[] = [];
    for (const ch of this.chains()) this.emit(ch, a, b, out);
    return out;
  }

  /** Edges of one chain: the whole chain if it passes, else its maximal passing sub-chains. */
  private emit(ch: number[], a: number, b: number, out: Edge[]): void {
    const A = this.A.hashes, B = this.B.hashes, m = ch.length / 3, theta = this.o.passageSimilarity, min = this.o.minWords;
    // matched words in the gap before run t (t >= 1): the LCS of the two gaps
    const gapLcs = new Int32Array(m);
    for (let t = 1; t < m; t++) {
      const pa = ch[3 * t - 3]! + ch[3 * t - 1]!, pb = ch[3 * t - 2]! + ch[3 * t - 1]!;
      gapLcs[t] = lcs(A, pa, ch[3 * t]!, B, pb, ch[3 * t + 1]!);
    }
    const push = (r0: number, r1: number): void => {
      const aStart = ch[3 * r0]!, bStart = ch[3 * r0 + 1]!;
      const aEnd = ch[3 * r1]! + ch[3 * r1 + 2]!, bEnd = ch[3 * r1 + 1]! + ch[3 * r1 + 2]!;
      const lenA = aEnd - aStart, lenB = bEnd - bStart;
      if (lenA < min || lenB < min) return;
      let matched = 0, longest = 0;
      for (let t = r0; t <= r1; t++) { matched += ch[3 * t + 2]! + (t > r0 ? gapLcs[t]! : 0); longest = Math.max(longest, ch[3 * t + 2]!); }
      // a passage holds one exact run of half of minWords or more: short runs alone (lists of
      // paths or figures in one template) are alike word by word, not copies
      if (2 * longest < min) return;
      const similarity = matched / Math.max(lenA, lenB);
      if (similarity < theta) return;
      out.push({ a, aStart, aEnd, b, bStart, bEnd, similarity, runs: Int32Array.from(ch.slice(3 * r0, 3 * r1 + 3)) });
    };
    const before = out.length;
    push(0, m - 1);
    if (out.length > before || m === 1) return;
    // a segment scoring >= 0 has similarity >= theta: runs score (1 - theta) a word, a gap its LCS
    // minus theta times its longer side (a positive gap counts 0, so segments start and end on runs);
    // at theta = 1 a run scores a little, so single runs still come out
    const w = theta < 1 ? 1 - theta : 1e-9;
    const scores = new Float64Array(2 * m - 1);
    for (let t = 0; t < m; t++) {
      scores[2 * t] = w * ch[3 * t + 2]!;
      if (t > 0) {
        const ga = ch[3 * t]! - ch[3 * t - 3]! - ch[3 * t - 1]!, gb = ch[3 * t + 1]! - ch[3 * t - 2]! - ch[3 * t - 1]!;
        scores[2 * t - 1] = Math.min(0, gapLcs[t]! - theta * Math.max(ga, gb));
      }
    }
    for (const [f, l] of maximalSegments(scores)) push(f >> 1, l >> 1);
  }

  /**
   * Matched words of the best co-linear subset of the runs found (overlaps trimmed, gaps of at
   * most maxGap words on both sides credited with their LCS): what `spanSimilarity` divides by
   * the longer span.
   */
  matched(): number {
    const R = this.runs, count = R.length / 3;
    if (count === 0) return 0;
    const order = this.order();
    // best[x]: most words matched by a chain of runs ending with order[x], prev[x] the run before
    // it (a longest-path DP over a window: the runs of two similar spans are few)
    const best = new Float64Array(count), prev = new Int32Array(count).fill(-1);
    let top = 0;
    for (let x = 0; x < count; x++) {
      const r = order[x]!, ra = R[3 * r]!, rb = R[3 * r + 1]!, len = R[3 * r + 2]!;
      best[x] = len;
      for (let y = Math.max(0, x - 256); y < x; y++) {
        const q = order[y]!, ea = R[3 * q]! + R[3 * q + 2]!, eb = R[3 * q + 1]! + R[3 * q + 2]!;
        const over = Math.max(0, ea - ra, eb - rb);
        if (over >= len || R[3 * q]! >= ra || R[3 * q + 1]! >= rb) continue;
        if (best[y]! + len - over > best[x]!) { best[x] = best[y]! + len - over; prev[x] = y; }
      }
      if (best[x]! > best[top]!) top = x;
    }
    let matched = best[top]!;
    const A = this.A.hashes, B = this.B.hashes, gap = this.o.maxGap;
    for (let x = top; prev[x]! >= 0; x = prev[x]!) {
      const r = order[x]!, q = order[prev[x]!]!;
      const ea = R[3 * q]! + R[3 * q + 2]!, eb = R[3 * q + 1]! + R[3 * q + 2]!;
      const over = Math.max(0, ea - R[3 * r]!, eb - R[3 * r + 1]!);
      const sa = R[3 * r]! + over, sb = R[3 * r + 1]! + over;
      if (sa - ea <= gap && sb - eb <= gap) matched += lcs(A, ea, sa, B, eb, sb);
    }
    return matched;
  }
}

// a seed table over one span, reused: keys, first position, and epoch stamps (never cleared)
let spanKeys = new Uint32Array(1024), spanPos = new Int32Array(1024), spanStamp = new Int32Array(1024);
let spanEpoch = 0;
let seedsA = new Uint32Array(1024), seedsB = new Uint32Array(1024);

/**
 * Word-level similarity of a[a0, a1) and b[b0, b1), computed from the two spans alone: matched
 * words of their best co-linear exact runs over the longer span's words. What a passage
 * occurrence must have with its group's representative.
 */
export function spanSimilarity(A: TokenHashes, a0: number, a1: number, B: TokenHashes, b0: number, b1: number, o: AlignOptions): number {
  const la = a1 - a0, lb = b1 - b0, longer = Math.max(la, lb);
  if (longer === 0) return 1;
  const x = A.hashes.subarray(a0, a1), y = B.hashes.subarray(b0, b1);
  if (la === lb) {
    let same = true;
    for (let i = 0; i < la && same; i++) same = x[i] === y[i];
    if (same) return 1;
  }
  // matched words are at most the shorter span
  if (Math.min(la, lb) / longer < o.passageSimilarity) return Math.min(la, lb) / longer;
  const k = Math.min(o.seedWords, la, lb);
  if (k === 0) return 0;
  if (seedsA.length < la) seedsA = new Uint32Array(2 * la);
  if (seedsB.length < lb) seedsB = new Uint32Array(2 * lb);
  const ma = rollingHashes(x, la, k, seedsA), mb = rollingHashes(y, lb, k, seedsB);
  let slots = 16;
  while (slots < 2 * mb) slots *= 2;
  if (spanKeys.length < slots) { spanKeys = new Uint32Array(slots); spanPos = new Int32Array(slots); spanStamp = new Int32Array(slots); spanEpoch = 0; }
  const mask = slots - 1, ep = ++spanEpoch;
  for (let j = 0; j < mb; j++) {
    const key = seedsB[j]!;
    let s = key & mask;
    while (spanStamp[s] === ep && spanKeys[s] !== key) s = (s + 1) & mask;
    if (spanStamp[s] !== ep) { spanStamp[s] = ep; spanKeys[s] = key; spanPos[s] = j; }
  }
  const al = new Aligner({ hashes: x, n: la }, { hashes: y, n: lb }, k === o.seedWords ? o : { ...o, seedWords: k });
  for (let i = 0; i < ma; i++) {
    const key = seedsA[i]!;
    let s = key & mask;
    while (spanStamp[s] === ep && spanKeys[s] !== key) s = (s + 1) & mask;
    if (spanStamp[s] === ep) al.hit(i, spanPos[s]!);
  }
  return al.matched() / longer;
}
