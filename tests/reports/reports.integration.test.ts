import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildStory } from "../fixtures/story.ts";
import { configureWebhookSecrets } from "../support/webhook-requests.ts";
import { truncateAll } from "../support/graph-snapshot.ts";
import { appOrigin, configureAuth, truncateAuth } from "../support/auth-fixtures.ts";
import { processPending, sendStoryDelivery, storyDeliveryId } from "../support/story-ingest.ts";

// The three reports over two stories ingested through the real webhook routes into real Postgres.
// The second story is then given exceptions: its author approves it, a commit is written by an
// approver, its main pipeline fails; a credential outlives the policy and a role session is used from
// outside CI. Findings must match the deploy receipt's, deployment by deployment.

configureWebhookSecrets();
configureAuth();
const { getPool, getReportPool, closeDb } = await import("@/lib/db");
const { describeCredential } = await import("@/lib/reports/find-change-management-rows");
const { createApiToken } = await import("@/lib/auth/create-api-token");
const { getDeployReceipt } = await import("@/lib/domain/get-deploy-receipt");
const { ZReportQuery, ZChangeManagementRow, ZCredentialRow, ZCompletenessRow } = await import("@/lib/contracts/reports");
const { buildChangeManagementReport } = await import("@/lib/reports/build-change-management-report");
const { buildCredentialsReport } = await import("@/lib/reports/build-credentials-report");
const { buildCompletenessReport } = await import("@/lib/reports/build-completeness-report");
const { writeReportCsv } = await import("@/lib/reports/write-report-csv");
const changeRoute = await import("@/app/api/v1/reports/change-management/route");
const credentialsRoute = await import("@/app/api/v1/reports/credentials/route");
const completenessRoute = await import("@/app/api/v1/reports/completeness/route");

const pool = getPool();
const cli = { type: "cli", id: null, label: "cli:test" } as const;
const september = { from: "2026-09-01T00:00:00Z", to: "2026-10-01T00:00:00Z" };
let viewer = "";
let auditor = "";
const get = (path: string, token: string | null = auditor) => new Request(`${appOrigin}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
const ctx = { params: Promise.resolve({}) };
const q = (extra: Record<string, string> = {}) => ZReportQuery.parse({ ...september, ...extra });
async function all<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

beforeAll(async () => {
  await truncateAll(pool);
  await truncateAuth(pool);
  await pool.query("TRUNCATE credential, role_session");
  let index = 0;
  for (const seed of [1, 2]) {
    for (const delivery of buildStory({ seed })) {
      index += 1;
      const response = await sendStoryDelivery(delivery, storyDeliveryId(index));
      expect([200, 202]).toContain(response.status);
    }
  }
  await processPending(pool);

  // Exceptions on the second story's change (MR !18).
  const mr = (await pool.query<{ id: string; author_account_id: string; merge_commit_sha: string }>("SELECT id, author_account_id, merge_commit_sha FROM merge_request WHERE iid = 18")).rows[0]!;
  await pool.query("INSERT INTO merge_request_approval (merge_request_id, account_id, approved_at) VALUES ($1, $2, '2026-09-14T09:30:00Z')", [mr.id, mr.author_account_id]);
  await pool.query("UPDATE pipeline SET status = 'failed' WHERE sha = $1", [mr.merge_commit_sha]);
  const carol = (await pool.query<{ id: string }>("SELECT id FROM account WHERE system = 'gitlab' AND username = 'carol'")).rows[0]!;
  const person = (await pool.query<{ id: string }>("INSERT INTO person (id, display_name) VALUES (gen_random_uuid(), 'Carol') RETURNING id")).rows[0]!;
  await pool.query("UPDATE account SET person_id = $1 WHERE id = $2", [person.id, carol.id]);
  await pool.query("INSERT INTO account (id, system, external_id, name, email, person_id) VALUES (gen_random_uuid(), 'buildkite', 'carol-bk', 'Carol', 'carol@acme.test', $1)", [person.id]);
  await pool.query(
    "UPDATE commit SET author_email = 'carol@acme.test' WHERE sha = (SELECT sha FROM merge_request_commit WHERE merge_request_id = $1 ORDER BY sha LIMIT 1)",
    [mr.id],
  );
  // A credential of the first story's deploy job that lived two hours, and a role session from outside CI.
  await pool.query(
    `INSERT INTO credential (id, key, kind, provider, issuer, subject, audience, issued_at, expires_at, job_external_id, ref, environment, claims)
     VALUES (gen_random_uuid(), 'https://agent.buildkite.com|jti-1', 'oidc', 'buildkite', 'https://agent.buildkite.com', 'organization:acme:pipeline:payments-api-deploy:ref:refs/heads/main',
             'sts.amazonaws.com', '2026-09-14T10:02:36Z', '2026-09-14T12:02:36Z', '33675233-2580-4883-91ef-9a25fb852b87', 'refs/heads/main', 'production', '{}')`,
  );
  await pool.query(
    `INSERT INTO role_session (id, event_id, role_arn, subject, source_ip, issued_at, expires_at)
     VALUES (gen_random_uuid(), 'evt-outside', 'arn:aws:iam::1:role/deploy', 'someone', '203.0.113.9', '2026-09-15T01:00:00Z', '2026-09-15T02:00:00Z')`,
  );
  viewer = (await createApiToken({ name: "viewer", role: "viewer", expiresInSeconds: 3600, actor: cli })).token;
  auditor = (await createApiToken({ name: "auditor", role: "auditor", expiresInSeconds: 3600, actor: cli })).token;
});
afterAll(async () => {
  await truncateAuth(pool);
  await truncateAll(pool);
  await pool.query("TRUNCATE credential, role_session");
  await closeDb();
});

describe("the change-management report", () => {
  it("lists every deployment of the period with the receipt's findings, plus approval by a committer", async () => {
    const report = buildChangeManagementReport(q());
    const rows = (await all(report.rows)).map((row) => ZChangeManagementRow.parse(row));
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => r.occurredAt)).toEqual([...rows.map((r) => r.occurredAt)].sort());
    for (const row of rows) {
      // The report follows the receipt's chain: the same links, approvals, gates and credentials.
      const receipt = (await getDeployReceipt(row.deploymentId))!;
      expect(row.findings.map((f) => f.code).filter((c) => c !== "approved_by_committer").sort()).toEqual(receipt.findings.map((f) => f.code).sort());
      expect(row.commitSha).toBe(receipt.commitSha);
      expect(row.project).toBe(receipt.project);
      expect(row.mergeRequests).toEqual(receipt.mergeRequests.map((m) => `${m.project}!${m.iid} (${m.state})`));
      expect([...row.approvers].sort()).toEqual(receipt.mergeRequests.flatMap((m) => m.approvers.map((a) => `${a.username} ${a.approvedAt}`)).sort());
      expect([...row.pipelines].sort()).toEqual(receipt.pipelines.map((p) => `#${p.id} ${p.status}`).sort());
      expect([...row.builds].sort()).toEqual(receipt.builds.map((b) => `${b.pipeline}#${b.number} ${b.state}`).sort());
      expect(row.gates.length).toBe(receipt.builds.flatMap((b) => b.gates).length);
      for (const gate of receipt.builds.flatMap((b) => b.gates)) expect(row.gates.join("\n")).toContain(`${gate.label}: ${gate.state}`);
      expect([...row.credentials].sort()).toEqual(receipt.credentials.map(describeCredential).sort());
    }
    expect(rows.some((r) => r.credentials.length > 0 && r.gates.length > 0 && r.pipelines.length > 0)).toBe(true);
    const clean = rows.filter((r) => r.mergeRequests[0]!.startsWith("acme/payments-api!17"));
    const flawed = rows.filter((r) => r.mergeRequests[0]!.startsWith("acme/payments-api!18"));
    expect(clean).toHaveLength(2);
    expect(flawed).toHaveLength(2);
    for (const row of clean) {
      expect(row).toMatchObject({ environment: "production", authors: ["alice"], mergedBy: ["dave"] });
      expect(row.approvers.map((a) => a.split(" ")[0]).sort()).toEqual(["bob", "carol"]);
      expect(row.gates.join()).toContain("erin@acme.test");
      expect(row.findings.map((f) => f.code)).toContain("credential_lifetime");
      expect(row.findings.map((f) => f.code)).not.toContain("self_approval");
    }
    for (const row of flawed) {
      expect(row.findings.map((f) => f.code)).toEqual(expect.arrayContaining(["self_approval", "failed_pipeline", "approved_by_committer"]));
      expect(row.findings.map((f) => f.code)).not.toContain("credential_lifetime");
    }
    expect(report.summary()).toMatchObject({
      deployments: 4,
      byEnvironment: { production: 4 },
      exceptions: rows.filter((r) => r.findings.length).length,
      findings: { self_approval: 2, failed_pipeline: 2, approved_by_committer: 2, credential_lifetime: 2 },
      population: { size: 4, key: "deployment_id", first: rows[0]!.occurredAt, last: rows[3]!.occurredAt },
    });
  });

  it("keeps to the chosen environments and the period", async () => {
    expect(await all(buildChangeManagementReport(q({ environment: "staging" })).rows)).toEqual([]);
    expect(await all(buildChangeManagementReport(q({ environment: "staging, production" })).rows)).toHaveLength(4);
    expect(await all(buildChangeManagementReport(q({ from: "2026-10-01T00:00:00Z", to: "2026-11-01T00:00:00Z" })).rows)).toEqual([]);
  });
});

describe("the credentials report", () => {
  it("lists credentials and role sessions with lifetimes, person and findings", async () => {
    const report = buildCredentialsReport(q());
    const rows = (await all(report.rows)).map((row) => ZCredentialRow.parse(row));
    const oidc = rows.find((r) => r.key === "https://agent.buildkite.com|jti-1")!;
    expect(oidc).toMatchObject({ kind: "oidc", environment: "production", lifetimeSeconds: 7200, jobId: "33675233-2580-4883-91ef-9a25fb852b87", person: "dave@acme.test" });
    expect(oidc.findings.map((f) => f.code)).toEqual(["credential_lifetime"]);
    const outside = rows.find((r) => r.key === "role-session:aws:evt-outside")!;
    expect(outside).toMatchObject({ kind: "aws-role-session", roleArn: "arn:aws:iam::1:role/deploy", sourceIp: "203.0.113.9", lifetimeSeconds: 3600 });
    expect(outside.findings.map((f) => f.code)).toEqual(["role_session_without_job"]);
    expect(report.summary()).toMatchObject({ credentials: rows.length, withFindings: 2, findings: { credential_lifetime: 1, role_session_without_job: 1 }, longestLifetimeSeconds: 7200 });
    expect((await all(buildCredentialsReport(q({ environment: "production" })).rows)).map((r) => r.key)).toEqual(["https://agent.buildkite.com|jti-1"]);
  });
});

describe("the completeness report", () => {
  it("counts deliveries per source and day, states, late arrivals, refusals and empty hours", async () => {
    const failed = (await pool.query<{ id: string; received_at: Date }>("UPDATE delivery SET processing_state = 'failed' WHERE id = (SELECT id FROM delivery WHERE source = 'gitlab' ORDER BY received_at LIMIT 1) RETURNING id, received_at")).rows[0]!;
    const hour = new Date(failed.received_at);
    hour.setUTCMinutes(0, 0, 0);
    await pool.query("INSERT INTO ingest_rejection (source, reason, hour, count) VALUES ('gitlab', 'bad_token', $1, 3), ('gitlab', 'stale', $1, 2)", [hour]);
    const day = hour.toISOString().slice(0, 10);
    const from = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString();
    const to = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();
    const report = buildCompletenessReport(ZReportQuery.parse({ from, to }));
    const rows = (await all(report.rows)).map((row) => ZCompletenessRow.parse(row));
    expect(rows.map((r) => `${r.day} ${r.source}`)).toEqual([
      `${from.slice(0, 10)} gitlab`,
      `${from.slice(0, 10)} buildkite`,
      `${from.slice(0, 10)} credentials`,
      `${day} gitlab`,
      `${day} buildkite`,
      `${day} credentials`,
    ]);
    const counts = (await pool.query<{ source: string; n: number }>("SELECT source::text, count(*)::int AS n FROM delivery GROUP BY 1")).rows;
    const gitlab = rows.find((r) => r.day === day && r.source === "gitlab")!;
    expect(gitlab).toMatchObject({ deliveries: counts.find((c) => c.source === "gitlab")!.n, failed: 1, rejected: 5, rejectedReasons: { bad_token: 3, stale: 2 } });
    // The stories' events happened on 2026-09-14; they arrived today, so every delivery with an event time is late.
    expect(gitlab.lateArrivals).toBeGreaterThan(0);
    expect(gitlab.hoursWithoutDeliveries).not.toContain(hour.getUTCHours());
    const before = rows.find((r) => r.day === from.slice(0, 10) && r.source === "gitlab")!;
    expect(before).toMatchObject({ deliveries: 0, failed: 0, rejected: 0 });
    expect(before.hoursWithoutDeliveries).toHaveLength(24);
    expect(report.summary()).toMatchObject({ bySource: { gitlab: { failed: 1, rejected: 5, daysWithoutDeliveries: [from.slice(0, 10)] }, credentials: { deliveries: 0 } } });
  });
});

describe("the report routes", () => {
  const path = `/api/v1/reports/change-management?from=${september.from}&to=${september.to}`;

  it("answer auditors, refuse viewers and anonymous callers, and explain bad filters", async () => {
    for (const [route, name] of [[changeRoute, "change-management"], [credentialsRoute, "credentials"], [completenessRoute, "completeness"]] as const) {
      const url = `/api/v1/reports/${name}?from=${september.from}&to=${september.to}`;
      expect((await route.GET(get(url, null), ctx)).status).toBe(401);
      expect((await route.GET(get(url, viewer), ctx)).status).toBe(403);
      const ok = await route.GET(get(url), ctx);
      expect(ok.status).toBe(200);
      expect(ok.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(ok.headers.get("content-disposition")).toBe(`attachment; filename="custody-${name}-2026-09-01-2026-10-01.csv"`);
      await ok.body!.cancel();
    }
    const bad = await changeRoute.GET(get(`/api/v1/reports/change-management?from=2026-10-01T00:00:00Z&to=2026-09-01T00:00:00Z`), ctx);
    expect(bad.status).toBe(400);
    expect((await bad.json()).detail).toBe("to: from must be before to");
    expect((await changeRoute.GET(get(`/api/v1/reports/change-management?from=yesterday&to=${september.to}`), ctx)).status).toBe(400);
    expect((await changeRoute.GET(get(`${path}&format=xlsx`), ctx)).status).toBe(400);
  });

  it("exports CSV, JSON and a PDF that parses, and records each export in the audit trail", async () => {
    await pool.query("DELETE FROM audit_entry");
    const csv = await (await changeRoute.GET(get(`${path}&environment=production`), ctx)).text();
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("occurred_at,deployment_id,environment,project,status,commit_sha,deployer,merge_requests,authors,approvers,merged_by,pipelines,builds,gates,credentials,findings,finding_details");
    expect(lines).toHaveLength(5);
    const json = await (await changeRoute.GET(get(`${path}&format=json`), ctx)).json();
    expect(json.rows).toHaveLength(4);
    expect(json.summary.deployments).toBe(4);
    const pdfResponse = await changeRoute.GET(get(`${path}&format=pdf`), ctx);
    expect(pdfResponse.headers.get("content-type")).toBe("application/pdf");
    const pdf = Buffer.from(await pdfResponse.arrayBuffer()).toString("latin1");
    expect(pdf.startsWith("%PDF-")).toBe(true);
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(pdf)![1]);
    expect(pdf.slice(startxref, startxref + 4)).toBe("xref");
    expect(pdf).toContain("(Change management report)");
    const audit = await pool.query("SELECT action, actor_label, target, details FROM audit_entry ORDER BY occurred_at");
    expect(audit.rows).toEqual(
      ["csv", "json", "pdf"].map((format) => ({
        action: "export",
        actor_label: "token:auditor",
        target: "change-management report",
        details: { format, from: september.from, to: september.to, environment: format === "csv" ? ["production"] : [] },
      })),
    );
  });
});

describe("streaming a long period", () => {
  it("writes the first bytes after a few batches, and every deployment once even when many share a timestamp", async () => {
    await pool.query(
      `INSERT INTO deployment (id, provider, external_id, environment, status, occurred_at)
       SELECT gen_random_uuid(), 'gitlab', 'bulk-' || n, 'bulk', 'success', timestamptz '2025-03-01' + make_interval(mins => n / 10) FROM generate_series(1, 2500) n`,
    );
    let batches = 0;
    const report = buildChangeManagementReport(ZReportQuery.parse({ from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", environment: "bulk" }), { batchSize: 100, onBatch: () => (batches += 1) });
    const reader = writeReportCsv(report).getReader();
    // Exports load on their own pool, never on the one webhooks need.
    const reportConnects = vi.spyOn(getReportPool(), "connect");
    const mainConnects = vi.spyOn(getPool(), "connect");
    const first = await reader.read();
    expect(first.done).toBe(false);
    expect(batches).toBeGreaterThan(0);
    expect(batches).toBeLessThan(10);
    let text = new TextDecoder().decode(first.value);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(batches).toBe(25);
    expect(reportConnects).toHaveBeenCalled();
    expect(mainConnects).not.toHaveBeenCalled();
    reportConnects.mockRestore();
    mainConnects.mockRestore();
    const ids = text.trimEnd().split("\r\n").slice(1).map((line) => line.split(",")[1]);
    expect(ids).toHaveLength(2500);
    expect(new Set(ids).size).toBe(2500);
    expect(report.summary()).toMatchObject({ deployments: 2500, exceptions: 2500, findings: { no_merge_request: 2500 } });
  });
});

describe("paging the credentials report", () => {
  it("returns every credential and role session once, in order, across batches that split equal times", async () => {
    await pool.query(
      `INSERT INTO credential (id, key, kind, provider, issuer, subject, issued_at, expires_at, job_external_id, environment, claims)
       SELECT gen_random_uuid(), 'k-' || lpad(n::text, 3, '0'), 'oidc', 'gitlab', 'https://gitlab.acme.test', 'sub-' || n, timestamptz '2025-05-01' + make_interval(mins => n / 10),
              timestamptz '2025-05-01 01:00', 'job-' || n, 'bulk', '{}' FROM generate_series(1, 25) n`,
    );
    await pool.query(
      `INSERT INTO role_session (id, event_id, subject, issued_at, expires_at, job_external_id)
       SELECT gen_random_uuid(), 'ev-' || lpad(n::text, 3, '0'), 'sub-' || n, timestamptz '2025-05-01' + make_interval(mins => n / 10), timestamptz '2025-05-01 00:30', 'job-' || n
       FROM generate_series(1, 25) n`,
    );
    const { findCredentialRows } = await import("@/lib/reports/find-credential-rows");
    const rows = await all(findCredentialRows({ from: "2025-05-01T00:00:00Z", to: "2025-05-02T00:00:00Z", environment: ["bulk"] }, { batchSize: 7 }));
    expect(rows).toHaveLength(50);
    expect(new Set(rows.map((r) => r.key)).size).toBe(50);
    const order = rows.map((r) => `${r.issuedAt} ${r.key}`);
    expect(order).toEqual([...order].sort());
    expect(rows.filter((r) => r.kind === "aws-role-session").every((r) => r.environment === "bulk" && r.findings.length === 0)).toBe(true);
  });
});
