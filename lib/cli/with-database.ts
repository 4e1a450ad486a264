import { getEnv } from "@/lib/env";
import { openEmbeddedDatabase, type TEmbeddedDatabase } from "@/lib/db/open-embedded-database";
import { waitForDatabase } from "@/lib/db/wait-for-database";

export type TDatabaseHandle = { url: string; mode: "embedded" | "postgres"; close: () => Promise<void> };

/**
 * Opens the database a command works on: the configured Postgres (waiting for it with visible
 * retries), or the embedded one in CUSTODY_DATA_DIR, owned by this process until `close`.
 */
export async function openDatabase(): Promise<TDatabaseHandle> {
  const env = getEnv();
  if (env.DATABASE_URL) {
    await waitForDatabase(env.DATABASE_URL, env.CUSTODY_DB_CONNECT_RETRIES, (line) => console.error(line));
    return { url: env.DATABASE_URL, mode: "postgres", close: async () => {} };
  }
  console.log(`Opening the embedded database in ${env.CUSTODY_DATA_DIR} (no DATABASE_URL set)…`);
  const embedded: TEmbeddedDatabase = await openEmbeddedDatabase(env.CUSTODY_DATA_DIR);
  return { url: embedded.url, mode: "embedded", close: embedded.close };
}
