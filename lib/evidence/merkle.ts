import { createHash } from "node:crypto";

// RFC 6962 §2.1 Merkle tree hashing (restated in RFC 9162 §2.1.1). Pure: no database, no server
// imports, so the same code can back an offline verifier.

/** MTH({}) = SHA-256() — the root of the empty tree. */
export const emptyRoot: Buffer = createHash("sha256").digest();

/** A leaf: SHA-256(0x00 ‖ d). */
export function hashLeaf(data: Uint8Array): Buffer {
  return createHash("sha256").update(Buffer.of(0)).update(data).digest();
}

/** An interior node: SHA-256(0x01 ‖ left ‖ right). */
export function hashNode(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash("sha256").update(Buffer.of(1)).update(left).update(right).digest();
}

/**
 * Adds one leaf hash to a compact range: `frontier` holds the roots of the perfect subtrees of a tree
 * of `size` leaves, largest (leftmost) first, one per set bit of `size`. Returns the new frontier.
 */
export function appendToFrontier(frontier: readonly Buffer[], size: bigint, leaf: Buffer): Buffer[] {
  const next = [...frontier, leaf];
  for (let carried = size; carried & 1n; carried >>= 1n) {
    const right = next.pop()!;
    const left = next.pop()!;
    next.push(hashNode(left, right));
  }
  return next;
}

/** MTH of the tree a frontier describes: fold the subtree roots from the right (RFC 6962 splits at the largest power of two). */
export function rootFromFrontier(frontier: readonly Buffer[]): Buffer {
  if (frontier.length === 0) return emptyRoot;
  let root = frontier[frontier.length - 1]!;
  for (let i = frontier.length - 2; i >= 0; i--) root = hashNode(frontier[i]!, root);
  return root;
}
