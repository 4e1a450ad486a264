import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { appendToFrontier, emptyRoot, hashLeaf, hashNode, rootFromFrontier } from "./merkle.ts";

// Certificate Transparency test data (reference/reliability.md §2.2, re-derived from RFC 6962 §2.1).
const leaves = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map((h) => Buffer.from(h, "hex"));
const roots = [
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

/** RFC 6962 MTH written as the RFC defines it: split at the largest power of two smaller than n. */
function referenceRoot(data: Buffer[]): Buffer {
  if (data.length === 0) return createHash("sha256").digest();
  if (data.length === 1) return createHash("sha256").update(Buffer.of(0)).update(data[0]!).digest();
  let k = 1;
  while (k * 2 < data.length) k *= 2;
  return createHash("sha256").update(Buffer.of(1)).update(referenceRoot(data.slice(0, k))).update(referenceRoot(data.slice(k))).digest();
}

function incrementalRoot(data: Buffer[]): Buffer {
  let frontier: Buffer[] = [];
  data.forEach((d, i) => {
    frontier = appendToFrontier(frontier, BigInt(i), hashLeaf(d));
  });
  return rootFromFrontier(frontier);
}

describe("RFC 6962 Merkle tree hash", () => {
  it("the empty tree hashes to SHA-256 of nothing", () => {
    expect(emptyRoot.toString("hex")).toBe(roots[0]);
    expect(rootFromFrontier([]).toString("hex")).toBe(roots[0]);
  });

  it("the incremental compact range gives the Certificate Transparency roots for sizes 0–8", () => {
    for (let n = 0; n <= 8; n++) expect(incrementalRoot(leaves.slice(0, n)).toString("hex"), `size ${n}`).toBe(roots[n]);
  });

  it("keeps one subtree root per set bit of the size, never every leaf", () => {
    let frontier: Buffer[] = [];
    for (let i = 0; i < 1000; i++) {
      frontier = appendToFrontier(frontier, BigInt(i), hashLeaf(Buffer.from(String(i))));
      expect(frontier.length).toBe((i + 1).toString(2).replace(/0/g, "").length);
    }
  });

  it("leaf and node hashes are domain-separated, so a leaf cannot pose as a node", () => {
    const a = hashLeaf(Buffer.from("a"));
    const b = hashLeaf(Buffer.from("b"));
    expect(hashLeaf(Buffer.concat([a, b])).equals(hashNode(a, b))).toBe(false);
  });

  it("matches the recursive definition for every tree size up to 300", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 8 }), { maxLength: 300 }), (arrays) => {
        const data = arrays.map((a) => Buffer.from(a));
        expect(incrementalRoot(data).equals(referenceRoot(data))).toBe(true);
      }),
      { numRuns: 60 },
    );
    const all = Array.from({ length: 300 }, (_, i) => Buffer.from([i & 0xff, i >> 8]));
    for (let n = 0; n <= 300; n++) expect(incrementalRoot(all.slice(0, n)).equals(referenceRoot(all.slice(0, n))), `size ${n}`).toBe(true);
  });
});
