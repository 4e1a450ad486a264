import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";

// The lock id and bookkeeping below are the ones `prisma migrate deploy` uses, so a database migrated
// here is one the stock Prisma CLI sees as up to date (and vice versa).
const PRISMA_ADVISORY_LOCK = 72707369;
const LOCK_TIMEOUT_MS = 10_000;

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export type TMigrationResult = { applied: string[]; latest: string | null };

export class MigrationError extends Error {}

type MigrationDir = { name: string; sql: string; checksum: string };

async function readMigrations(dir: string): Promise<MigrationDir[]> {
  const lock = await readFile(join(dir, "migration_lock.toml"), "utf8").catch(() => null);
  if (lock === null) throw new MigrationError(`missing ${join(dir, "migration_lock.toml")}`);
  if (!/provider\s*=\s*"postgresql"/.test(lock)) {
    throw new MigrationError("migration_lock.toml names a provider other than postgresql");
  }
  const names = (await readdir(dir)).sort();
  const result: MigrationDir[] = [];
  for (const name of names) {
    const path = join(dir, name, "migration.sql");
    if (!(await stat(join(dir, name))).isDirectory()) continue;
    const bytes = await readFile(path);
    result.push({ name, sql: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") });
  }
  return result;
}

async function acquireLock(client: pg.Client): Promise<void> {
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (;;) {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [
      PRISMA_ADVISORY_LOCK,
    ]);
    if (rows[0]?.locked) return;
    if (Date.now() > deadline) throw new MigrationError("timed out waiting for the migration lock (another migrate is running)");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Applies pending migrations from `migrationsDir` exactly as `prisma migrate deploy` does: advisory
 * lock, `_prisma_migrations` rows with a SHA-256 checksum of the file, one script per migration in an
 * implicit transaction, and a refusal to continue past a failed migration (P3009).
 * Idempotent: a second run applies nothing.
 */
export async function applyMigrations(connectionString: string, migrationsDir: string): Promise<TMigrationResult> {
  const migrations = await readMigrations(migrationsDir);
  const client = new pg.Client({ connectionString, application_name: "custody-migrate" });
  await client.connect();
  try {
    await acquireLock(client);
    try {
      const exists = await client.query<{ t: string | null }>("SELECT to_regclass('_prisma_migrations')::text AS t");
      if (!exists.rows[0]?.t) {
        const tables = await client.query(
          "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() LIMIT 1",
        );
        if (tables.rowCount) {
          throw new MigrationError(
            "P3005: the database schema is not empty and has no migration history; use an empty database",
          );
        }
        await client.query(CREATE_MIGRATIONS_TABLE);
      }
      const { rows } = await client.query<{
        migration_name: string;
        finished_at: Date | null;
        rolled_back_at: Date | null;
        checksum: string;
      }>("SELECT migration_name, finished_at, rolled_back_at, checksum FROM _prisma_migrations ORDER BY started_at");
      const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
      if (failed) {
        throw new MigrationError(
          `P3009: migration ${failed.migration_name} failed earlier; fix it and mark it rolled back (prisma migrate resolve --rolled-back ${failed.migration_name})`,
        );
      }
      const applied = new Set(rows.filter((r) => r.rolled_back_at === null).map((r) => r.migration_name));
      const done: string[] = [];
      for (const migration of migrations) {
        if (applied.has(migration.name)) continue;
        const id = randomUUID();
        await client.query(
          "INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES ($1, $2, now(), $3)",
          [id, migration.checksum, migration.name],
        );
        try {
          // One simple-protocol message: the server runs the whole file in one implicit transaction.
          await client.query(migration.sql);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          await client.query("UPDATE _prisma_migrations SET logs = $2 WHERE id = $1", [id, message]);
          throw new MigrationError(`migration ${migration.name} failed: ${message}`);
        }
        await client.query("UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1 WHERE id = $1", [id]);
        await client.query("UPDATE _prisma_migrations SET finished_at = now() WHERE id = $1", [id]);
        done.push(migration.name);
      }
      const latest = migrations.at(-1)?.name ?? null;
      return { applied: done, latest };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK]).catch(() => {});
    }
  } finally {
    await client.end();
  }
}
