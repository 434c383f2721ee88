/**
 * The one hash function of the store: ring positions, Merkle buckets and digests. It must be the
 * same on every node and every run (no seed), so it is a fixed FNV-1a with murmur3's finaliser.
 *
 * @module
 */

/** Hash `text` to an unsigned 32-bit integer (FNV-1a, then murmur3's finaliser for mixing). */
export function hash32(text: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
