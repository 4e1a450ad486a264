import { migrateDatabase } from "@/lib/db/migrate-database";
import { openDatabase } from "./with-database.ts";

export async function runMigrateCommand(): Promise<number> {
  const database = await openDatabase();
  try {
    const result = await migrateDatabase(database.url);
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
