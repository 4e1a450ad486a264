import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { buildInclusionProof, rootOfLeafHashes, verifyInclusionProof } from "../merkle-proofs.ts";
import { buildProofTree } from "./build-proof-tree.ts";

const leaves = (n: number) => Array.from({ length: n }, (_, i) => createHash("sha256").update(`leaf ${i}`).digest());

describe("the proof tree", () => {
  it("has the RFC 6962 root and gives the same inclusion proofs as PATH(m, D[n]) for every size up to 40", () => {
    for (let n = 0; n <= 40; n++) {
      const hashes = leaves(n);
      const tree = buildProofTree(Buffer.concat(hashes), n);
      expect(tree.root.equals(rootOfLeafHashes(hashes)), `root of ${n}`).toBe(true);
      for (let i = 0; i < n; i++) {
        const proof = tree.inclusionProof(i);
        expect(proof.map((p) => p.toString("hex")), `proof ${i} of ${n}`).toEqual(buildInclusionProof(hashes, i).map((p) => p.toString("hex")));
        expect(verifyInclusionProof(hashes[i]!, i, n, proof, tree.root)).toBe(true);
      }
    }
  });
});
