import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, describe, expect, inject, it } from "vitest";
import { applyMigrations, MigrationError } from "@/lib/db/apply-migrations";
import { createTestDatabase, dropTestDatabase } from "../support/test-database.ts";

const migrationsDir = join(import.meta.dirname, "..", "..", "prisma", "migrations");
const serverUrl = inject("serverUrl");
const created: string[] = [];

async function freshDatabase(): Promise<string> {
  const url = await createTestDatabase(serverUrl, "custody_migrate");
  created.push(url);
  return url;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

afterEach(async () => {
  while (created.length) await dropTestDatabase(serverUrl, created.pop()!);
});

describe("applyMigrations", () => {
  it("records every migration in _prisma_migrations exactly as prisma migrate deploy does", async () => {
    const url = await freshDatabase();
    const names = readdirSync(migrationsDir).filter((n) => /^\d{14}_/.test(n)).sort();
    const result = await applyMigrations(url, migrationsDir);
    expect(result.applied).toEqual(names);
    expect(result.latest).toBe(names.at(-1));
    const rows = await query<{
      id: string;
      checksum: string;
      migration_name: string;
      finished_at: Date | null;
      logs: string | null;
      rolled_back_at: Date | null;
      applied_steps_count: number;
    }>(url, "SELECT * FROM _prisma_migrations ORDER BY started_at");
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    for (const row of rows) {
      const file = readFileSync(join(migrationsDir, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(file).digest("hex"));
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.logs).toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    const columns = await query<{ column_name: string; data_type: string }>(
      url,
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position",
    );
    expect(columns).toEqual([
      { column_name: "id", data_type: "character varying" },
      { column_name: "checksum", data_type: "character varying" },
      { column_name: "finished_at", data_type: "timestamp with time zone" },
      { column_name: "migration_name", data_type: "character varying" },
      { column_name: "logs", data_type: "text" },
      { column_name: "rolled_back_at", data_type: "timestamp with time zone" },
      { column_name: "started_at", data_type: "timestamp with time zone" },
      { column_name: "applied_steps_count", data_type: "integer" },
    ]);
  });

  it("a second run applies nothing, and two concurrent runs apply each migration once", async () => {
    const url = await freshDatabase();
    const [a, b] = await Promise.all([applyMigrations(url, migrationsDir), applyMigrations(url, migrationsDir)]);
    expect(a.applied.length + b.applied.length).toBe(a.latest ? readdirSync(migrationsDir).filter((n) => /^\d{14}_/.test(n)).length : 0);
    const again = await applyMigrations(url, migrationsDir);
    expect(again.applied).toEqual([]);
    const count = await query<{ n: string }>(url, "SELECT count(*)::text AS n FROM _prisma_migrations");
    expect(Number(count[0]?.n)).toBe(a.applied.length + b.applied.length);
  });

  it("a failing migration leaves no partial schema, is recorded with its error, and blocks later runs (P3009)", async () => {
    const url = await freshDatabase();
    const dir = mkdtempSync(join(tmpdir(), "custody-migrations-"));
    cpSync(migrationsDir, dir, { recursive: true });
    mkdirSync(join(dir, "29991231000000_bad"));
    writeFileSync(join(dir, "29991231000000_bad", "migration.sql"), 'CREATE TABLE "good" (id int);\nCREATE TABLE "bad" (id nosuchtype);\n');
    await expect(applyMigrations(url, dir)).rejects.toThrow(/29991231000000_bad failed: .*nosuchtype/);
    const good = await query<{ t: string | null }>(url, "SELECT to_regclass('good')::text AS t");
    expect(good[0]?.t).toBeNull();
    const failed = await query<{ logs: string; finished_at: Date | null }>(
      url,
      "SELECT logs, finished_at FROM _prisma_migrations WHERE migration_name = '29991231000000_bad'",
    );
    expect(failed[0]?.finished_at).toBeNull();
    expect(failed[0]?.logs).toMatch(/nosuchtype/);
    await expect(applyMigrations(url, dir)).rejects.toThrow(MigrationError);
    await expect(applyMigrations(url, dir)).rejects.toThrow(/P3009/);
  });

  it("refuses a non-empty database without migration history (P3005)", async () => {
    const url = await freshDatabase();
    await query(url, "CREATE TABLE someone_elses (id int)");
    await expect(applyMigrations(url, migrationsDir)).rejects.toThrow(/P3005/);
  });
});
