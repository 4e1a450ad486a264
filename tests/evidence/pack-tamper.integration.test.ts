// A pack survives no tampering: every byte flip in any file, dropped file, reordering, delivery
// swapped in from another pack, or re-signing with another key (key pinned) fails verification with
// the reason that names it, and every untouched pack passes. Property-based over many tamperings.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getPool } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { exportEvidencePack } from "@/lib/evidence/pack/export-evidence-pack";
import { verifyPack } from "@/lib/evidence/pack/verify-pack.mjs";
import { truncateAll } from "../support/graph-snapshot.ts";
import { insertDelivery, newSigningKey, resetLedger } from "../support/ledger-fixtures.ts";
import { collectPack, entriesOf, resign, writeZip, type TEntry } from "./pack-fixtures.ts";

const pool = getPool();
const key = newSigningKey();
const other = newSigningKey();
const cli = { type: "cli", id: null, label: "cli:test" } as const;
let packA: Buffer;
let packB: Buffer;
let entriesA: TEntry[];
let entriesB: TEntry[];

const exportPeriod = (from: string, to: string) => collectPack((out) => exportEvidencePack({ from, to, environment: [] }, cli, out));
const pinned = { pinnedFingerprint: key.fingerprint };
const problemOf = async (entries: TEntry[]) => {
  const result = verifyPack(await writeZip(entries), pinned);
  return result.ok ? null : result.problem;
};
const clone = (entries: TEntry[]) => entries.map((e) => ({ name: e.name, data: Buffer.from(e.data) }));

beforeAll(async () => {
  process.env.CUSTODY_SIGNING_KEY = key.privatePem;
  resetEnvCache();
  await truncateAll(pool);
  await resetLedger(pool);
  const bodies = ["", "{}", '{"object_kind":"push","ref":"refs/heads/main"}', "\u00e9\u00e8 not json at all \u0000", JSON.stringify({ big: "x".repeat(5000) })];
  for (const [i, body] of bodies.entries()) await insertDelivery(pool, body, new Date(Date.UTC(2026, 8, 2 + i)));
  for (let i = 0; i < 4; i++) await insertDelivery(pool, JSON.stringify({ n: i }), new Date(Date.UTC(2026, 9, 2 + i)));
  packA = await exportPeriod("2026-09-01T00:00:00Z", "2026-10-01T00:00:00Z");
  packB = await exportPeriod("2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z");
  entriesA = entriesOf(packA);
  entriesB = entriesOf(packB);
});
afterAll(async () => {
  await truncateAll(pool);
  await resetLedger(pool);
  await closeDb();
});

describe("an evidence pack under tampering", () => {
  it("passes untouched, rebuilt entry for entry, with and without the pinned key", async () => {
    expect(verifyPack(packA, pinned)).toMatchObject({ ok: true, deliveries: 5 });
    expect(verifyPack(packB)).toMatchObject({ ok: true, deliveries: 4, fingerprint: key.fingerprint });
    expect((await writeZip(clone(entriesA))).equals(packA)).toBe(true);
  });

  it("fails naming the file when any byte of any file is flipped", async () => {
    const flippable = entriesA.map((e, i) => [e, i] as const).filter(([e]) => e.data.length > 0);
    await fc.assert(
      fc.asyncProperty(fc.nat(flippable.length - 1), fc.nat(), fc.integer({ min: 1, max: 255 }), async (which, at, mask) => {
        const index = flippable[which]![1];
        const entries = clone(entriesA);
        const target = entries[index]!;
        const i = at % target.data.length;
        target.data[i] = target.data[i]! ^ mask;
        const problem = await problemOf(entries);
        expect(problem).not.toBeNull();
        expect(problem).toContain(target.name);
      }),
      { numRuns: 300 },
    );
  });

  it("fails when any byte of the zip itself is flipped", async () => {
    await fc.assert(
      fc.property(fc.nat(packA.length - 1), fc.integer({ min: 1, max: 255 }), (at, mask) => {
        const copy = Buffer.from(packA);
        copy[at] = copy[at]! ^ mask;
        expect(verifyPack(copy, pinned).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("fails naming the missing file when a file is dropped", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(entriesA.length - 1), async (index) => {
        const entries = clone(entriesA);
        const [dropped] = entries.splice(index, 1);
        const problem = await problemOf(entries);
        expect(problem).toMatch(new RegExp(`${dropped!.name.replace(/[.]/g, "\\.")} (is listed in the manifest but )?(is )?missing`));
      }),
      { numRuns: 100 },
    );
  });

  it("fails on any reordering of the entries", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(entriesA.length - 1), fc.nat(entriesA.length - 1), async (i, j) => {
        fc.pre(i !== j);
        const entries = clone(entriesA);
        [entries[i], entries[j]] = [entries[j]!, entries[i]!];
        expect(await problemOf(entries)).toMatch(/not in the manifest's order/);
      }),
      { numRuns: 100 },
    );
  });

  it("fails naming the delivery when one from another pack is swapped in, under its own name or the replaced one's", async () => {
    const deliveriesOf = (entries: TEntry[]) => entries.flatMap((e, i) => (e.name.endsWith(".json") && e.name.startsWith("deliveries/") ? [i] : []));
    const inA = deliveriesOf(entriesA);
    const inB = deliveriesOf(entriesB);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...inA), fc.constantFrom(...inB), fc.boolean(), async (a, b, keepName) => {
        const entries = clone(entriesA);
        const replaced = entries[a]!.name;
        for (const k of [0, 1]) entries[a + k] = { name: keepName ? entries[a + k]!.name : entriesB[b + k]!.name, data: Buffer.from(entriesB[b + k]!.data) };
        const problem = await problemOf(entries);
        expect(problem).not.toBeNull();
        expect(problem).toContain(keepName ? replaced : replaced.replace(/\.json$/, ""));
      }),
      { numRuns: 60 },
    );
  });

  it("fails when re-signed with another key and the key is pinned; unpinned, it names the other key", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(entriesA.length - 3), fc.boolean(), async (index, checkpoints) => {
        const entries = clone(entriesA);
        const target = entries[index]!;
        if (target.data.length) target.data[0] = target.data[0]! ^ 1;
        const forged = await resign(entries, other, { checkpoints });
        const result = verifyPack(forged, pinned);
        expect(result).toMatchObject({ ok: false, fingerprint: other.fingerprint });
        expect(!result.ok && result.problem).toBe(`public-key.pem: the pack is signed by key ${other.fingerprint}, not by the pinned key ${key.fingerprint}`);
        const unpinned = verifyPack(forged);
        if (!checkpoints) expect(!unpinned.ok && unpinned.problem).toMatch(/^checkpoints\/\d+\.(txt|sig): /);
        else expect(unpinned.fingerprint).toBe(other.fingerprint);
      }),
      { numRuns: 40 },
    );
  });

  it("catches a changed body or leaf even when the manifest is re-signed with the real key", async () => {
    const body = clone(entriesA);
    const b = body.findIndex((e) => e.name.endsWith(".body") && e.data.length > 0);
    body[b]!.data[0] = body[b]!.data[0]! ^ 1;
    expect(verifyPack(await resign(body, key), pinned)).toMatchObject({ ok: false, problem: `${body[b]!.name}: the bytes are not the ones the ledger leaf names` });

    const leaf = clone(entriesA);
    const j = leaf.findIndex((e) => e.name.startsWith("deliveries/") && e.name.endsWith(".json"));
    const record = JSON.parse(leaf[j]!.data.toString("utf8"));
    record.leaf.headers = { ...record.leaf.headers, "x-added": "1" };
    delete record.leafHash;
    leaf[j]!.data = Buffer.from(JSON.stringify(record));
    expect(verifyPack(await resign(leaf, key), pinned)).toMatchObject({ ok: false, problem: expect.stringMatching(new RegExp(`^${leaf[j]!.name}: the inclusion proof does not lead to the root of checkpoint \\d+`)) });
  });
});
