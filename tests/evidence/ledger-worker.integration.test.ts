// The worker keeps the ledger: deliveries acknowledged by the routes (and audit entries) are appended
// off the request path, once each even with two workers, and checkpoints are signed on schedule.
import type { Runner } from "graphile-worker";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { pollUntil } from "../support/poll-until.ts";
import { truncateAll } from "../support/graph-snapshot.ts";
import { insertAuditEntry, insertDelivery, newSigningKey, resetLedger } from "../support/ledger-fixtures.ts";
import { buildkiteRequest, configureWebhookSecrets } from "../support/webhook-requests.ts";

configureWebhookSecrets();
const { POST: postBuildkite } = await import("@/app/api/webhooks/buildkite/route");
const { getPool, closeDb } = await import("@/lib/db");
const { resetEnvCache } = await import("@/lib/env");
const { runWorker } = await import("@/lib/queue/run-worker");
const { verifyLedger } = await import("@/lib/evidence/verify-ledger");

const pool = getPool();
const runners: Runner[] = [];
const key = newSigningKey();

const count = async (table: "ledger_entry" | "ledger_checkpoint") => (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

beforeEach(async () => {
  await truncateAll(pool);
  await resetLedger(pool);
});
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
  delete process.env.CUSTODY_SIGNING_KEY;
  delete process.env.CUSTODY_CHECKPOINT_INTERVAL;
  resetEnvCache();
});
afterAll(async () => {
  await truncateAll(pool);
  await resetLedger(pool);
  await closeDb();
});

describe("the worker's ledger loop", () => {
  it("two workers append every acknowledged delivery, older stored rows and audit entries once, and sign a checkpoint", async () => {
    // Inline PEM with escaped newlines, as it would sit in a .env file.
    process.env.CUSTODY_SIGNING_KEY = key.privatePem.replace(/\n/g, "\\n");
    process.env.CUSTODY_CHECKPOINT_INTERVAL = "1h";
    resetEnvCache();
    const before = await insertDelivery(pool, '{"stored":"before the ledger"}', new Date("2024-01-01T00:00:00Z"));
    await insertAuditEntry(pool);
    runners.push(await runWorker({ concurrency: 1 }), await runWorker({ concurrency: 1 }));
    for (let i = 0; i < 25; i++) {
      const body = JSON.stringify({ event: "ping", n: i });
      expect((await postBuildkite(buildkiteRequest("ping", body))).status).toBe(202);
    }
    await pollUntil("27 ledger entries and a checkpoint", async () => ((await count("ledger_entry")) === 27 && (await count("ledger_checkpoint")) >= 1 ? true : undefined), {
      timeoutMs: 20_000,
      describeLast: async () => ({ entries: await count("ledger_entry"), checkpoints: await count("ledger_checkpoint") }),
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await count("ledger_entry")).toBe(27);
    // One checkpoint per interval between both workers.
    expect(await count("ledger_checkpoint")).toBe(1);
    const first = await pool.query<{ ref_id: string }>("SELECT ref_id FROM ledger_entry WHERE seq = 0");
    expect(first.rows[0]!.ref_id).toBe(before);
    expect(await verifyLedger(pool, [key])).toMatchObject({ ok: true, entries: 27n, checkpoints: 1 });
  }, 40_000);

  it("without a signing key the worker still appends but writes no checkpoint", async () => {
    runners.push(await runWorker({ concurrency: 1 }));
    await insertDelivery(pool);
    await pollUntil("one ledger entry", async () => ((await count("ledger_entry")) === 1 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await count("ledger_checkpoint")).toBe(0);
  }, 30_000);
});
