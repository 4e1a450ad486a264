import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashLeaf } from "./merkle.ts";
import { buildConsistencyProof, buildInclusionProof, rootOfLeafHashes, verifyConsistencyProof, verifyInclusionProof } from "./merkle-proofs.ts";

// Certificate Transparency test data (reference/reliability.md §2.2).
const leaves = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map((h) => hashLeaf(Buffer.from(h, "hex")));
const hex = (proof: Buffer[]) => proof.map((p) => p.toString("hex"));
const h = {
  a: "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
  b: "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
  c: "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
  d: "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
  e: "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
  root4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  root1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
};

describe("RFC 6962 proofs", () => {
  it("inclusion proofs match the Certificate Transparency vectors and verify", () => {
    expect(hex(buildInclusionProof(leaves, 0))).toEqual([h.a, h.b, h.c]);
    expect(hex(buildInclusionProof(leaves, 5))).toEqual([h.d, h.e, h.root4]);
    expect(hex(buildInclusionProof(leaves.slice(0, 5), 1))).toEqual([h.root1, h.b, h.d]);
    const root = rootOfLeafHashes(leaves);
    expect(verifyInclusionProof(leaves[5]!, 5, 8, buildInclusionProof(leaves, 5), root)).toBe(true);
    expect(verifyInclusionProof(leaves[4]!, 5, 8, buildInclusionProof(leaves, 5), root)).toBe(false);
  });

  it("consistency proofs match the Certificate Transparency vectors and verify", () => {
    expect(hex(buildConsistencyProof(leaves, 1))).toEqual([h.a, h.b, h.c]);
    expect(hex(buildConsistencyProof(leaves, 6))).toEqual(["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", h.e, h.root4]);
    expect(hex(buildConsistencyProof(leaves.slice(0, 5), 2))).toEqual([h.b, h.d]);
    const root6 = rootOfLeafHashes(leaves.slice(0, 6));
    expect(verifyConsistencyProof(6, 8, root6, rootOfLeafHashes(leaves), buildConsistencyProof(leaves, 6))).toBe(true);
    expect(verifyConsistencyProof(6, 8, rootOfLeafHashes(leaves.slice(0, 5)), rootOfLeafHashes(leaves), buildConsistencyProof(leaves, 6))).toBe(false);
  });

  it("every proof in trees up to 70 leaves verifies, and a flipped byte never does", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.nat(), fc.nat(), fc.nat(31), (n, a, b, byte) => {
        const tree = Array.from({ length: n }, (_, i) => hashLeaf(Buffer.from([i, n])));
        const root = rootOfLeafHashes(tree);
        const index = a % n;
        const path = buildInclusionProof(tree, index);
        expect(verifyInclusionProof(tree[index]!, index, n, path, root)).toBe(true);
        const size = (b % n) + 1;
        const proof = size === n ? [] : buildConsistencyProof(tree, size);
        const first = rootOfLeafHashes(tree.slice(0, size));
        expect(verifyConsistencyProof(size, n, first, root, proof)).toBe(true);
        if (path.length) {
          const bad = path.map((p) => Buffer.from(p));
          bad[0]!.writeUInt8(bad[0]!.readUInt8(byte) ^ 1, byte);
          expect(verifyInclusionProof(tree[index]!, index, n, bad, root)).toBe(false);
        }
        if (proof.length) {
          const bad = proof.map((p) => Buffer.from(p));
          bad.at(-1)!.writeUInt8(bad.at(-1)!.readUInt8(byte) ^ 1, byte);
          expect(verifyConsistencyProof(size, n, first, root, bad)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});
