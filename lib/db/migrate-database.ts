import { join } from "node:path";
import { runMigrations } from "graphile-worker";
import { applyMigrations, type TMigrationResult } from "./apply-migrations.ts";

export const migrationsDir = join(import.meta.dirname, "..", "..", "prisma", "migrations");

/** Applies Custody's migrations and installs the job queue's schema (graphile_worker). Idempotent. */
export async function migrateDatabase(connectionString: string): Promise<TMigrationResult> {
  const result = await applyMigrations(connectionString, migrationsDir);
  await runMigrations({ connectionString, logger: undefined, noPreparedStatements: false });
  return result;
}
