import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { assertBuilt, freePort, interruptGroup, runCustody, waitForHealth } from "../support/spawn-custody.ts";

describe("custody start", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "custody-data-"));
  beforeAll(() => assertBuilt());
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("with no DATABASE_URL serves on an embedded database, owns its folder, stops cleanly and keeps data", async () => {
    const port = await freePort();
    const first = runCustody(["start", "--no-build"], { CUSTODY_DATA_DIR: dataDir, PORT: String(port) });
    const health = await waitForHealth(port, 90_000);
    expect(health).toMatchObject({ status: "ok", database: "embedded" });
    expect(String(health.migrations)).toMatch(/^\d{14}_/);
    expect(existsSync(join(dataDir, "custody.lock"))).toBe(true);

    const shell = await fetch(`http://127.0.0.1:${port}/timeline`);
    expect(shell.status).toBe(200);
    const html = await shell.text();
    for (const label of ["Overview", "Timeline", "Deploys", "Approvals", "Reports", "Ingest", "Settings"]) {
      expect(html).toContain(`>${label}<`);
    }

    const second = runCustody(["migrate"], { CUSTODY_DATA_DIR: dataDir });
    expect(await second.exited).not.toBe(0);
    expect(second.output()).toMatch(/already open in process \d+/);

    interruptGroup(first);
    expect(await first.exited).toBe(0);
    expect(existsSync(join(dataDir, "custody.lock"))).toBe(false);

    const again = runCustody(["migrate"], { CUSTODY_DATA_DIR: dataDir });
    expect(await again.exited).toBe(0);
    expect(again.output()).toMatch(/No pending migrations/);
  }, 180_000);

  it("with DATABASE_URL serves on that Postgres", async () => {
    const port = await freePort();
    const running = runCustody(["start", "--no-build"], { DATABASE_URL: inject("databaseUrl"), PORT: String(port), CUSTODY_WORKER: "off" });
    const health = await waitForHealth(port);
    expect(health).toMatchObject({ status: "ok", database: "postgres" });
    interruptGroup(running);
    expect(await running.exited).toBe(0);
  }, 120_000);

  it("exits non-zero with a visible message when the database stays unreachable", async () => {
    const running = runCustody(["start", "--no-build"], {
      DATABASE_URL: "postgresql://postgres@127.0.0.1:1/none",
      CUSTODY_DB_CONNECT_RETRIES: "1",
    });
    expect(await running.exited).toBe(1);
    expect(running.output()).toMatch(/Waiting for database 127\.0\.0\.1:1\/none \(attempt 1\/2\)/);
    expect(running.output()).toMatch(/unreachable after 2 attempts/);
  }, 60_000);

  it("refuses bad configuration at startup, naming the variable", async () => {
    const running = runCustody(["start", "--no-build"], { PORT: "eighty" });
    expect(await running.exited).toBe(2);
    expect(running.output()).toMatch(/PORT: .*"eighty"/);
  }, 30_000);
});
