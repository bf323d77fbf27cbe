// reprint's WASM kernel: the tokenizer, punctuation-extended offsets and their packed layout,
// seeds with winnowing, and the one-permutation sketch over a whole UTF-8 buffer, bit-identical to
// src/tokenize.ts (tokenizeBytes), src/passages.ts (keepTokens, packOffsets, seedsOf, winnow) and
// src/minhash.ts (sketchTokens, rounds); and the report's grouping of aligned passages, step for
// step as src/cluster.ts (groupColumnsJs).
// Everything comes in by pointer into the module's imported memory; nothing is allocated here,
// except by the grouping, which takes its scratch from an address it is given and grows the memory.
// Build: npm run build:wasm (clang --target=wasm32), which regenerates src/kernel-wasm.ts.
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;

#define WORD 1
#define SOLO 2
#define SKIP 3
#define EXPAND 4
#define FNV_PRIME 0x01000193u
#define ROLL 0x5bd1e995u
#define GOLDEN 0x9e3779b9u
#define EMPTY 0xffffffffu
// returned when a code point needs the JavaScript path (multi-unit folds, astral code points)
#define UNSUPPORTED (-0x10000000)

static inline u32 fmix32(u32 h) {
  h ^= h >> 16; h *= 0x85ebca6bu; h ^= h >> 13; h *= 0xc2b2ae35u; h ^= h >> 16;
  return h;
}

static inline u32 salt(u32 seed, u32 i) { return fmix32(seed ^ ((i + 1) * GOLDEN)); }

// Tokens of in[0, len): hashes, starts and ends (UTF-16 offsets). Returns the count, UNSUPPORTED,
// or -1 - b when the fold table's block b (code points b*256 ...) is not built yet. ascii[c] is
// the folded ASCII word character c, or 0 for a separator. The ASCII step has no data-dependent
// branch (word boundaries in prose are unpredictable): it always writes the pending token at slot
// n and advances n only where a word ends. Hashes are stored unmixed and mixed in a final pass.
// offsets: whether starts and ends are written (a constant in each exported wrapper below)
static inline int tokens(const u8 *in, int len, u32 basis, const u8 *cls, const u16 *fold, const u8 *ready,
                         const u8 *ascii, u32 *hashes, int *starts, int *ends, const int offsets) {
  int n = 0, i = 0, u = 0;
  // inw: all ones inside a word; h: its hash so far (basis outside words); starts[n] is kept at
  // the position after the last separator, so a word's start is already in place when it begins
  u32 inw = 0, h = basis;
  if (offsets) starts[0] = 0;
  // one ASCII byte c: f its folded character (0 on a separator), m all ones on a word character,
  // end set where a word just ended (slot n is final, so n advances), g the hash continued by f
#define STEP(c) { \
      u32 f = ascii[c]; \
      u32 m = 0u - (u32)(f != 0); \
      u32 end = inw & ~m; \
      hashes[n] = h; if (offsets) ends[n] = u; \
      n += (int)(end & 1); \
      if (offsets) starts[n + (int)(m & 1)] = u + 1; \
      u32 g = (h ^ f) * FNV_PRIME; \
      h = m ? g : basis; \
      inw = m; \
      u++; }
  while (i < len) {
    // w: eight bytes at once while they are all ASCII
    while (i + 8 <= len) {
      unsigned long long w = *(const unsigned long long *)(in + i);
      if ((w & 0x8080808080808080ull) != 0) break;
      u32 lo = (u32)w, hi = (u32)(w >> 32);
      STEP(lo & 0xff) STEP((lo >> 8) & 0xff) STEP((lo >> 16) & 0xff) STEP(lo >> 24)
      STEP(hi & 0xff) STEP((hi >> 8) & 0xff) STEP((hi >> 16) & 0xff) STEP(hi >> 24)
      i += 8;
    }
    if (i >= len) break;
    u32 c = in[i];
    if (c < 128) { STEP(c) i++; continue; }
    int at = u;
    u32 cp = 0xfffd;
    u32 b1 = i + 1 < len ? in[i + 1] & 0xc0 : 0, b2 = i + 2 < len ? in[i + 2] & 0xc0 : 0;
    if (c >= 0xc2 && c < 0xe0 && b1 == 0x80) { cp = ((c & 0x1f) << 6) | (in[i + 1] & 0x3f); i += 2; u++; }
    else if (c >= 0xe0 && c < 0xf0 && b1 == 0x80 && b2 == 0x80) {
      cp = ((c & 0x0f) << 12) | ((in[i + 1] & 0x3f) << 6) | (in[i + 2] & 0x3f);
      i += 3; u++;
      if (cp < 0x800) cp = 0xfffd;
    } else if (c >= 0xf0 && c < 0xf5) return UNSUPPORTED;
    else { i++; u++; }
    if (!ready[cp >> 8]) return -1 - (int)(cp >> 8);
    u32 k = cls[cp];
    if (k == SKIP) { if (offsets && !inw) starts[n] = u; continue; }
    if (k == EXPAND) return UNSUPPORTED;
    if (k == WORD) {
      if (!inw) { if (offsets) starts[n] = at; inw = ~0u; }
      h = (h ^ fold[cp]) * FNV_PRIME;
      continue;
    }
    if (inw) { hashes[n] = h; if (offsets) ends[n] = at; n++; inw = 0; h = basis; }
    if (k == SOLO) { hashes[n] = (basis ^ fold[cp]) * FNV_PRIME; if (offsets) { starts[n] = at; ends[n] = u; } n++; }
    if (offsets) starts[n] = u;
  }
  if (inw) { hashes[n] = h; if (offsets) ends[n] = u; n++; }
  for (int t = 0; t < n; t++) hashes[t] = fmix32(hashes[t]);
  return n;
}

__attribute__((export_name("tokenize")))
int tokenize(const u8 *in, int len, u32 basis, const u8 *cls, const u16 *fold, const u8 *ready,
             const u8 *ascii, u32 *hashes, int *starts, int *ends) {
  return tokens(in, len, basis, cls, fold, ready, ascii, hashes, starts, ends, 1);
}

// tokenize without offsets (what a signature needs): fewer stores a byte
__attribute__((export_name("hashes")))
int hashes(const u8 *in, int len, u32 basis, const u8 *cls, const u16 *fold, const u8 *ready, const u8 *ascii, u32 *out) {
  return tokens(in, len, basis, cls, fold, ready, ascii, out, 0, 0, 0);
}

static inline int is_space(u32 cp) {
  return cp <= 0x20 || cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000 || cp == 0xfeff;
}

// Decode the code point at in[*i] the way tokenize does; advances *i and returns its UTF-16 length
// (astral code points never reach here: tokenize returned UNSUPPORTED for them).
static inline int next_cp(const u8 *in, int len, int *i, u32 *cp) {
  u32 c = in[*i];
  if (c < 128) { *cp = c; *i += 1; return 1; }
  u32 b1 = *i + 1 < len ? in[*i + 1] & 0xc0 : 0, b2 = *i + 2 < len ? in[*i + 2] & 0xc0 : 0;
  if (c >= 0xc2 && c < 0xe0 && b1 == 0x80) { *cp = ((c & 0x1f) << 6) | (in[*i + 1] & 0x3f); *i += 2; return 1; }
  if (c >= 0xe0 && c < 0xf0 && b1 == 0x80 && b2 == 0x80) {
    *cp = ((c & 0x0f) << 12) | ((in[*i + 1] & 0x3f) << 6) | (in[*i + 2] & 0x3f);
    if (*cp < 0x800) *cp = 0xfffd;
    *i += 3;
    return 1;
  }
  *cp = 0xfffd; *i += 1;
  return 1;
}

// Token offsets extended over attached punctuation, as keepTokens in src/passages.ts: xs[t] goes
// back from starts[t] to just after the last space since the previous token, xe[t] forward from
// ends[t] to the first space or the next token. Only the gaps between tokens are examined. When
// the text is ASCII (ascii != 0) bytes are UTF-16 offsets and each gap is scanned in place;
// otherwise one pass decodes the text.
__attribute__((export_name("extend")))
void extend(const u8 *in, int len, int n, const int *starts, const int *ends, int *xs, int *xe, int ascii) {
  if (ascii) {
    for (int t = 0; t <= n; t++) {
      int gap0 = t > 0 ? ends[t - 1] : 0, gap1 = t < n ? starts[t] : len;
      int a = gap0;
      while (a < gap1 && in[a] > 0x20) a++;
      if (t > 0) xe[t - 1] = a;
      if (t == n) break;
      if (a == gap1) { xs[t] = gap0; continue; }
      int b = gap1;
      while (in[b - 1] > 0x20) b--;
      xs[t] = b;
    }
    return;
  }
  int i = 0, u = 0;
  u32 cp;
  for (int t = 0; t <= n; t++) {
    int gap0 = t > 0 ? ends[t - 1] : 0, gap1 = t < n ? starts[t] : 0x7fffffff;
    int after = gap0, pending = t > 0;
    while (u < gap1 && i < len) {
      int at = u;
      u += next_cp(in, len, &i, &cp);
      if (is_space(cp)) {
        if (pending) { xe[t - 1] = at; pending = 0; }
        after = u;
      }
    }
    if (pending) xe[t - 1] = t < n ? gap1 : u;
    if (t == n) break;
    xs[t] = after;
    // through the token
    while (u < ends[t]) u += next_cp(in, len, &i, &cp);
  }
}

// A document's kept tokens laid out as carve in src/passages.ts reads them, from token hashes and
// extended offsets xs/xe: n hashes, the start of every 16th token (anchors), then a byte a token
// (its start minus the previous token's end, plus 1, in the top 3 bits; its length in the low 5),
// padded to 4 bytes. Returns how many values did not fit (a gap outside [-1, 5], a length over 30):
// a document with any is packed in JavaScript instead (packOffsets), which escapes them.
__attribute__((export_name("pack")))
int pack(const u32 *hashes, const int *xs, const int *xe, int n, u8 *out) {
  u32 *h = (u32 *)out;
  for (int i = 0; i < n; i++) h[i] = hashes[i];
  int na = (n + 15) >> 4;
  int *anchors = (int *)(out + 4 * n);
  u8 *bytes = out + 4 * n + 4 * na;
  int prev = 0, esc = 0;
  for (int i = 0; i < n; i++) {
    int s = xs[i], e = xe[i], gap = s - prev, len = e - s;
    if ((i & 15) == 0) anchors[i >> 4] = s;
    esc += ((unsigned)(gap + 1) > 6u) | ((unsigned)len > 30u);
    bytes[i] = (u8)(((gap + 1) << 5) | (len & 31));
    prev = e;
  }
  for (int i = n; i & 3; i++) bytes[i] = 0;
  return esc;
}

// A document's fingerprints, as seedsOf and winnow in src/passages.ts: seeds are the rolling
// hashes of every k consecutive token hashes (n >= k), into seeds[0, n - k + 1); marks receive the
// positions robust winnowing keeps with window w (the minimum of each window, the rightmost on
// ties, a kept minimum staying while in the window). Returns the number of marks.
__attribute__((export_name("fingerprints")))
int fingerprints(const u32 *hashes, int n, int k, int w, u32 *seeds, int *marks) {
  if (n < k) return 0;
  u32 pk = 1, h = 0;
  for (int i = 0; i < k - 1; i++) pk *= ROLL;
  for (int i = 0; i < k; i++) h = h * ROLL + hashes[i];
  seeds[0] = h;
  int m = 1;
  for (int i = k; i < n; i++) { h = (h - hashes[i - k] * pk) * ROLL + hashes[i]; seeds[m++] = h; }
  if (m <= w) {
    int best = 0;
    for (int i = 1; i < m; i++) if (seeds[i] <= seeds[best]) best = i;
    marks[0] = best;
    return 1;
  }
  int c = 0, min = -1;
  for (int end = w - 1; end < m; end++) {
    int start = end - w + 1;
    if (min < start) {
      min = start;
      for (int i = start + 1; i <= end; i++) if (seeds[i] <= seeds[min]) min = i;
      marks[c++] = min;
    } else if (seeds[end] < seeds[min]) {
      min = end;
      marks[c++] = min;
    }
  }
  return c;
}

// A document's repeats of its own seeds and its fingerprints for the index, as SeedTable.repeats
// in src/passages.ts: for every seed seen before in the document, in order, the pair (its
// position, the key's first position) goes to hits; then each distinct key among the marks (in
// order, a key once) goes to fk and fp, with fw 1 where that position is the key's first
// occurrence. tkeys, tpos, tmark: a table of 2^bits slots (2^bits >= 2m), cleared here; slot and
// first: m entries of scratch. Returns the number of pairs in hits; *nf receives the fingerprints.
__attribute__((export_name("repeats")))
int repeats(const u32 *seeds, int m, const int *marks, int nMarks, int bits, u32 *tkeys, int *tpos, u8 *tmark,
            int *slot, u8 *first, int *hits, u32 *fk, int *fp, u8 *fw, int *nf) {
  u32 mask = (1u << bits) - 1;
  for (u32 s = 0; s <= mask; s++) { tpos[s] = -1; tmark[s] = 0; }
  int h = 0;
  for (int i = 0; i < m; i++) {
    u32 key = seeds[i], s = key & mask;
    while (tpos[s] >= 0 && tkeys[s] != key) s = (s + 1) & mask;
    slot[i] = (int)s;
    if (tpos[s] >= 0) { hits[2 * h] = i; hits[2 * h + 1] = tpos[s]; h++; first[i] = 0; }
    else { tkeys[s] = key; tpos[s] = i; first[i] = 1; }
  }
  int n = 0;
  for (int t = 0; t < nMarks; t++) {
    int i = marks[t], s = slot[i];
    if (tmark[s]) continue;
    tmark[s] = 1;
    fk[n] = seeds[i]; fp[n] = i; fw[n] = first[i]; n++;
  }
  *nf = n;
  return h;
}

// One-permutation sketch with rounds over n token hashes, shingles of w tokens (w <= n), into
// bins[0, k), emptied first; sh receives the n - w + 1 shingle hashes.
__attribute__((export_name("sketch")))
void sketch(const u32 *hashes, int n, int w, int k, u32 seed, u32 *sh, u32 *bins) {
  for (int b = 0; b < k; b++) bins[b] = EMPTY;
  u32 pk = 1;
  for (int i = 0; i < w - 1; i++) pk *= ROLL;
  u32 s1 = salt(seed, 1), h = 0;
  for (int i = 0; i < w - 1; i++) h = h * ROLL + hashes[i];
  int m = n - w + 1;
  for (int i = w - 1; i < n; i++) {
    u32 out = i >= w ? hashes[i - w] * pk : 0;
    h = (h - out) * ROLL + hashes[i];
    sh[i - w + 1] = h;
    u32 x = fmix32(h ^ s1);
    u32 b = ((x >> 16) * (u32)k) >> 16;
    u32 v = x & 0xffffff, o = bins[b];
    bins[b] = v < o ? v : o;
  }
  int empty = 0;
  for (int b = 0; b < k; b++) if (bins[b] == EMPTY) empty++;
  for (u32 r = 2; empty > 0 && r <= 255; r++) {
    u32 sr = salt(seed, 10 + r), base = (r - 1) * 0x1000000u;
    for (int i = 0; i < m; i++) {
      u32 x = fmix32(sh[i] ^ sr);
      u32 b = ((x >> 16) * (u32)k) >> 16;
      u32 v = base + (x & 0xffffff);
      u32 old = bins[b];
      if (v < old) { bins[b] = v; if (old == EMPTY) empty--; }
    }
  }
}

// ---- passage grouping: groupColumnsJs in src/cluster.ts, step for step (same cuts, same order) ----

// cuts closer than this are one cut; most cuts one document may collect
#define TOLERANCE 3
#define MAX_CUTS 4096

// the grouping's scratch: a bump allocator from the address given, growing the memory as needed.
// The memory is new for each grouping (kernelGroup in src/kernel.ts makes one), so what is taken
// reads 0 until written: arrays of zeros are not cleared, and pages never written are never mapped
static unsigned long long heap;
static int failed;

// `bytes` taken from the scratch (8-aligned)
static void *take(unsigned long long bytes) {
  unsigned long long at = (heap + 7) & ~7ull, end = at + bytes;
  unsigned long long have = (unsigned long long)__builtin_wasm_memory_size(0) << 16;
  if (end > have && !failed) {
    // by half the memory at least, so the grouping grows it a few times, not once per array (or
    // by what it needs, if that much more is not to be had)
    unsigned long long want = end > have + have / 2 ? end : have + have / 2;
    if (want > (1ull << 32)) want = 1ull << 32;
    if (end > (1ull << 32)) failed = 1;
    else if (__builtin_wasm_memory_grow(0, (unsigned long)((want - have + 65535) >> 16)) == (unsigned long)-1 &&
             __builtin_wasm_memory_grow(0, (unsigned long)((end - have + 65535) >> 16)) == (unsigned long)-1) failed = 1;
  }
  // an address inside the memory, never written to: callers check `failed` before they write
  if (failed) return (void *)(unsigned long)(1u << 16);
  heap = end;
  return (void *)(unsigned long)at;
}

// n ints taken, each set to v (zeros as they are)
static int *ints(int n, int v) { int *a = (int *)take(4ull * (unsigned)(n > 0 ? n : 1)); if (!failed && v != 0) for (int i = 0; i < n; i++) a[i] = v; return a; }

// growable int arrays (a bigger block taken, the old one left behind): the cut arena, the work
// stack and the output
typedef struct { int *a; int n; int cap; } Ints;
// room for `need` ints in v (a block twice as big, and so on)
static void reserve_ints(Ints *v, int need) {
  if (need <= v->cap) return;
  long long cap = v->cap;
  while (cap < need) cap *= 2;
  if (cap > (1ll << 30)) { failed = 1; return; }
  int *b = (int *)take(4ull * (unsigned long long)cap);
  if (failed) return;
  for (int i = 0; i < v->n; i++) b[i] = v->a[i];
  v->a = b; v->cap = (int)cap;
}

// document d's cuts: arena[off[d], off[d] + len[d]), room for cap[d]; a full list moves to a block twice its size
static int *c_off, *c_len, *c_cap;
static Ints arena;

// insert cut x into doc's list unless the list is full or a cut lies within TOLERANCE of x; 1 if inserted
static int add_cut(int doc, int x) {
  int n = c_len[doc];
  if (n >= MAX_CUTS) return 0;
  if (n == c_cap[doc]) {
    int cap = n == 0 ? 4 : 2 * n, used = arena.n;
    reserve_ints(&arena, used + cap);
    if (failed) return 0;
    int o = c_off[doc];
    for (int i = 0; i < n; i++) arena.a[used + i] = arena.a[o + i];
    c_off[doc] = used; c_cap[doc] = cap; arena.n = used + cap;
  }
  int *a = arena.a, o = c_off[doc], lo = o, hi = o + n;
  while (lo < hi) { int mid = (lo + hi) >> 1; if (a[mid] < x) lo = mid + 1; else hi = mid; }
  if ((lo < o + n && a[lo] - x < TOLERANCE) || (lo > o && x - a[lo - 1] < TOLERANCE)) return 0;
  for (int i = o + n; i > lo; i--) a[i] = a[i - 1];
  a[lo] = x;
  c_len[doc] = n + 1;
  return 1;
}

// cuts still to carry across edges, as (doc, position) pairs
static Ints work;
// add a cut, and if it is new, note it to carry
static void add_and_carry(int doc, int p) {
  if (!add_cut(doc, p)) return;
  reserve_ints(&work, work.n + 2);
  if (failed) return;
  work.a[work.n] = doc; work.a[work.n + 1] = p; work.n += 2;
}

// JavaScript's Math.round: to the nearest integer, halves up
static double js_round(double x) {
  double r = __builtin_ceil(x);
  return r - 0.5 > x ? r - 1.0 : r;
}

// mapRuns in src/passages.ts
static int map_runs(const int *r, int from, int to, int p, int fromA, int lo, int hi) {
  int s = fromA ? 0 : 1, t = fromA ? 1 : 0;
  for (int i = from; i < to; i += 3) {
    int src = r[i + s], dst = r[i + t], len = r[i + 2];
    if (p < src) {
      if (i == from) return lo;
      int ps = r[i - 3 + s] + r[i - 1], pd = r[i - 3 + t] + r[i - 1];
      int den = src - ps > 1 ? src - ps : 1;
      return (int)((double)pd + js_round(((double)(p - ps) * (double)(dst - pd)) / (double)den));
    }
    if (p <= src + len) return dst + (p - src);
  }
  return hi;
}

// index of the segment between cuts a[o + i] and a[o + i + 1] that holds p, for n cuts at a[o]
static int segment_of(const int *a, int o, int n, int p) {
  int lo = 0, hi = n - 1;
  while (lo < hi) { int mid = (lo + hi + 1) >> 1; if (a[o + mid] <= p) lo = mid; else hi = mid - 1; }
  return lo;
}

// union-find root of x, halving the path
static int find(int *parent, int x) {
  while (parent[x] != x) { parent[x] = parent[parent[x]]; x = parent[x]; }
  return x;
}

// the smaller of two similarities
static double min2(double a, double b) { return a < b ? a : b; }

// Group E edges (cols: 8 ints each, sims, runs: the arena) into passages, as groupColumnsJs.
// Scratch and output are taken from address `from` up. out receives the group count, the
// occurrence count and the addresses of at (count + 1 ints), occ (3 ints each) and sim (doubles).
// Returns 0, or -1 when the memory could not grow.
__attribute__((export_name("group")))
int group(const int *cols, const double *sims, const int *runs, int E, int minWords, unsigned from, int *out) {
  heap = from; failed = 0;
  // periodic self-overlaps are groups of their own; the rest are regular
  int *regular = ints(E, 0);
  int nr = 0, docs1 = 0, periodic = 0;
  for (int e = 0; e < E; e++) {
    int c = 8 * e, a = cols[c], b = cols[c + 3];
    if (a == b && cols[c + 5] > cols[c + 1]) periodic++;
    else {
      regular[nr++] = e;
      if (a + 1 > docs1) docs1 = a + 1;
      if (b + 1 > docs1) docs1 = b + 1;
    }
  }
  if (failed) return -1;
  // the edges touching each document: touchList[touchAt[doc] .. touchAt[doc + 1])
  int *touchAt = ints(docs1 + 1, 0);
  if (failed) return -1;
  for (int i = 0; i < nr; i++) { int c = 8 * regular[i]; touchAt[cols[c] + 1]++; if (cols[c + 3] != cols[c]) touchAt[cols[c + 3] + 1]++; }
  for (int d = 0; d < docs1; d++) touchAt[d + 1] += touchAt[d];
  int *touchList = ints(touchAt[docs1], 0), *fill = ints(docs1, 0);
  if (failed) return -1;
  for (int d = 0; d < docs1; d++) fill[d] = touchAt[d];
  for (int i = 0; i < nr; i++) {
    int c = 8 * regular[i];
    touchList[fill[cols[c]]++] = i;
    if (cols[c + 3] != cols[c]) touchList[fill[cols[c + 3]]++] = i;
  }
  // cuts, and the work of carrying them across edges
  c_off = ints(docs1, 0); c_len = ints(docs1, 0); c_cap = ints(docs1, 0);
  arena.n = 0; arena.cap = 1024; arena.a = ints(1024, 0);
  work.n = 0; work.cap = 1024; work.a = ints(work.cap, 0);
  if (failed) return -1;
  for (int i = 0; i < nr; i++) {
    int c = 8 * regular[i];
    add_and_carry(cols[c], cols[c + 1]); add_and_carry(cols[c], cols[c + 2]); add_and_carry(cols[c + 3], cols[c + 4]); add_and_carry(cols[c + 3], cols[c + 5]);
  }
  while (work.n > 0 && !failed) {
    work.n -= 2;
    int doc = work.a[work.n], p = work.a[work.n + 1];
    for (int x = touchAt[doc]; x < touchAt[doc + 1]; x++) {
      int c = 8 * regular[touchList[x]];
      int a = cols[c], aStart = cols[c + 1], aEnd = cols[c + 2], b = cols[c + 3], bStart = cols[c + 4], bEnd = cols[c + 5];
      int r0 = cols[c + 6], r1 = r0 + cols[c + 7];
      if (a == doc && p > aStart + TOLERANCE && p < aEnd - TOLERANCE) add_and_carry(b, map_runs(runs, r0, r1, p, 1, bStart, bEnd));
      if (b == doc && p > bStart + TOLERANCE && p < bEnd - TOLERANCE) add_and_carry(a, map_runs(runs, r0, r1, p, 0, aStart, aEnd));
    }
  }
  if (failed) return -1;
  // elementary segments get global ids: base[doc] + index
  const int *C = arena.a;
  int *base = ints(docs1, 0);
  if (failed) return -1;
  int total = 0;
  for (int d = 0; d < docs1; d++) if (c_len[d] > 0) { base[d] = total; total += c_len[d]; }
  int *parent = ints(total, 0);
  u8 *covered = (u8 *)take((unsigned)total + 1);
  // adjacent[g]: segments g - 1 and g of one document are linked to each other by an edge (a
  // repeat right next to its copy), the one self link the occurrence pass asks about
  u8 *adjacent = (u8 *)take((unsigned)total + 1);
  double *sim = (double *)take(8ull * (unsigned)(total + 1));
  if (failed) return -1;
  for (int g = 0; g < total; g++) { parent[g] = g; sim[g] = 1.0; }
  for (int i = 0; i < nr; i++) {
    int e = regular[i], c = 8 * e;
    int a = cols[c], aStart = cols[c + 1], aEnd = cols[c + 2], b = cols[c + 3], bStart = cols[c + 4], bEnd = cols[c + 5];
    int r0 = cols[c + 6], r1 = r0 + cols[c + 7];
    int oa = c_off[a], na = c_len[a], ob = c_off[b], nb = c_len[b], ba = base[a], bb = base[b];
    for (int s = segment_of(C, oa, na, aStart); s < na - 1 && C[oa + s] < aEnd; s++) {
      int lo = C[oa + s] > aStart ? C[oa + s] : aStart, hi = C[oa + s + 1] < aEnd ? C[oa + s + 1] : aEnd;
      if (hi - lo < TOLERANCE) continue;
      // the piece's image in b, and the segment of b it overlaps most; linked only if each is mostly the other
      int mlo = map_runs(runs, r0, r1, lo, 1, bStart, bEnd), mhi = map_runs(runs, r0, r1, hi, 1, bStart, bEnd);
      if (mhi - mlo < TOLERANCE) continue;
      int t = segment_of(C, ob, nb, mlo), best = -1, bestOverlap = 0;
      for (; t < nb - 1 && C[ob + t] < mhi; t++) {
        int top = C[ob + t + 1] < mhi ? C[ob + t + 1] : mhi, bottom = C[ob + t] > mlo ? C[ob + t] : mlo;
        int overlap = top - bottom;
        if (overlap > bestOverlap) { bestOverlap = overlap; best = t; }
      }
      if (best < 0 || 2 * bestOverlap < mhi - mlo || 2 * bestOverlap < C[ob + best + 1] - C[ob + best]) continue;
      if (2 * (hi - lo) < C[oa + s + 1] - C[oa + s]) continue;
      int x = ba + s, y = bb + best;
      covered[x] = 1; covered[y] = 1;
      int rx = find(parent, x), ry = find(parent, y), r;
      if (rx == ry) r = rx;
      else if (rx < ry) { parent[ry] = rx; r = rx; }
      else { parent[rx] = ry; r = ry; }
      sim[r] = min2(min2(sim[rx], sim[ry]), sims[e]);
      if (a == b && (x - y == 1 || y - x == 1)) adjacent[x > y ? x : y] = 1;
    }
  }
  // per segment: its document and its first position
  int *docOf = ints(total, 0), *cutAt = ints(total, 0);
  if (failed) return -1;
  for (int d = 0; d < docs1; d++) { int b = base[d], o = c_off[d]; for (int s = 0; s < c_len[d]; s++) { docOf[b + s] = d; cutAt[b + s] = C[o + s]; } }
  // occurrences: runs of segments [occF, occL] of one document, listed per root (head, occNext,
  // tail) in segment order; roots in the order their first segment comes
  int *occF = ints(total, 0), *occL = ints(total, 0), *occNext = ints(total, 0), *ownerOf = ints(total, 0);
  int *head = ints(total, -1), *tail = ints(total, -1), *count = ints(total, 0), *startOcc = ints(total, -1), *roots = ints(total, 0);
  u8 *merged = (u8 *)take((unsigned)total + 1);
  if (failed) return -1;
  int nOccs = 0, nRoots = 0;
  for (int g = 0; g < total; g++) {
    if (!covered[g]) continue;
    int r = find(parent, g), t = tail[r];
    if (t >= 0 && occL[t] == g - 1 && docOf[g - 1] == docOf[g] && !adjacent[g]) { occL[t] = g; continue; }
    int o = nOccs++;
    occF[o] = g; occL[o] = g; occNext[o] = -1; ownerOf[o] = r; startOcc[g] = o;
    if (t < 0) { head[r] = o; roots[nRoots++] = r; } else occNext[t] = o;
    tail[r] = o; count[r]++;
  }
  // a passage cut in two by a cut from elsewhere comes back as two groups that follow each other
  // in every document: join them while some group's every occurrence is followed by another's
#define AFTER(g) ((g) + 1 < total && docOf[(g) + 1] == docOf[g] ? startOcc[(g) + 1] : -1)
  int changed = 1;
  while (changed) {
    changed = 0;
    for (int i = 0; i < nRoots; i++) {
      int root = roots[i];
      if (merged[root]) continue;
      int first = AFTER(occL[head[root]]);
      int next = first >= 0 ? ownerOf[first] : -1;
      if (next < 0 || next == root || merged[next] || count[next] != count[root]) continue;
      int all = 1;
      for (int o = head[root]; o >= 0 && all; o = occNext[o]) { int s = AFTER(occL[o]); all = s >= 0 && ownerOf[s] == next; }
      if (!all) continue;
      for (int o = head[root]; o >= 0; o = occNext[o]) occL[o] = occL[AFTER(occL[o])];
      sim[root] = min2(sim[root], sim[next]);
      merged[next] = 1;
      changed = 1;
    }
  }
#undef AFTER
  // the output: periodic groups first (in edge order), then one group per root
  int maxGroups = periodic + nRoots, maxOcc = 2 * periodic + nOccs;
  int *at = ints(maxGroups + 1, 0), *occ = ints(3 * maxOcc, 0);
  double *gsim = (double *)take(8ull * (unsigned)(maxGroups + 1));
  if (failed) return -1;
  int nGroups = 0, nOcc = 0;
  for (int e = 0; e < E; e++) {
    int c = 8 * e, a = cols[c], b = cols[c + 3];
    if (!(a == b && cols[c + 5] > cols[c + 1])) continue;
    // the earlier copy first (the aligner's a side is the later one)
    int x = cols[c + 4] <= cols[c + 1] ? 4 : 1, y = 5 - x;
    occ[3 * nOcc] = a; occ[3 * nOcc + 1] = cols[c + x]; occ[3 * nOcc + 2] = cols[c + x + 1]; nOcc++;
    occ[3 * nOcc] = a; occ[3 * nOcc + 1] = cols[c + y]; occ[3 * nOcc + 2] = cols[c + y + 1]; nOcc++;
    gsim[nGroups] = sims[e]; at[++nGroups] = nOcc;
  }
  for (int i = 0; i < nRoots; i++) {
    int root = roots[i];
    if (merged[root]) continue;
    int from = nOcc;
    for (int o = head[root]; o >= 0; o = occNext[o]) {
      int f = occF[o], start = cutAt[f], end = cutAt[occL[o] + 1];
      if (end - start >= minWords) { occ[3 * nOcc] = docOf[f]; occ[3 * nOcc + 1] = start; occ[3 * nOcc + 2] = end; nOcc++; }
    }
    if (nOcc - from >= 2) { gsim[nGroups] = sim[root]; at[++nGroups] = nOcc; } else nOcc = from;
  }
  out[0] = nGroups; out[1] = nOcc; out[2] = (int)(unsigned long)at; out[3] = (int)(unsigned long)occ; out[4] = (int)(unsigned long)gsim;
  return 0;
}

// ---- exact Jaccard of two documents' word shingle sets (JaccardTable over rollingHashes) ----

// The shingle hashes of hashes[0, n), as rollingHashes in src/hash.ts (a text shorter than k tokens
// is one shingle of all of them), each passed to the table with the given mark.
// Table: 2^bits slots of keys and marks (0 free, 1 in a, 2 in b only, 3 in both); returns the
// number of shingles the pass added (a: new in a; b: new in b only), and counts shared ones in *inter.
static int shingle_pass(const u32 *hashes, int n, int k, u32 *tkeys, u8 *tmark, u32 mask, int b, int *inter) {
  if (n == 0) return 0;
  int kk = n < k ? n : k, added = 0;
  u32 pk = 1;
  for (int i = 0; i < kk - 1; i++) pk *= ROLL;
  u32 h = 0;
  for (int i = 0; i < kk; i++) h = h * ROLL + hashes[i];
  for (int i = kk - 1; i < n; i++) {
    if (i >= kk) h = (h - hashes[i - kk] * pk) * ROLL + hashes[i];
    u32 s = fmix32(h) & mask;
    while (tmark[s] && tkeys[s] != h) s = (s + 1) & mask;
    if (!tmark[s]) { tkeys[s] = h; tmark[s] = b ? 2 : 1; added++; }
    else if (b && tmark[s] == 1) { tmark[s] = 3; (*inter)++; }
  }
  return added;
}

// Shared and total distinct shingles of two token hash arrays: out[0] = |A and B|, out[1] = |A or B|.
// tkeys, tmark: 2^bits slots of scratch (2^bits >= 2 (na + nb)), cleared here.
__attribute__((export_name("jaccard")))
void jaccard(const u32 *a, int na, const u32 *b, int nb, int k, u32 *tkeys, u8 *tmark, int bits, int *out) {
  u32 mask = (1u << bits) - 1;
  for (u32 s = 0; s <= mask; s++) tmark[s] = 0;
  int inter = 0;
  int sizeA = shingle_pass(a, na, k, tkeys, tmark, mask, 0, &inter);
  int only = shingle_pass(b, nb, k, tkeys, tmark, mask, 1, &inter);
  out[0] = inter; out[1] = sizeA + only;
}
