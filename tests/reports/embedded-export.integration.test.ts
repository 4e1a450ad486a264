import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEmbeddedDatabase, type TEmbeddedDatabase } from "@/lib/db/open-embedded-database";

// `npm start` serves on the embedded database, where every connection shares one PGlite session. The
// change-management export loads several batches at once on separate connections; there it must not
// use named (prepared) statements, which a second connection cannot prepare again in the same session.

const { migrateDatabase } = await import("@/lib/db/migrate-database");
const { resetEnvCache } = await import("@/lib/env");
const { findChangeManagementRows } = await import("@/lib/reports/find-change-management-rows");

const period = { from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", environment: [] as string[] };

async function ids(pool: pg.Pool): Promise<string[]> {
  const out: string[] = [];
  for await (const row of findChangeManagementRows(period, { pool, batchSize: 40 })) out.push(row.deploymentId);
  return out;
}

describe("the change-management export on the embedded database", () => {
  const dir = mkdtempSync(join(tmpdir(), "custody-embedded-export-"));
  const saved = process.env.CUSTODY_EMBEDDED;
  let database: TEmbeddedDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    database = await openEmbeddedDatabase(dir);
    await migrateDatabase(database.url);
    pool = new pg.Pool({ connectionString: database.url, max: 6 });
    await pool.query(
      `INSERT INTO deployment (id, provider, external_id, environment, status, occurred_at)
       SELECT gen_random_uuid(), 'gitlab', 'e-' || n, 'production', 'success', timestamptz '2026-01-05' + make_interval(mins => n) FROM generate_series(1, 400) n`,
    );
  }, 120_000);
  afterAll(async () => {
    process.env.CUSTODY_EMBEDDED = saved;
    resetEnvCache();
    await pool?.end();
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("returns every deployment once, in order, with ten batches loaded several at a time", async () => {
    process.env.CUSTODY_EMBEDDED = "1";
    resetEnvCache();
    const expected = (await pool.query<{ id: string }>("SELECT id FROM deployment ORDER BY occurred_at, id")).rows.map((r) => r.id);
    expect(await ids(pool)).toEqual(expected);
  }, 60_000);

  it("would fail there with prepared statements, which is why it does not use them", async () => {
    process.env.CUSTODY_EMBEDDED = "0";
    resetEnvCache();
    await expect(ids(pool)).rejects.toThrow(/prepared statement .* already exists/);
  }, 60_000);
});
