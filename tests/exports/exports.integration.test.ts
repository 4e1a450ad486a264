import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { truncateAll } from "../support/graph-snapshot.ts";
import { appOrigin, configureAuth, truncateAuth } from "../support/auth-fixtures.ts";

// Background exports: queued through the API, run by the worker's task, stored as chunks, served
// only to the requester (or an admin). The task is called directly instead of through the queue.

configureAuth();
const { getPool, closeDb } = await import("@/lib/db");
const { createApiToken } = await import("@/lib/auth/create-api-token");
const { exportKinds } = await import("@/lib/exports/export-kinds");
const { runExportJob } = await import("@/lib/exports/run-export-job");
const exportsRoute = await import("@/app/api/v1/exports/route");
const exportRoute = await import("@/app/api/v1/exports/[id]/route");
const downloadRoute = await import("@/app/api/v1/exports/[id]/download/route");
const changeRoute = await import("@/app/api/v1/reports/change-management/route");

const pool = getPool();
const cli = { type: "cli", id: null, label: "cli:test" } as const;
const tokens: Record<"viewer" | "auditor" | "otherAuditor" | "admin", string> = { viewer: "", auditor: "", otherAuditor: "", admin: "" };
const period = { from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", environment: "bulk" };
const req = (path: string, token: string | null, body?: unknown) =>
  new Request(`${appOrigin}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const noParams = { params: Promise.resolve({}) };
const withId = (id: string) => ({ params: Promise.resolve({ id }) });

async function create(kind: string, params: Record<string, unknown>, token = tokens.auditor) {
  const response = await exportsRoute.POST(req("/api/v1/exports", token, { kind, params }), noParams);
  return { response, job: response.status === 202 ? await response.json() : null };
}

beforeAll(async () => {
  await truncateAll(pool);
  await truncateAuth(pool);
  await pool.query("TRUNCATE export_job CASCADE");
  await pool.query(
    `INSERT INTO deployment (id, provider, external_id, environment, status, occurred_at)
     SELECT gen_random_uuid(), 'gitlab', 'bulk-' || n, 'bulk', 'success', timestamptz '2025-03-01' + make_interval(mins => n / 10) FROM generate_series(1, 2500) n`,
  );
  for (const [name, role] of [["viewer", "viewer"], ["auditor", "auditor"], ["otherAuditor", "auditor"], ["admin", "admin"]] as const) {
    tokens[name] = (await createApiToken({ name, role, expiresInSeconds: 3600, actor: cli })).token;
  }
});
afterAll(async () => {
  await pool.query("TRUNCATE export_job CASCADE");
  await truncateAuth(pool);
  await truncateAll(pool);
  await closeDb();
});

describe("a background export", () => {
  it("runs to done with progress rising to the row count, and downloads the same bytes as the synchronous route", async () => {
    const progress: [number, number | null][] = [];
    const base = exportKinds["change-management.csv"]!;
    exportKinds["test.watched-csv"] = { ...base, run: (params, actor, out, onProgress) => base.run(params, actor, out, (done, total) => (progress.push([done, total]), onProgress(done, total))) };

    const { response, job } = await create("test.watched-csv", period);
    expect(response.status).toBe(202);
    expect(job).toMatchObject({ state: "queued", progress: { done: 0, total: null }, requestedBy: "token:auditor", downloadUrl: null });
    const queued = await pool.query("SELECT t.identifier AS task_identifier, j.payload FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE j.payload->>'jobId' = $1", [job.id]);
    expect(queued.rows).toEqual([{ task_identifier: "run_export", payload: { jobId: job.id } }]);
    // Exports share one named queue, so they run one at a time and hold at most one of the worker's slots.
    const queue = await pool.query("SELECT q.queue_name FROM graphile_worker._private_jobs j JOIN graphile_worker._private_job_queues q ON q.id = j.job_queue_id WHERE j.payload->>'jobId' = $1", [job.id]);
    expect(queue.rows).toEqual([{ queue_name: "exports" }]);

    await runExportJob(pool, job.id);
    const dones = progress.map(([done]) => done);
    expect(dones.length).toBeGreaterThan(3);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
    expect(progress.at(-1)).toEqual([2500, 2500]);

    const status = await (await exportRoute.GET(req(`/api/v1/exports/${job.id}`, tokens.auditor), withId(job.id))).json();
    expect(status).toMatchObject({ state: "done", progress: { done: 2500, total: 2500 }, error: null, downloadUrl: `/api/v1/exports/${job.id}/download` });

    const download = await downloadRoute.GET(req(`/api/v1/exports/${job.id}/download`, tokens.auditor), withId(job.id));
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const background = Buffer.from(await download.arrayBuffer());
    const direct = Buffer.from(await (await changeRoute.GET(req(`/api/v1/reports/change-management?from=${period.from}&to=${period.to}&environment=bulk`, tokens.auditor), noParams)).arrayBuffer());
    expect(background.equals(direct)).toBe(true);
    expect(status.resultSize).toBe(direct.byteLength);
    const { createHash } = await import("node:crypto");
    expect(status.resultSha256).toBe(createHash("sha256").update(direct).digest("hex"));

    const audit = await pool.query("SELECT target FROM audit_entry WHERE details->>'exportId' = $1 ORDER BY occurred_at", [job.id]);
    expect(audit.rows.map((r) => r.target)).toEqual(["test.watched-csv (background)", "test.watched-csv (background) download"]);
    delete exportKinds["test.watched-csv"];
  });

  it("records the error of a failed export and keeps no partial result", async () => {
    exportKinds["test.failing"] = {
      ...exportKinds["change-management.csv"]!,
      run: async (_params, _actor, out) => {
        out.write(Buffer.alloc(2 * 1024 * 1024, 1));
        throw new Error("the source went away");
      },
    };
    const { job } = await create("test.failing", period);
    await runExportJob(pool, job.id);
    const status = await (await exportRoute.GET(req(`/api/v1/exports/${job.id}`, tokens.auditor), withId(job.id))).json();
    expect(status).toMatchObject({ state: "failed", error: "the source went away", downloadUrl: null });
    expect((await pool.query("SELECT count(*)::int AS n FROM export_chunk WHERE job_id = $1", [job.id])).rows[0].n).toBe(0);
    const download = await downloadRoute.GET(req(`/api/v1/exports/${job.id}/download`, tokens.auditor), withId(job.id));
    expect(download.status).toBe(409);
    expect((await download.json()).detail).toContain("the source went away");
    delete exportKinds["test.failing"];
  });

  it("refuses an unknown kind and bad parameters with a reason", async () => {
    const unknown = await create("spreadsheet", period);
    expect(unknown.response.status).toBe(400);
    expect((await unknown.response.json()).detail).toContain('Unknown export kind "spreadsheet"');
    const backwards = await create("change-management.csv", { from: period.to, to: period.from });
    expect(backwards.response.status).toBe(400);
    expect((await backwards.response.json()).detail).toBe("to: from must be before to");
  });

  it("runs a job only once, and deletes jobs past their retention", async () => {
    const { job } = await create("completeness.json", period);
    await runExportJob(pool, job.id);
    const first = (await pool.query("SELECT finished_at FROM export_job WHERE id = $1", [job.id])).rows[0];
    await runExportJob(pool, job.id);
    expect((await pool.query("SELECT finished_at FROM export_job WHERE id = $1", [job.id])).rows[0]).toEqual(first);
    await pool.query("UPDATE export_job SET expires_at = now() - interval '1 second' WHERE id = $1", [job.id]);
    const { job: next } = await create("completeness.csv", period);
    await runExportJob(pool, next.id);
    expect((await pool.query("SELECT count(*)::int AS n FROM export_job WHERE id = $1", [job.id])).rows[0].n).toBe(0);
    expect((await pool.query("SELECT count(*)::int AS n FROM export_chunk WHERE job_id = $1", [job.id])).rows[0].n).toBe(0);
  });
});

describe("a worker that dies mid-export", () => {
  it("leaves the job running with a partial result, and the queue's retry starts it over to the full file", async () => {
    const { job } = await create("change-management.csv", period);
    await pool.query("UPDATE export_job SET state = 'running', started_at = now(), progress_done = 700 WHERE id = $1", [job.id]);
    await pool.query("INSERT INTO export_chunk (job_id, seq, data) VALUES ($1, 0, 'partial'), ($1, 1, 'bytes')", [job.id]);
    await runExportJob(pool, job.id);
    const download = await downloadRoute.GET(req(`/api/v1/exports/${job.id}/download`, tokens.auditor), withId(job.id));
    const direct = await (await changeRoute.GET(req(`/api/v1/reports/change-management?from=${period.from}&to=${period.to}&environment=bulk`, tokens.auditor), noParams)).text();
    expect(await download.text()).toBe(direct);
  });
});

describe("who may see an export", () => {
  it("shows a job and its download only to its requester and admins; viewers and anonymous callers are refused", async () => {
    const { job } = await create("credentials.csv", period);
    await runExportJob(pool, job.id);
    const status = (token: string | null) => exportRoute.GET(req(`/api/v1/exports/${job.id}`, token), withId(job.id)).then((r) => r.status);
    const download = (token: string | null) => downloadRoute.GET(req(`/api/v1/exports/${job.id}/download`, token), withId(job.id)).then((r) => r.status);
    expect(await status(tokens.auditor)).toBe(200);
    expect(await status(tokens.admin)).toBe(200);
    expect(await status(tokens.otherAuditor)).toBe(404);
    expect(await status(tokens.viewer)).toBe(403);
    expect(await status(null)).toBe(401);
    expect(await download(tokens.admin)).toBe(200);
    expect(await download(tokens.otherAuditor)).toBe(404);
    expect(await download(tokens.viewer)).toBe(403);
    expect((await exportsRoute.POST(req("/api/v1/exports", tokens.viewer, { kind: "credentials.csv", params: period }), noParams)).status).toBe(403);

    const list = async (token: string) => (await (await exportsRoute.GET(req("/api/v1/exports", token), noParams)).json()).items.map((j: { id: string }) => j.id);
    expect(await list(tokens.auditor)).toContain(job.id);
    expect(await list(tokens.admin)).toContain(job.id);
    expect(await list(tokens.otherAuditor)).not.toContain(job.id);
  });
});
