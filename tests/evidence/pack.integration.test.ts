// Evidence packs from a seeded story: exported through the library and the route, verified by the
// library, by the script inside the pack run on its own, and by `npx custody verify`.
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildStory } from "../fixtures/story.ts";
import { appOrigin, configureAuth, truncateAuth } from "../support/auth-fixtures.ts";
import { truncateAll } from "../support/graph-snapshot.ts";
import { insertDelivery, newSigningKey, resetLedger } from "../support/ledger-fixtures.ts";
import { runCustody } from "../support/spawn-custody.ts";
import { configureWebhookSecrets } from "../support/webhook-requests.ts";
import { collectPack, entriesOf, resign, writeZip } from "./pack-fixtures.ts";
import { processPending, sendStoryDelivery, storyDeliveryId } from "../support/story-ingest.ts";

configureWebhookSecrets();
const key = newSigningKey();
configureAuth({ CUSTODY_SIGNING_KEY: key.privatePem });
const { GET: getEvidence } = await import("@/app/api/v1/evidence/route");
const { getPool, getReportPool, closeDb } = await import("@/lib/db");
const { resetEnvCache } = await import("@/lib/env");
const { createApiToken } = await import("@/lib/auth/create-api-token");
const { appendToLedger } = await import("@/lib/evidence/append-to-ledger");
const { createCheckpoint } = await import("@/lib/evidence/create-checkpoint");
const { exportEvidencePack } = await import("@/lib/evidence/pack/export-evidence-pack");
const { ZEvidencePackQuery } = await import("@/lib/contracts/evidence-pack");
const { verifyPack, readZip } = await import("@/lib/evidence/pack/verify-pack.mjs");
const { exportKinds } = await import("@/lib/exports/export-kinds");
const { getDeployReceipt } = await import("@/lib/domain/get-deploy-receipt");

const pool = getPool();
const cli = { type: "cli", id: null, label: "cli:test" } as const;
const september = ZEvidencePackQuery.parse({ from: "2026-09-01T00:00:00Z", to: "2026-10-01T00:00:00Z" });
const ctx = { params: Promise.resolve({}) };
let viewer = "";
let auditor = "";
const dirs: string[] = [];
const get = (query: string, token: string | null) => new Request(`${appOrigin}/api/v1/evidence?${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
const exportSeptember = () => collectPack((out) => exportEvidencePack(september, cli, out));

/** Stores one story through the webhook routes, processes it, and dates its deliveries `day`, a second apart. */
async function ingestStory(seed: number, day: string): Promise<void> {
  let index = 0;
  for (const delivery of buildStory({ seed })) {
    index += 1;
    const response = await sendStoryDelivery(delivery, storyDeliveryId(index, `${seed}00`));
    expect([200, 202]).toContain(response.status);
  }
  await processPending(pool);
  await pool.query(
    `UPDATE delivery d SET received_at = $1::timestamptz + n.i * interval '1 second'
     FROM (SELECT id, row_number() OVER (ORDER BY received_at, id) AS i FROM delivery WHERE received_at > '2026-11-01') n WHERE n.id = d.id`,
    [day],
  );
}

beforeAll(async () => {
  await truncateAll(pool);
  await truncateAuth(pool);
  await resetLedger(pool);
  await ingestStory(1, "2026-09-14T09:00:00Z");
  await ingestStory(2, "2026-10-14T09:00:00Z");
  // Every story deploys on 2026-09-14: seed 3's merge request, pipeline and build deliveries were
  // received in August, before the September period its deployments are in (seed 2's after it).
  await ingestStory(3, "2026-08-14T09:00:00Z");
  viewer = (await createApiToken({ name: "viewer", role: "viewer", expiresInSeconds: 3600, actor: cli })).token;
  auditor = (await createApiToken({ name: "auditor", role: "auditor", expiresInSeconds: 3600, actor: cli })).token;
});
afterAll(async () => {
  await truncateAuth(pool);
  await truncateAll(pool);
  await resetLedger(pool);
  await closeDb();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** What a pack for September must hold: deliveries received in it, and every delivery a report row rests on. */
async function septemberDeliveries(): Promise<{ inPeriod: string[]; restsOn: string[] }> {
  const inPeriod = (await pool.query<{ id: string }>("SELECT id FROM delivery WHERE received_at >= $1 AND received_at < $2", [september.from, september.to])).rows.map((r) => r.id);
  const restsOn = new Set<string>();
  const deployments = await pool.query<{ id: string }>("SELECT id FROM deployment WHERE occurred_at >= $1 AND occurred_at < $2", [september.from, september.to]);
  for (const { id } of deployments.rows) for (const e of (await getDeployReceipt(id))!.evidence) restsOn.add(e.deliveryId);
  const credentials = await pool.query<{ delivery_id: string }>(
    `SELECT delivery_id FROM fact_evidence WHERE entity_id IN (
       SELECT key FROM credential WHERE issued_at >= $1 AND issued_at < $2 UNION SELECT 'role-session:aws:' || event_id FROM role_session WHERE issued_at >= $1 AND issued_at < $2)`,
    [september.from, september.to],
  );
  for (const row of credentials.rows) restsOn.add(row.delivery_id);
  for (const id of inPeriod) restsOn.delete(id);
  return { inPeriod, restsOn: [...restsOn] };
}

describe("exporting an evidence pack", () => {
  it("holds every delivery of the period with its exact bytes and headers, the reports and the covering checkpoint, and verifies", async () => {
    const pack = await exportSeptember();
    const result = verifyPack(pack, { pinnedFingerprint: key.fingerprint });
    expect(result).toMatchObject({ ok: true, fingerprint: key.fingerprint, checkpoints: 1 });
    const { rows } = await pool.query<{ id: string; body: Buffer; headers: unknown }>(
      "SELECT id, body, headers FROM delivery WHERE received_at >= $1 AND received_at < $2 ORDER BY id",
      [september.from, september.to],
    );
    expect(rows.length).toBe(buildStory({ seed: 1 }).length);
    const entries = new Map(readZip(pack).map((e) => [e.name, e.data]));
    for (const row of rows) {
      expect(entries.get(`deliveries/${row.id}.body`)!.equals(row.body), row.id).toBe(true);
      const record = JSON.parse(entries.get(`deliveries/${row.id}.json`)!.toString("utf8"));
      expect(record.leaf.headers).toEqual(row.headers);
    }
    const names = [...entries.keys()];
    expect(names.slice(0, 3)).toEqual(["README.txt", "verify-pack.mjs", "public-key.pem"]);
    expect(names.slice(-2)).toEqual(["manifest.json", "manifest.sig"]);
    for (const report of ["change-management", "credentials", "completeness"]) {
      expect(names).toContain(`reports/${report}.csv`);
      expect(JSON.parse(entries.get(`reports/${report}.json`)!.toString("utf8"))).toMatchObject({ report, filters: { from: september.from, to: september.to } });
    }
    const completeness = JSON.parse(entries.get("reports/completeness.json")!.toString("utf8"));
    expect(completeness.rows.reduce((n: number, r: { deliveries: number }) => n + r.deliveries, 0)).toBe(rows.length);
    const manifest = JSON.parse(entries.get("manifest.json")!.toString("utf8"));
    expect(manifest).toMatchObject({ period: { from: september.from, to: september.to }, filters: { environment: [] }, exportedBy: { label: "cli:test" }, custodyVersion: expect.any(String) });
    expect(manifest.counts).toMatchObject({ deliveriesReceivedInPeriod: rows.length, checkpoints: 1 });
    expect(entries.get("verify-pack.mjs")!.equals(await readFile("lib/evidence/pack/verify-pack.mjs"))).toBe(true);
  });

  it("reads each report once, so its CSV and JSON hold the same rows", async () => {
    // The change-management report's reads go through the report pool: one batch end and one batch per read.
    const connects = vi.spyOn(getReportPool(), "connect");
    const entries = new Map(readZip(await exportSeptember()).map((e) => [e.name, e.data]));
    expect(connects).toHaveBeenCalledTimes(2);
    connects.mockRestore();
    const csvIds = entries.get("reports/change-management.csv")!.toString("utf8").trimEnd().split("\r\n").slice(1).map((line) => line.split(",")[1]);
    const json = JSON.parse(entries.get("reports/change-management.json")!.toString("utf8")) as { rows: { deploymentId: string }[] };
    expect(csvIds.length).toBeGreaterThan(0);
    expect(json.rows.map((r) => r.deploymentId)).toEqual(csvIds);
  });

  it("also holds, in ledger order, every delivery a report row rests on that was received outside the period, and no other", async () => {
    const unrelated = await insertDelivery(pool, '{"unrelated":true}', new Date("2026-08-20T00:00:00Z"));
    const pack = await exportSeptember();
    const result = verifyPack(pack, { pinnedFingerprint: key.fingerprint });
    expect(result.ok).toBe(true);
    const { inPeriod, restsOn } = await septemberDeliveries();
    const entries = readZip(pack);
    const ids = entries.filter((e) => e.name.endsWith(".body")).map((e) => e.name.slice("deliveries/".length, -".body".length));
    expect([...ids].sort()).toEqual([...inPeriod, ...restsOn].sort());
    expect(ids).not.toContain(unrelated);
    const seqs = entries.filter((e) => /^deliveries\/.*\.json$/.test(e.name)).map((e) => JSON.parse(e.data.toString("utf8")).seq as number);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const manifest = JSON.parse(entries.find((e) => e.name === "manifest.json")!.data.toString("utf8"));
    expect(manifest.counts).toMatchObject({ deliveries: ids.length, deliveriesReceivedInPeriod: inPeriod.length, deliveriesReportsRestOn: restsOn.length });

    // Seed 3's deployments rest on its merge request, pipeline and build deliveries received in August: in, byte for byte.
    const before = await pool.query<{ id: string; event_type: string; body: Buffer }>(
      "SELECT id, event_type, body FROM delivery WHERE id = ANY($1::uuid[]) AND received_at < $2",
      [restsOn, september.from],
    );
    const events = new Set(before.rows.map((r) => r.event_type));
    expect(events).toContain("Merge Request Hook");
    expect(events).toContain("Pipeline Hook");
    const bodies = new Map(entries.map((e) => [e.name, e.data]));
    for (const row of before.rows) expect(bodies.get(`deliveries/${row.id}.body`)!.equals(row.body), row.id).toBe(true);
    // Seed 2's, received in October, are in too; seed 3's deliveries no row rests on are not.
    expect(restsOn.length).toBeGreaterThan(before.rows.length);
    const august = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM delivery WHERE received_at >= '2026-08-01' AND received_at < $1", [september.from]);
    expect(before.rows.length).toBeLessThan(august.rows[0]!.n);
  });

  it("signs a fresh checkpoint when the newest one does not cover the period's deliveries, and reuses one that does", async () => {
    while ((await appendToLedger(pool, { sweep: true })) > 0);
    const before = await createCheckpoint(pool, key);
    await insertDelivery(pool, '{"late":true}', new Date("2026-09-20T00:00:00Z"));
    const count = async () => (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_checkpoint")).rows[0]!.n;
    const checkpointsBefore = await count();
    const pack = await exportSeptember();
    expect(await count()).toBe(checkpointsBefore + 1);
    const manifest = JSON.parse(readZip(pack).find((e) => e.name === "manifest.json")!.data.toString("utf8"));
    expect(manifest.checkpoints[0].number).toBe(Number(before!.number) + 1);
    expect(verifyPack(pack, { pinnedFingerprint: key.fingerprint }).ok).toBe(true);
    await exportSeptember();
    expect(await count()).toBe(checkpointsBefore + 1);
  });

  it("is recorded in the audit trail, which the ledger then holds, and reports its progress", async () => {
    const progress: [number, number][] = [];
    const pack = await collectPack((out) => exportEvidencePack(september, cli, out, (done, total) => progress.push([done, total])));
    const manifest = JSON.parse(readZip(pack).find((e) => e.name === "manifest.json")!.data.toString("utf8"));
    const { inPeriod, restsOn } = await septemberDeliveries();
    const total = inPeriod.length + restsOn.length;
    expect(restsOn.length).toBeGreaterThan(0);
    expect(manifest.counts.deliveries).toBe(total);
    expect(progress[0]).toEqual([0, total]);
    expect(progress.at(-1)).toEqual([total, total]);
    const { rows } = await pool.query("SELECT action, target, actor_label, details FROM audit_entry WHERE id = $1", [manifest.auditEntryId]);
    expect(rows[0]).toMatchObject({ action: "export", target: "evidence pack", actor_label: "cli:test", details: { from: september.from, to: september.to } });
    while ((await appendToLedger(pool, { sweep: true })) > 0);
    const ledger = await pool.query("SELECT seq FROM ledger_entry WHERE kind = 'audit' AND ref_id = $1", [manifest.auditEntryId]);
    expect(ledger.rows).toHaveLength(1);
  });
});

describe("an evidence pack exported in the background", () => {
  it("is the same verifying zip, with progress counted in deliveries", async () => {
    const kind = exportKinds["evidence-pack"]!;
    const params = kind.params.parse({ from: september.from, to: september.to });
    expect(kind.filename(params)).toBe("custody-evidence-2026-09-01-2026-10-01.zip");
    expect(kind.contentType).toBe("application/zip");
    const progress: [number, number | null][] = [];
    const pack = await collectPack((out) => kind.run(params, cli, out, (done, total) => progress.push([done, total])));
    expect(verifyPack(pack, { pinnedFingerprint: key.fingerprint }).ok).toBe(true);
    const deliveries = JSON.parse(readZip(pack).find((e) => e.name === "manifest.json")!.data.toString("utf8")).counts.deliveries;
    expect(deliveries).toBeGreaterThan(0);
    expect(progress.at(-1)).toEqual([deliveries, deliveries]);
    expect(() => kind.params.parse({ from: september.to, to: september.from })).toThrow();
  });
});

describe("GET /api/v1/evidence", () => {
  it("refuses anonymous callers (401) and viewers (403)", async () => {
    expect((await getEvidence(get("from=2026-09-01T00:00:00Z&to=2026-10-01T00:00:00Z", null), ctx)).status).toBe(401);
    expect((await getEvidence(get("from=2026-09-01T00:00:00Z&to=2026-10-01T00:00:00Z", viewer), ctx)).status).toBe(403);
  });

  it("gives an auditor a zip that verifies, named after the period; bad filters are a 400", async () => {
    const response = await getEvidence(get("from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z&environment=production", auditor), ctx);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toContain("custody-evidence-2026-10-01-2026-11-01.zip");
    const pack = Buffer.from(await response.arrayBuffer());
    const result = verifyPack(pack, { pinnedFingerprint: key.fingerprint });
    const october = await pool.query("SELECT id FROM delivery WHERE received_at >= '2026-10-01' AND received_at < '2026-11-01'");
    expect(october.rows.length).toBeGreaterThan(10);
    expect(result).toMatchObject({ ok: true, deliveries: october.rows.length });
    expect(result.ok && result.manifest).toMatchObject({ filters: { environment: ["production"] }, exportedBy: { type: "token", label: "token:auditor" } });
    expect((await getEvidence(get("from=2026-10-01T00:00:00Z&to=2026-09-01T00:00:00Z", auditor), ctx)).status).toBe(400);
  });

  it("answers 409 naming the missing signing key, and records nothing, when none is configured", async () => {
    delete process.env.CUSTODY_SIGNING_KEY;
    resetEnvCache();
    try {
      const audits = async () => (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_entry WHERE target = 'evidence pack'")).rows[0]!.n;
      const before = await audits();
      const response = await getEvidence(get("from=2026-09-01T00:00:00Z&to=2026-10-01T00:00:00Z", auditor), ctx);
      expect(response.status).toBe(409);
      expect((await response.json()).detail).toMatch(/CUSTODY_SIGNING_KEY/);
      expect(await audits()).toBe(before);
    } finally {
      process.env.CUSTODY_SIGNING_KEY = key.privatePem;
      resetEnvCache();
    }
  });
});

describe("verifying a pack outside Custody", () => {
  it("the script inside the pack and `npx custody verify` pass an untouched pack and name the problem in a tampered one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "custody-pack-"));
    dirs.push(dir);
    const pack = await exportSeptember();
    const good = join(dir, "pack.zip");
    await writeFile(good, pack);
    const entries = entriesOf(pack);
    const body = entries.find((e) => e.name.endsWith(".body"))!;
    body.data = Buffer.concat([body.data, Buffer.from(" ")]);
    const bad = join(dir, "tampered.zip");
    await writeFile(bad, await writeZip(entries));
    const other = newSigningKey();
    const forged = join(dir, "forged.zip");
    await writeFile(forged, await resign(entriesOf(pack), other, { checkpoints: true }));
    await writeFile(join(dir, "verify-pack.mjs"), entries.find((e) => e.name === "verify-pack.mjs")!.data);
    await writeFile(join(dir, "key.pub.pem"), key.publicKeyPem);

    const script = (file: string, ...args: string[]) => spawnSync(process.execPath, [join(dir, "verify-pack.mjs"), file, ...args], { cwd: dir, encoding: "utf8" });
    const ok = script(good, "--key", join(dir, "key.pub.pem"));
    expect(ok.status, ok.stderr).toBe(0);
    const { inPeriod, restsOn } = await septemberDeliveries();
    expect(ok.stdout).toContain(`Evidence pack OK: ${inPeriod.length + restsOn.length} deliveries`);
    expect(ok.stdout).toContain(key.fingerprint);
    const tampered = script(bad);
    expect(tampered.status).toBe(1);
    expect(tampered.stderr).toContain(`FAILED: ${body.name}: SHA-256 differs from the manifest`);
    expect(script(forged).status).toBe(0);
    const pinned = script(forged, "--key", key.fingerprint);
    expect(pinned.status).toBe(1);
    expect(pinned.stderr).toContain(`not by the pinned key ${key.fingerprint}`);

    const run = async (args: string[]) => {
      const running = runCustody(args, {});
      return { code: await running.exited, output: running.output() };
    };
    const cliOk = await run(["verify", good, "--key", join(dir, "key.pub.pem")]);
    expect(cliOk.code, cliOk.output).toBe(0);
    expect(cliOk.output).toContain("The key matches the pinned key.");
    const cliBad = await run(["verify", bad]);
    expect(cliBad.code).toBe(1);
    expect(cliBad.output).toContain(`${body.name}: SHA-256 differs from the manifest`);
    expect((await run(["verify"])).code).toBe(2);
  });
});
