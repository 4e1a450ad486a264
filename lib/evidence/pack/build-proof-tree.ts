import { emptyRoot, hashNode } from "../merkle.ts";

export type TProofTree = { size: number; root: Buffer; inclusionProof: (index: number) => Buffer[] };

/**
 * The RFC 6962 tree over `size` leaf hashes (32 bytes each, concatenated in seq order), every level
 * kept in one buffer so each inclusion proof is read out in O(log n) without allocating subtrees.
 * A lone right-most node is carried up unchanged, which gives exactly RFC 6962's split at the largest
 * power of two (so the proofs equal PATH(m, D[n]) from merkle-proofs.ts). Memory: about 64 bytes a leaf.
 */
export function buildProofTree(leafHashes: Buffer, size: number): TProofTree {
  if (leafHashes.length !== size * 32) throw new RangeError(`expected ${size} leaf hashes, got ${leafHashes.length} bytes`);
  const levels: Buffer[] = [leafHashes];
  let level = leafHashes;
  let width = size;
  while (width > 1) {
    const next = Buffer.allocUnsafe(Math.ceil(width / 2) * 32);
    for (let i = 0; i + 1 < width; i += 2) hashNode(level.subarray(i * 32, i * 32 + 32), level.subarray(i * 32 + 32, i * 32 + 64)).copy(next, (i / 2) * 32);
    if (width % 2 === 1) level.copy(next, ((width - 1) / 2) * 32, (width - 1) * 32, width * 32);
    levels.push(next);
    level = next;
    width = Math.ceil(width / 2);
  }
  const root = size === 0 ? emptyRoot : Buffer.from(level.subarray(0, 32));
  return {
    size,
    root,
    inclusionProof(index) {
      if (!(index >= 0 && index < size)) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
      const proof: Buffer[] = [];
      let i = index;
      let w = size;
      for (let l = 0; l < levels.length - 1; l++) {
        const sibling = i ^ 1;
        if (sibling < w) proof.push(Buffer.from(levels[l]!.subarray(sibling * 32, sibling * 32 + 32)));
        i >>= 1;
        w = Math.ceil(w / 2);
      }
      return proof;
    },
  };
}
