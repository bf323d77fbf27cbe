// reprint's WASM kernel: the tokenizer, punctuation-extended offsets and their packed layout,
// seeds with winnowing, and the one-permutation sketch over a whole UTF-8 buffer, bit-identical to
// src/tokenize.ts (tokenizeBytes), src/tokens.ts (keepTokens, packOffsets), src/seeds.ts (seedsOf,
// winnow, SeedTable) and src/minhash.ts (sketchTokens, rounds); and the exact Jaccard of two
// documents' shingle sets.
// Everything comes in by pointer into the module's imported memory; nothing is allocated here.
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

// Inputs shorter than this are tokenized as one stream; longer ones as two (see tokens).
#define SPLIT_MIN 512
#define HIGH_BITS 0x8080808080808080ull

// One ASCII byte c of stream S (variables S##i, S##n, S##u, S##inw, S##h and its output arrays):
// f its folded character (0 on a separator), m all ones on a word character, end set where a word
// just ended (slot n is final, so n advances), g the hash continued by f. No data-dependent branch
// (word boundaries in prose are unpredictable): the pending token is always written at slot n.
#define STEP(S, c) { \
    u32 f = ascii[c]; \
    u32 m = 0u - (u32)(f != 0); \
    u32 end = S##inw & ~m; \
    S##hs[S##n] = S##h; if (offsets) S##es[S##n] = S##u; \
    S##n += (int)(end & 1); \
    if (offsets) S##ss[S##n + (int)(m & 1)] = S##u + 1; \
    u32 g = (S##h ^ f) * FNV_PRIME; \
    S##h = m ? g : basis; \
    S##inw = m; \
    S##u++; }

// Eight ASCII bytes w of stream S.
#define STEP8(S, w) { \
    u32 lo = (u32)(w), hi = (u32)((w) >> 32); \
    STEP(S, lo & 0xff) STEP(S, (lo >> 8) & 0xff) STEP(S, (lo >> 16) & 0xff) STEP(S, lo >> 24) \
    STEP(S, hi & 0xff) STEP(S, (hi >> 8) & 0xff) STEP(S, (hi >> 16) & 0xff) STEP(S, hi >> 24) \
    S##i += 8; }

// One code point of stream S, of any kind; returns from tokens when the JavaScript path or a fold
// table block is needed.
#define SLOW(S) { \
    u32 c = in[S##i]; \
    if (c < 128) { STEP(S, c) S##i++; } \
    else { \
      int at = S##u; \
      u32 cp = 0xfffd; \
      u32 b1 = S##i + 1 < S##len ? in[S##i + 1] & 0xc0 : 0, b2 = S##i + 2 < S##len ? in[S##i + 2] & 0xc0 : 0; \
      if (c >= 0xc2 && c < 0xe0 && b1 == 0x80) { cp = ((c & 0x1f) << 6) | (in[S##i + 1] & 0x3f); S##i += 2; S##u++; } \
      else if (c >= 0xe0 && c < 0xf0 && b1 == 0x80 && b2 == 0x80) { \
        cp = ((c & 0x0f) << 12) | ((in[S##i + 1] & 0x3f) << 6) | (in[S##i + 2] & 0x3f); \
        S##i += 3; S##u++; \
        if (cp < 0x800) cp = 0xfffd; \
      } else if (c >= 0xf0 && c < 0xf5) return UNSUPPORTED; \
      else { S##i++; S##u++; } \
      if (!ready[cp >> 8]) return -1 - (int)(cp >> 8); \
      u32 k = cls[cp]; \
      if (k == SKIP) { if (offsets && !S##inw) S##ss[S##n] = S##u; } \
      else if (k == EXPAND) return UNSUPPORTED; \
      else if (k == WORD) { \
        if (!S##inw) { if (offsets) S##ss[S##n] = at; S##inw = ~0u; } \
        S##h = (S##h ^ fold[cp]) * FNV_PRIME; \
      } else { \
        if (S##inw) { S##hs[S##n] = S##h; if (offsets) S##es[S##n] = at; S##n++; S##inw = 0; S##h = basis; } \
        if (k == SOLO) { S##hs[S##n] = (basis ^ fold[cp]) * FNV_PRIME; if (offsets) { S##ss[S##n] = at; S##es[S##n] = S##u; } S##n++; } \
        if (offsets) S##ss[S##n] = S##u; \
      } \
    } }

// The rest of stream S, alone: eight ASCII bytes at a time where it can, then code point by code
// point; then its last word.
#define FINISH(S) { \
    while (S##i < S##len) { \
      while (S##i + 8 <= S##len) { \
        unsigned long long w = *(const unsigned long long *)(in + S##i); \
        if (w & HIGH_BITS) break; \
        STEP8(S, w) \
      } \
      if (S##i >= S##len) break; \
      SLOW(S) \
    } \
    if (S##inw) { S##hs[S##n] = S##h; if (offsets) S##es[S##n] = S##u; S##n++; } }

// Tokens of in[0, len): hashes, starts and ends (UTF-16 offsets). Returns the count, UNSUPPORTED,
// or -1 - b when the fold table's block b (code points b*256 ...) is not built yet. ascii[c] is
// the folded ASCII word character c, or 0 for a separator. Hashes are stored unmixed and mixed in
// a final pass. The branch-free steps make the whole text one chain of dependent multiplies, so
// without offsets a longer text is cut at an ASCII separator near its middle into two streams run
// side by side (a, and b into the scratch array hb), then joined.
// offsets: whether starts and ends are written (a constant in each exported wrapper below)
static inline int tokens(const u8 *in, int len, u32 basis, const u8 *cls, const u16 *fold, const u8 *ready,
                         const u8 *ascii, u32 *hashes, int *starts, int *ends, u32 *hb, const int offsets) {
  // per stream: i its next byte, len its end, n its tokens, u its UTF-16 offset, inw all ones
  // inside a word, h the word's hash so far (basis outside words); ss[n] is kept at the position
  // after the last separator, so a word's start is already in place when it begins
  int ai = 0, alen = len, an = 0, au = 0;
  u32 ainw = 0, ah = basis;
  u32 *ahs = hashes;
  int *ass = starts, *aes = ends;
  if (offsets) ass[0] = 0;
  // two streams only without offsets: with them, their extra stores and registers cost more than
  // the second chain of multiplies gains
  if (!offsets && len >= SPLIT_MIN) {
    int mid = len >> 1;
    while (mid < len && (in[mid] >= 128 || ascii[in[mid]] != 0)) mid++;
    alen = mid;
    int bi = mid, blen = len, bn = 0, bu = 0;
    u32 binw = 0, bh = basis;
    u32 *bhs = hb;
    int *bss = 0, *bes = 0;
    while (ai + 8 <= alen && bi + 8 <= blen) {
      unsigned long long wa = *(const unsigned long long *)(in + ai), wb = *(const unsigned long long *)(in + bi);
      if (((wa | wb) & HIGH_BITS) == 0) { STEP8(a, wa) STEP8(b, wb) continue; }
      if (wa & HIGH_BITS) SLOW(a) else STEP8(a, wa)
      if (wb & HIGH_BITS) SLOW(b) else STEP8(b, wb)
    }
    FINISH(a)
    FINISH(b)
    for (int t = 0; t < bn; t++) hashes[an + t] = hb[t];
    an += bn;
  } else FINISH(a)
  for (int t = 0; t < an; t++) hashes[t] = fmix32(hashes[t]);
  return an;
}

__attribute__((export_name("tokenize")))
int tokenize(const u8 *in, int len, u32 basis, const u8 *cls, const u16 *fold, const u8 *ready,
             const u8 *ascii, u32 *hashes, int *starts, int *ends) {
  return tokens(in, len, basis, cls, fold, ready, ascii, hashes, starts, ends, 0, 1);
}

// tokenize without offsets (what a signature needs): fewer stores a byte, and room (hb) for a
// second stream's hashes
__attribute__((export_name("hashes")))
int hashes(const u8 *in, int len, u32 basis, const u8 *cls, const u16 *fold, const u8 *ready, const u8 *ascii, u32 *out, u32 *hb) {
  return tokens(in, len, basis, cls, fold, ready, ascii, out, 0, 0, hb, 0);
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

// Token offsets extended over attached punctuation, as keepTokens in src/tokens.ts: xs[t] goes
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

// A document's kept tokens laid out as carve in src/tokens.ts reads them, from token hashes and
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

// A document's fingerprints, as seedsOf and winnow in src/seeds.ts: seeds are the rolling
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
// in src/seeds.ts: for every seed seen before in the document, in order, the pair (its
// position, the key's first position) goes to hits; then each distinct key among the marks (in
// order, a key once) goes to fk and fp. tkeys, tpos, tmark: a table of 2^bits slots (2^bits >= 2m),
// cleared here; slot: m entries of scratch. Returns the number of pairs in hits; *nf receives the
// fingerprints.
__attribute__((export_name("repeats")))
int repeats(const u32 *seeds, int m, const int *marks, int nMarks, int bits, u32 *tkeys, int *tpos, u8 *tmark,
            int *slot, int *hits, u32 *fk, int *fp, int *nf) {
  u32 mask = (1u << bits) - 1;
  for (u32 s = 0; s <= mask; s++) { tpos[s] = -1; tmark[s] = 0; }
  int h = 0;
  for (int i = 0; i < m; i++) {
    u32 key = seeds[i], s = key & mask;
    while (tpos[s] >= 0 && tkeys[s] != key) s = (s + 1) & mask;
    slot[i] = (int)s;
    if (tpos[s] >= 0) { hits[2 * h] = i; hits[2 * h + 1] = tpos[s]; h++; }
    else { tkeys[s] = key; tpos[s] = i; }
  }
  int n = 0;
  for (int t = 0; t < nMarks; t++) {
    int i = marks[t], s = slot[i];
    if (tmark[s]) continue;
    tmark[s] = 1;
    fk[n] = seeds[i]; fp[n] = i; n++;
  }
  *nf = n;
  return h;
}

// Shingles a chunk: the bins and values of one round are computed CHUNK at a time into a stack
// buffer (a loop clang vectorizes), then applied one by one.
#define CHUNK 256

// One-permutation sketch with rounds over n token hashes, shingles of w tokens (w <= n), into
// bins[0, k), emptied first; sh receives the n - w + 1 shingle hashes. A shingle's hash is the
// polynomial sum of hashes[i + j] * ROLL^(w - 1 - j), computed by Horner's rule for all shingles
// at once (the rolling form's value, without its chain of dependent multiplies).
__attribute__((export_name("sketch")))
void sketch(const u32 *hashes, int n, int w, int k, u32 seed, u32 *sh, u32 *bins) {
  for (int b = 0; b < k; b++) bins[b] = EMPTY;
  int m = n - w + 1;
  for (int i = 0; i < m; i++) sh[i] = hashes[i];
  for (int j = 1; j < w; j++) for (int i = 0; i < m; i++) sh[i] = sh[i] * ROLL + hashes[i + j];
  u32 bin[CHUNK], val[CHUNK];
  int empty = k;
  for (u32 r = 1; empty > 0 && r <= 255; r++) {
    u32 sr = r == 1 ? salt(seed, 1) : salt(seed, 10 + r), base = (r - 1) * 0x1000000u;
    for (int c = 0; c < m; c += CHUNK) {
      int len = m - c < CHUNK ? m - c : CHUNK;
      for (int i = 0; i < len; i++) {
        u32 x = fmix32(sh[c + i] ^ sr);
        bin[i] = ((x >> 16) * (u32)k) >> 16;
        val[i] = base + (x & 0xffffff);
      }
      // the first round's minima are branch-free (most shingles still lower some bin); later rounds
      // rarely reach a bin that is still empty
      if (r == 1) for (int i = 0; i < len; i++) { u32 b = bin[i], v = val[i], o = bins[b]; bins[b] = v < o ? v : o; }
      else for (int i = 0; i < len; i++) {
        u32 b = bin[i], v = val[i], old = bins[b];
        if (v < old) { bins[b] = v; empty -= old == EMPTY; }
      }
    }
    if (r == 1) { empty = 0; for (int b = 0; b < k; b++) empty += bins[b] == EMPTY; }
  }
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
