/**
 * A stable, well-mixed position in 0..length-1 for a key (FNV-1a, 32 bits). Writers that would all ask for the same
 * first free number (a rule number, a slot) start instead at a place of their own: they rarely clash, and the same
 * key asks for the same place again. Not for secrets: anyone can compute it.
 */
export function stablePosition(key: string, length: number): number {
  let hash = 0x811c9dc5;
  for (const character of key) {
    hash ^= character.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return length <= 0 ? 0 : hash % length;
}
