import { emptyRoot, hashNode } from "./merkle.ts";

// RFC 6962 §2.1.1–2.1.2 proofs over leaf hashes, and their verification as RFC 9162 §2.1.3.2 and
// §2.1.4.2 write it. Pure; the evidence pack reads the leaf hashes from ledger_entry in seq order.

function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH over leaf hashes (the hashes, not the leaf data). */
export function rootOfLeafHashes(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return emptyRoot;
  if (leaves.length === 1) return leaves[0]!;
  const k = split(leaves.length);
  return hashNode(rootOfLeafHashes(leaves.slice(0, k)), rootOfLeafHashes(leaves.slice(k)));
}

/** PATH(m, D[n]): the audit path proving leaf `index` is in the tree of `leaves.length` leaves. */
export function buildInclusionProof(leaves: readonly Buffer[], index: number): Buffer[] {
  if (!(index >= 0 && index < leaves.length)) throw new RangeError(`leaf ${index} is not in a tree of ${leaves.length}`);
  if (leaves.length === 1) return [];
  const k = split(leaves.length);
  return index < k
    ? [...buildInclusionProof(leaves.slice(0, k), index), rootOfLeafHashes(leaves.slice(k))]
    : [...buildInclusionProof(leaves.slice(k), index - k), rootOfLeafHashes(leaves.slice(0, k))];
}

function subproof(m: number, leaves: readonly Buffer[], complete: boolean): Buffer[] {
  const n = leaves.length;
  if (m === n) return complete ? [] : [rootOfLeafHashes(leaves)];
  const k = split(n);
  return m <= k
    ? [...subproof(m, leaves.slice(0, k), complete), rootOfLeafHashes(leaves.slice(k))]
    : [...subproof(m - k, leaves.slice(k), false), rootOfLeafHashes(leaves.slice(0, k))];
}

/** PROOF(m, D[n]): proves the tree of the first `size` leaves is a prefix of the tree of all of them. */
export function buildConsistencyProof(leaves: readonly Buffer[], size: number): Buffer[] {
  if (!(size > 0 && size <= leaves.length)) throw new RangeError(`no consistency proof from size ${size} to ${leaves.length}`);
  return subproof(size, leaves, true);
}

/**
 * True when `proof` shows `leafHash` at `index` in the tree of `size` leaves with root `root`. The
 * evidence pack's dependency-free verifier holds the one implementation, so the proofs checked here
 * against the Certificate Transparency vectors are checked by the same code auditors run.
 */
export { verifyInclusion as verifyInclusionProof } from "./pack/verify-pack.mjs";

/** True when `proof` shows the tree of `firstSize` leaves (root `firstRoot`) is a prefix of the one of `secondSize` (root `secondRoot`). */
export function verifyConsistencyProof(firstSize: number, secondSize: number, firstRoot: Buffer, secondRoot: Buffer, proof: readonly Buffer[]): boolean {
  if (firstSize === secondSize) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (!(firstSize > 0 && firstSize < secondSize) || proof.length === 0) return false;
  const path = (firstSize & (firstSize - 1)) === 0 ? [firstRoot, ...proof] : [...proof];
  let fn = firstSize - 1;
  let sn = secondSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = hashNode(c, fr);
      sr = hashNode(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = hashNode(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}
