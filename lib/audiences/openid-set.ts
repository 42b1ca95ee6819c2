/**
 * A set of OpenIDs in compact form, for de-duplicating lists of millions without a JS string per
 * entry. An OpenID is 28 characters of base64url, i.e. exactly 21 bytes: they are packed into an
 * arena of fixed pages and found through an open-addressing table of indices (about 30 bytes an
 * entry in all, against ~100 for a Set of strings). The arena grows a page at a time, never by
 * copying: a doubling arena held old and new copies at once (a third more memory at the peak).
 */
const KEY = 21;
const PAGE_BITS = 16;
const PAGE_ENTRIES = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_ENTRIES - 1;
const DECODE = new Int8Array(128).fill(-1);
"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".split("").forEach((c, i) => (DECODE[c.charCodeAt(0)] = i));

export class OpenIdSet {
  private pages: Uint8Array[] = [];
  private table: Int32Array;
  private mask: number;
  size = 0;
  private readonly scratch = new Uint8Array(KEY);

  constructor(expected = 1024) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.table = new Int32Array(cap);
    this.mask = cap - 1;
  }

  /** Packs a valid 28-char OpenID into scratch; false if it is not one. */
  private pack(s: string, start: number): boolean {
    const out = this.scratch;
    let o = 0;
    for (let i = 0; i < 28; i += 4) {
      const a = DECODE[s.charCodeAt(start + i)] ?? -1;
      const b = DECODE[s.charCodeAt(start + i + 1)] ?? -1;
      const c = DECODE[s.charCodeAt(start + i + 2)] ?? -1;
      const d = DECODE[s.charCodeAt(start + i + 3)] ?? -1;
      if ((a | b | c | d) < 0) return false;
      const v = (a << 18) | (b << 12) | (c << 6) | d;
      out[o++] = v >>> 16;
      out[o++] = (v >>> 8) & 255;
      out[o++] = v & 255;
    }
    return true;
  }

  private hash(): number {
    let h = 0x811c9dc5;
    const k = this.scratch;
    for (let i = 0; i < KEY; i++) h = Math.imul(h ^ k[i], 0x01000193);
    return h >>> 0;
  }

  private equalsAt(index: number): boolean {
    const page = this.pages[index >>> PAGE_BITS];
    const base = (index & PAGE_MASK) * KEY;
    const k = this.scratch;
    for (let i = 0; i < KEY; i++) if (page[base + i] !== k[i]) return false;
    return true;
  }

  private grow() {
    const old = this.table;
    const cap = old.length * 2;
    this.table = new Int32Array(cap);
    this.mask = cap - 1;
    for (let i = 0; i < old.length; i++) {
      const v = old[i];
      if (v === 0) continue;
      const index = v - 1;
      const base = (index & PAGE_MASK) * KEY;
      this.scratch.set(this.pages[index >>> PAGE_BITS].subarray(base, base + KEY));
      let slot = this.hash() & this.mask;
      while (this.table[slot] !== 0) slot = (slot + 1) & this.mask;
      this.table[slot] = v;
    }
  }

  /**
   * Adds `s.slice(start, start + 28)`. Returns 1 when added, 0 when already present, -1 when it is
   * not a valid OpenID (caller checks the length is 28).
   */
  addAt(s: string, start = 0): 1 | 0 | -1 {
    if (!this.pack(s, start)) return -1;
    let slot = this.hash() & this.mask;
    for (;;) {
      const v = this.table[slot];
      if (v === 0) break;
      if (this.equalsAt(v - 1)) return 0;
      slot = (slot + 1) & this.mask;
    }
    const index = this.size;
    if ((index & PAGE_MASK) === 0) this.pages.push(new Uint8Array(PAGE_ENTRIES * KEY));
    this.pages[index >>> PAGE_BITS].set(this.scratch, (index & PAGE_MASK) * KEY);
    this.size++;
    this.table[slot] = this.size;
    if (this.size * 2 > this.table.length) this.grow();
    return 1;
  }

  add(s: string): 1 | 0 | -1 {
    if (s.length !== 28) return -1;
    return this.addAt(s, 0);
  }
}
