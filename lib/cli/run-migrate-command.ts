import { join } from "node:path";
import { applyMigrations } from "@/lib/db/apply-migrations";
import { openDatabase } from "./with-database.ts";

export const migrationsDir = join(import.meta.dirname, "..", "..", "prisma", "migrations");

export async function runMigrateCommand(): Promise<number> {
  const database = await openDatabase();
  try {
    const result = await applyMigrations(database.url, migrationsDir);
    console.log(
      result.applied.length
        ? `Applied ${result.applied.length} migration(s): ${result.applied.join(", ")}`
        : `No pending migrations (latest: ${result.latest ?? "none"}).`,
    );
    return 0;
  } finally {
    await database.close();
  }
}
