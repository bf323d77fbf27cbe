/**
 * Memory helpers of the hand-rolled tables: one way to grow a typed array, when to grow tables
 * once for an input of known size, the rehash of an open-addressing pair table, and the buffers
 * tables outgrow handed on to the token store.
 */

type Grown = Int32Array | Uint32Array | Float64Array | Uint8Array;

/**
 * Input read before the indexes are grown to the size the whole input will need (bytes or
 * characters): enough for the estimate, while the keys to move into the grown tables are few.
 */
const RESERVE_AFTER = 1 << 21;
/**
 * The share of that size they are grown to: the keys a unit of input adds fall a little as the
 * corpus grows, and a table one doubling too large costs memory, where one a little too small
 * costs only the doubling it would have had anyway.
 */
const RESERVE_SHARE = 0.8;

/**
 * For an input of known size read batch by batch (`input`: how much is read, how much is left):
 * the factor to grow the tables by, once, when the first RESERVE_AFTER of it is read (0 before
 * and after, and for an input of unknown size).
 */
export function reserveOnce(): (input: { read: number; rest: number } | undefined) => number {
  let done = false;
  return (input) => {
    if (done || !input || input.read < RESERVE_AFTER) return 0;
    done = true;
    return (RESERVE_SHARE * (input.read + input.rest)) / input.read;
  };
}

/**
 * `a` if it holds `need` values, else an array of its kind at least twice as long (doubling until
 * `need` fits) with its first `used` values copied. Per-item paths test the length first: growing
 * is rare, and the call is generic.
 */
export function grown<T extends Grown>(a: T, need: number, used = a.length): T {
  if (need <= a.length) return a;
  let cap = Math.max(4, 2 * a.length);
  while (cap < need) cap *= 2;
  return sized(a, cap, used);
}

/** An array of `a`'s kind, `length` long, with a's first `used` values copied. */
export function sized<T extends Grown>(a: T, length: number, used = a.length): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(used === a.length ? a : (a.subarray(0, used) as T));
  return b;
}

/**
 * An open-addressing table of (key, head) int pairs (key at [2i], head at [2i+1], -1: free slot)
 * at twice the size, or with room for `keys` keys at load factor 3/4 (in one step: a table grown
 * by doublings touches fresh memory for each), each key placed again by linear probing from
 * key & mask. The fingerprint index and the LSH index both keep their tables this way. The old
 * buffer goes to `spare`, if given, for a store to fill.
 */
export function growPairs(old: Int32Array<ArrayBuffer>, spare?: Spare, keys = 0): Int32Array<ArrayBuffer> {
  let length = old.length * 2;
  while (keys * 4 > (length >> 1) * 3) length *= 2;
  const t = new Int32Array(length).fill(-1);
  const mask = (t.length >> 1) - 1;
  for (let j = 0; j < old.length; j += 2) {
    if (old[j + 1] === -1) continue;
    let i = old[j]! & mask;
    while (t[2 * i + 1] !== -1) i = (i + 1) & mask;
    t[2 * i] = old[j]!; t[2 * i + 1] = old[j + 1]!;
  }
  spare?.give(old.buffer);
  return t;
}

/** Smallest buffer worth handing on (a table's first sizes are not). */
const SPARE_MIN = 1 << 16;

/**
 * Buffers a table outgrew, handed on to a store that fills chunks as it grows (the token store).
 * Their pages are mapped already, where the first touch of each page of a new buffer is a page
 * fault: tables that double leave behind as much memory as their final size.
 */
export class Spare {
  private bufs: ArrayBuffer[] = [];
  private closed = false;

  /** Hand on a buffer nothing else uses any more (dropped once closed). */
  give(buf: ArrayBuffer): void {
    if (!this.closed && buf.byteLength >= SPARE_MIN) this.bufs.push(buf);
  }

  /** Nothing will be taken any more (the store keeps workers' buffers): drop what is held. */
  close(): void {
    this.closed = true;
    this.bufs = [];
  }

  /** A buffer of at least `size` bytes, if one was handed on (its contents are left over). */
  take(size: number): ArrayBuffer | undefined {
    for (let i = this.bufs.length - 1; i >= 0; i--) {
      const b = this.bufs[i]!;
      if (b.byteLength >= size) { this.bufs.splice(i, 1); return b; }
    }
    return undefined;
  }
}
