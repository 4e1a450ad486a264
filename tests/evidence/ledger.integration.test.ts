// The tamper-evident ledger against a real Postgres: append-only, gap-free, exactly once, signed
// checkpoints, and verification that catches edits the database itself allows.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import pg from "pg";
import { closeDb, getPool } from "@/lib/db";
import { appendToLedger } from "@/lib/evidence/append-to-ledger";
import { buildDeliveryLeaf, deliveryLeafColumns, type TDeliveryLeafRow } from "@/lib/evidence/build-leaf";
import { createCheckpoint } from "@/lib/evidence/create-checkpoint";
import { hashLeaf, rootFromFrontier, appendToFrontier } from "@/lib/evidence/merkle";
import { buildConsistencyProof, buildInclusionProof, verifyConsistencyProof, verifyInclusionProof } from "@/lib/evidence/merkle-proofs";
import { verifyLedger } from "@/lib/evidence/verify-ledger";
import { truncateAll } from "../support/graph-snapshot.ts";
import { asTableOwner, insertAuditEntry, insertDelivery, newSigningKey, resetLedger } from "../support/ledger-fixtures.ts";

const pool = getPool();
const key = newSigningKey();

beforeEach(async () => {
  await truncateAll(pool);
  await resetLedger(pool);
});
afterAll(async () => {
  await truncateAll(pool);
  await resetLedger(pool);
  await closeDb();
});

async function drain(): Promise<void> {
  while ((await appendToLedger(pool, { sweep: true })) > 0);
}

async function entries(): Promise<{ seq: string; kind: string; ref_id: string }[]> {
  return (await pool.query<{ seq: string; kind: string; ref_id: string }>("SELECT seq::text AS seq, kind::text AS kind, ref_id FROM ledger_entry ORDER BY ledger_entry.seq")).rows;
}

describe("the ledger tables are append-only", () => {
  it("UPDATE, DELETE and TRUNCATE on ledger_entry and ledger_checkpoint are refused by the database", async () => {
    await insertDelivery(pool);
    await drain();
    await createCheckpoint(pool, key);
    for (const sql of [
      "UPDATE ledger_entry SET leaf_hash = '\\x00'",
      "DELETE FROM ledger_entry",
      "TRUNCATE ledger_entry",
      "UPDATE ledger_checkpoint SET tree_size = 5",
      "DELETE FROM ledger_checkpoint",
      "TRUNCATE ledger_checkpoint",
    ]) {
      await expect(pool.query(sql), sql).rejects.toThrow(/append-only: (UPDATE|DELETE|TRUNCATE) refused/);
    }
    // TRUNCATE … CASCADE from a table that is not append-only cannot reach it either (no foreign keys).
    await expect(pool.query("TRUNCATE delivery CASCADE")).resolves.toBeDefined();
    expect(await entries()).toHaveLength(1);
    expect((await pool.query("SELECT count(*)::int AS n FROM ledger_checkpoint")).rows[0].n).toBe(1);
  });
});

describe("appending", () => {
  it("appends deliveries stored before the ledger existed and audit entries, each once, in a stable order with seq 0..N-1", async () => {
    const old = await insertDelivery(pool, '{"old":true}', new Date("2020-01-01T00:00:00Z"));
    const a = await insertDelivery(pool, '{"a":1}', new Date("2026-11-01T10:00:00Z"));
    const b = await insertDelivery(pool, '{"b":1}', new Date("2026-11-01T09:00:00Z"));
    const audit = await insertAuditEntry(pool);
    await drain();
    expect(await entries()).toEqual([
      { seq: "0", kind: "delivery", ref_id: old },
      { seq: "1", kind: "delivery", ref_id: b },
      { seq: "2", kind: "delivery", ref_id: a },
      { seq: "3", kind: "audit", ref_id: audit },
    ]);
    await drain();
    expect(await entries()).toHaveLength(4);

    // The leaf is SHA-256(0x00 ‖ RFC 8785 bytes), and the bytes cover the exact body.
    const row = (await pool.query<TDeliveryLeafRow>(`SELECT ${deliveryLeafColumns} FROM delivery WHERE id = $1`, [a])).rows[0]!;
    const canonical = buildDeliveryLeaf(row).toString("utf8");
    expect(canonical).toBe(
      `{"bodyLength":7,"bodySha256":"${(await import("node:crypto")).createHash("sha256").update('{"a":1}').digest("hex")}","dedupeKey":"${a}","eventType":"Push Hook","headers":{"x-gitlab-event":"Push Hook"},"id":"${a}","kind":"delivery","origin":"webhook","receivedAt":"2026-11-01T10:00:00.000000Z","requestUrl":null,"source":"gitlab","v":1,"verifyMethod":"token","verifyResult":"ok"}`,
    );
    const stored = (await pool.query<{ leaf_hash: Buffer }>("SELECT leaf_hash FROM ledger_entry WHERE seq = 2")).rows[0]!;
    expect(stored.leaf_hash.equals(hashLeaf(Buffer.from(canonical)))).toBe(true);
  });

  it("the regular pass appends new rows; a late commit waits for the lookback pass, an old time for the sweep", async () => {
    await insertDelivery(pool);
    await drain();
    const fresh = await insertDelivery(pool);
    const lateCommit = await insertDelivery(pool, '{"late":1}', new Date(Date.now() - 60_000));
    const oldTime = await insertDelivery(pool, '{"old":1}', new Date(Date.now() - 3_600_000));
    expect(await appendToLedger(pool)).toBe(1);
    expect((await entries()).at(-1)!.ref_id).toBe(fresh);
    expect(await appendToLedger(pool)).toBe(0);
    expect(await appendToLedger(pool, { lookback: true })).toBe(1);
    expect((await entries()).at(-1)!.ref_id).toBe(lateCommit);
    expect(await appendToLedger(pool, { lookback: true })).toBe(0);
    expect(await appendToLedger(pool, { sweep: true })).toBe(1);
    expect((await entries()).at(-1)!.ref_id).toBe(oldTime);
  });

  it("concurrent appenders on separate connections append every row exactly once, without holes", async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 120; i++) ids.add(await insertDelivery(pool));
    for (let i = 0; i < 30; i++) ids.add(await insertAuditEntry(pool));
    const pools = Array.from({ length: 4 }, () => new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 }));
    try {
      // Deliveries keep arriving while four appenders race with small batches.
      const arriving = (async () => {
        for (let i = 0; i < 40; i++) ids.add(await insertDelivery(pool));
      })();
      await Promise.all(
        pools.map(async (p) => {
          for (let round = 0; round < 30; round++) await appendToLedger(p, { limit: 7, sweep: round % 3 === 0 });
        }),
      );
      await arriving;
      await Promise.all(pools.map((p) => appendToLedger(p, { sweep: true })));
      await drain();
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
    const rows = await entries();
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => String(i)));
    expect(rows).toHaveLength(ids.size);
    expect(new Set(rows.map((r) => r.ref_id))).toEqual(ids);
    const verified = await verifyLedger(pool, []);
    expect(verified).toMatchObject({ ok: true, entries: BigInt(ids.size) });
  });

  it("a rolled-back append leaves no hole: the next append reuses the seq", async () => {
    await insertDelivery(pool);
    await drain();
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT 1 FROM ledger_head WHERE id = 1 FOR UPDATE");
      await client.query("INSERT INTO ledger_entry (seq, kind, ref_id, leaf_hash) VALUES (1, 'audit', gen_random_uuid(), '\\x00')");
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }
    await insertDelivery(pool);
    await drain();
    expect((await entries()).map((e) => e.seq)).toEqual(["0", "1"]);
  });
});

describe("checkpoints and verification", () => {
  async function seedWithCheckpoints(): Promise<string[]> {
    const ids = [await insertDelivery(pool, '{"n":1}'), await insertDelivery(pool, '{"n":2}')];
    await insertAuditEntry(pool);
    await drain();
    await createCheckpoint(pool, key, { now: new Date(Date.now() - 7_200_000) });
    ids.push(await insertDelivery(pool, '{"n":3}'));
    await drain();
    await createCheckpoint(pool, key, { now: new Date(Date.now() - 3_600_000) });
    // An hour with nothing new still gets its checkpoint.
    await createCheckpoint(pool, key);
    return ids;
  }

  it("signed checkpoints chain, cover the RFC 6962 root, and verify", async () => {
    await seedWithCheckpoints();
    const { rows } = await pool.query<{ number: string; tree_size: string; root_hash: Buffer; statement: string }>(
      "SELECT number::text AS number, tree_size::text AS tree_size, root_hash, statement FROM ledger_checkpoint ORDER BY ledger_checkpoint.number",
    );
    expect(rows.map((r) => [r.number, r.tree_size])).toEqual([
      ["0", "3"],
      ["1", "4"],
      ["2", "4"],
    ]);
    const leaves = (await pool.query<{ leaf_hash: Buffer }>("SELECT leaf_hash FROM ledger_entry ORDER BY ledger_entry.seq")).rows.map((r) => r.leaf_hash);
    let frontier: Buffer[] = [];
    leaves.forEach((leaf, i) => (frontier = appendToFrontier(frontier, BigInt(i), leaf)));
    expect(rows[2]!.root_hash.equals(rootFromFrontier(frontier))).toBe(true);
    expect(rows[0]!.statement).toMatch(/^custody-ledger-checkpoint\/v1\nnumber 0\ntree_size 3\nroot [0-9a-f]{64}\ntime .+Z\nprevious -\nkey [0-9a-f]{64}\n$/);
    expect(await verifyLedger(pool, [key])).toEqual({ ok: true, entries: 4n, checkpoints: 3, root: rootFromFrontier(frontier).toString("hex") });

    // Proofs for the evidence pack come from the stored leaf hashes: seq 1 is in checkpoint 0, and checkpoint 0's tree is a prefix of checkpoint 1's.
    expect(verifyInclusionProof(leaves[1]!, 1, 3, buildInclusionProof(leaves.slice(0, 3), 1), rows[0]!.root_hash)).toBe(true);
    expect(verifyConsistencyProof(3, 4, rows[0]!.root_hash, rows[1]!.root_hash, buildConsistencyProof(leaves, 3))).toBe(true);
  });

  it("a checkpoint written while appends run takes turns with them, never in the middle of a batch", async () => {
    for (let i = 0; i < 50; i++) await insertDelivery(pool);
    await Promise.all([drain(), createCheckpoint(pool, key), drain(), createCheckpoint(pool, key, { now: new Date(Date.now() + 1) })]);
    expect((await verifyLedger(pool, [key])).ok).toBe(true);
  });

  it("an edited delivery body is caught at its seq", async () => {
    const [, second] = await seedWithCheckpoints();
    await pool.query("UPDATE delivery SET body = $2 WHERE id = $1", [second, Buffer.from('{"n":9}')]);
    expect(await verifyLedger(pool, [key])).toMatchObject({ ok: false, problem: `seq 1: delivery ${second} was changed after it was appended (leaf hash differs)` });
  });

  it("a removed delivery is caught at its seq", async () => {
    const [first] = await seedWithCheckpoints();
    await pool.query("DELETE FROM delivery WHERE id = $1", [first]);
    expect(await verifyLedger(pool, [key])).toMatchObject({ ok: false, problem: `seq 0: delivery ${first} is missing from the database` });
  });

  it("a leaf hash rewritten by the table owner to match an edited body is caught by the checkpoint root", async () => {
    const [, second] = await seedWithCheckpoints();
    await pool.query("UPDATE delivery SET body = $2 WHERE id = $1", [second, Buffer.from('{"n":9}')]);
    const row = (await pool.query<TDeliveryLeafRow>(`SELECT ${deliveryLeafColumns} FROM delivery WHERE id = $1`, [second])).rows[0]!;
    await asTableOwner(pool, "ledger_entry", "UPDATE ledger_entry SET leaf_hash = $1 WHERE seq = 1", [hashLeaf(buildDeliveryLeaf(row))]);
    expect(await verifyLedger(pool, [key])).toMatchObject({ ok: false, problem: "checkpoint 0: root hash does not match the ledger's first 3 entries" });
  });

  it("an entry removed by the table owner leaves a hole that is caught", async () => {
    await seedWithCheckpoints();
    await asTableOwner(pool, "ledger_entry", "DELETE FROM ledger_entry WHERE seq = 1");
    expect(await verifyLedger(pool, [key])).toMatchObject({ ok: false, problem: "seq 1 is missing (the next entry is seq 2)" });
  });

  it("a forged checkpoint (other key, or edited statement) is caught", async () => {
    await seedWithCheckpoints();
    const intruder = newSigningKey();
    expect(await verifyLedger(pool, [intruder])).toMatchObject({ ok: false, problem: `checkpoint 0: signed by key ${key.fingerprint}, which is not a trusted key` });

    // Re-sign checkpoint 1 with another key claiming the trusted fingerprint: the signature fails.
    const { sign } = await import("node:crypto");
    const { rows } = await pool.query<{ statement: string }>("SELECT statement FROM ledger_checkpoint WHERE number = 1");
    const forged = rows[0]!.statement.replace(/tree_size 4/, "tree_size 3");
    await asTableOwner(pool, "ledger_checkpoint", "UPDATE ledger_checkpoint SET statement = $1, tree_size = 3, signature = $2 WHERE number = 1", [
      forged,
      sign(null, Buffer.from(forged), intruder.privateKey),
    ]);
    expect(await verifyLedger(pool, [key])).toMatchObject({ ok: false, problem: "checkpoint 1: the signature does not verify" });
  });

  it("a checkpoint removed from the chain is caught", async () => {
    await seedWithCheckpoints();
    await asTableOwner(pool, "ledger_checkpoint", "DELETE FROM ledger_checkpoint WHERE number = 1");
    expect(await verifyLedger(pool, [key])).toMatchObject({ ok: false, problem: "checkpoint 1 is missing (after checkpoint 0 comes checkpoint 2)" });
  });

  it("a chain renumbered after a removal is caught by the previous-checkpoint hash", async () => {
    await seedWithCheckpoints();
    // Drop checkpoints 1 and 2 and re-sign the last one as number 1 with the right key: its link still names checkpoint 1.
    const { sign } = await import("node:crypto");
    const rewritten = (await pool.query<{ statement: string }>("SELECT statement FROM ledger_checkpoint WHERE number = 2")).rows[0]!.statement.replace("number 2", "number 1");
    await asTableOwner(pool, "ledger_checkpoint", "DELETE FROM ledger_checkpoint WHERE number >= 1");
    await asTableOwner(
      pool,
      "ledger_checkpoint",
      `INSERT INTO ledger_checkpoint (number, tree_size, root_hash, created_at, previous_hash, key_fingerprint, statement, signature)
       SELECT 1, 4, decode(substring($1 from 'root ([0-9a-f]{64})'), 'hex'), substring($1 from 'time ([^\\n]+)')::timestamptz,
              decode(substring($1 from 'previous ([0-9a-f]{64})'), 'hex'), $2, $1, $3`,
      [rewritten, key.fingerprint, sign(null, Buffer.from(rewritten), key.privateKey)],
    );
    expect(await verifyLedger(pool, [key])).toMatchObject({ ok: false, problem: "checkpoint 1: previous hash does not match checkpoint 0 (a checkpoint was removed or rewritten)" });
  });

  it("a chain of more than ten checkpoints verifies in numeric order", async () => {
    const start = Date.now() - 12 * 3_600_000;
    for (let i = 0; i < 12; i++) {
      await insertDelivery(pool);
      await drain();
      expect(await createCheckpoint(pool, key, { now: new Date(start + i * 3_600_000) })).toMatchObject({ number: BigInt(i), treeSize: BigInt(i + 1) });
    }
    expect(await verifyLedger(pool, [key])).toMatchObject({ ok: true, entries: 12n, checkpoints: 12 });
  });

  it("createCheckpoint with an interval writes nothing until the newest checkpoint is that old", async () => {
    expect(await createCheckpoint(pool, key, { intervalSeconds: 3600 })).not.toBeNull();
    expect(await createCheckpoint(pool, key, { intervalSeconds: 3600 })).toBeNull();
    expect(await createCheckpoint(pool, key, { intervalSeconds: 3600, now: new Date(Date.now() + 3_601_000) })).toMatchObject({ number: 1n, treeSize: 0n });
  });
});
