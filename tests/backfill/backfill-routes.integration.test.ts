import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { TRole } from "@/lib/contracts/roles";
import { appOrigin, configureAuth, truncateAuth } from "../support/auth-fixtures.ts";

Object.assign(process.env, { GITLAB_API_TOKEN: "glpat-routes-test", GITLAB_BACKFILL_PROJECTS: "acme/payments-api", BUILDKITE_API_TOKEN: "", BUILDKITE_BACKFILL_PIPELINES: "" });
const { resetEnvCache } = await import("@/lib/env");
resetEnvCache();
const { closeDb, getPool } = await import("@/lib/db");
const { createApiToken } = await import("@/lib/auth/create-api-token");
const backfills = await import("@/app/api/v1/backfills/route");
const one = await import("@/app/api/v1/backfills/[id]/route");

const pool = getPool();
const cli = { type: "cli", id: null, label: "cli:test" } as const;
const params = <P,>(p: P) => ({ params: Promise.resolve(p) });
const request = (path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}) =>
  new Request(`${appOrigin}${path}`, { method: init.method ?? "GET", headers: { "content-type": "application/json", ...init.headers }, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
const bearer = async (role: TRole) => ({ authorization: `Bearer ${(await createApiToken({ name: `t-${role}`, role, expiresInSeconds: 3600, actor: cli })).token}` });

beforeEach(async () => {
  configureAuth();
  resetEnvCache();
  await truncateAuth(pool);
  await pool.query("TRUNCATE reconciliation_gap, backfill_run CASCADE");
  await pool.query("DELETE FROM graphile_worker._private_jobs").catch(() => {});
});
afterAll(async () => {
  await truncateAuth(pool);
  await closeDb();
});

describe("the backfills API", () => {
  it("an admin starts a backfill: the run is queued for the worker, audited, and asking again continues it", async () => {
    const headers = await bearer("admin");
    const first = await backfills.POST(request("/api/v1/backfills", { method: "POST", headers, body: { source: "gitlab", since: "2026-01-01" } }), params({}));
    expect(first.status).toBe(202);
    const { id, resumed } = await first.json();
    expect(resumed).toBe(false);
    const again = await backfills.POST(request("/api/v1/backfills", { method: "POST", headers, body: { source: "gitlab", since: "2026-01-01" } }), params({}));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ id, resumed: true });

    const { rows: jobs } = await pool.query("SELECT task_identifier FROM graphile_worker.jobs WHERE key = $1", [`backfill:${id}`]);
    expect(jobs).toEqual([{ task_identifier: "run_backfill" }]);
    const { rows: audit } = await pool.query("SELECT action, target FROM audit_entry WHERE action = 'backfill'");
    expect(audit[0]).toEqual({ action: "backfill", target: "gitlab since 2026-01-01" });

    const list = await backfills.GET(request("/api/v1/backfills", { headers }), params({}));
    const body = await list.json();
    expect(body.items).toEqual([expect.objectContaining({ id, source: "gitlab", kind: "backfill", state: "queued", windowFrom: "2026-01-01T00:00:00.000Z", unitsDone: 0 })]);
    expect(body.unavailable.buildkite).toMatch(/BUILDKITE_API_TOKEN/);
    const status = await one.GET(request(`/api/v1/backfills/${id}`, { headers }), params({ id }));
    expect(await status.json()).toMatchObject({ id, state: "queued" });
  });

  it("refuses a source without API access, bad dates, and anyone but an admin", async () => {
    const headers = await bearer("admin");
    const unconfigured = await backfills.POST(request("/api/v1/backfills", { method: "POST", headers, body: { source: "buildkite", since: "2026-01-01" } }), params({}));
    expect(unconfigured.status).toBe(409);
    expect((await unconfigured.json()).detail).toMatch(/BUILDKITE_API_TOKEN/);
    const badDate = await backfills.POST(request("/api/v1/backfills", { method: "POST", headers, body: { source: "gitlab", since: "last tuesday" } }), params({}));
    expect(badDate.status).toBe(400);
    const backwards = await backfills.POST(request("/api/v1/backfills", { method: "POST", headers, body: { source: "gitlab", since: "2026-02-01", until: "2026-01-01" } }), params({}));
    expect(backwards.status).toBe(400);
    for (const role of ["viewer", "auditor", "approver"] as const) {
      const response = await backfills.POST(request("/api/v1/backfills", { method: "POST", headers: await bearer(role), body: { source: "gitlab", since: "2026-01-01" } }), params({}));
      expect(response.status).toBe(403);
      expect((await backfills.GET(request("/api/v1/backfills", { headers: await bearer(role) }), params({}))).status).toBe(403);
    }
    const missing = await one.GET(request("/api/v1/backfills/00000000-0000-4000-8000-000000000000", { headers }), params({ id: "00000000-0000-4000-8000-000000000000" }));
    expect(missing.status).toBe(404);
    const { rows } = await pool.query("SELECT count(*)::int AS n FROM backfill_run");
    expect(rows[0].n).toBe(0);
  });
});
