/**
 * A 64-bit FNV-1a string hash, as 16 hex digits, for Merkle tree nodes: deterministic on every
 * host and pure (no `node:crypto`, so the node runs in browsers). Collisions only cost a missed
 * repair until the next change of the range; the tree is an optimisation, never the source of truth.
 *
 * @module
 */

/** FNV-1a 64 over the UTF-16 code units of `text`, as 16 lowercase hex digits. */
export function hash64(text: string): string {
  // 64-bit arithmetic in four 16-bit limbs (FNV prime 0x100000001b3, offset 0xcbf29ce484222325).
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (let i = 0; i < text.length; i++) {
    // FNV-1a over 16-bit code units: xor the whole unit into the low limb.
    h0 ^= text.charCodeAt(i);
    // Multiply by 2^40 + 0x1b3: the 0x1b3 part limb by limb, plus (h << 40).
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3 + (t0 >>> 16);
    const t2 = h2 * 0x1b3 + (t1 >>> 16) + (h0 << 8);
    const t3 = h3 * 0x1b3 + (t2 >>> 16) + (h1 << 8);
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  }
  return [h3, h2, h1, h0].map((x) => x.toString(16).padStart(4, "0")).join("");
}

/**
 * 32 well-mixed bits of {@link hash64} (both halves folded, then murmur3's finaliser), for
 * bucketing keys: FNV's top bits barely depend on a key's last characters, and `key1`, `key2`, ...
 * would otherwise crowd into a few Merkle leaves.
 */
export function hash32(text: string): number {
  const h = hash64(text);
  let x = (parseInt(h.slice(0, 8), 16) ^ parseInt(h.slice(8), 16)) | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}
