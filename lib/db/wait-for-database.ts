import pg from "pg";

function describe(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || "5432"}${parsed.pathname}`;
  } catch {
    return "the configured database";
  }
}

/**
 * Connects once to prove the database answers, retrying with backoff and saying so on `log`.
 * Throws after `retries` failed attempts so a process never serves pages without a database.
 */
export async function waitForDatabase(url: string, retries: number, log: (line: string) => void): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => {});
      const reason = error instanceof Error ? error.message : String(error);
      if (attempt >= retries) {
        throw new Error(`Database ${describe(url)} is unreachable after ${attempt + 1} attempts: ${reason}`);
      }
      const delay = Math.min(500 * 2 ** attempt, 5_000);
      log(`Waiting for database ${describe(url)} (attempt ${attempt + 1}/${retries + 1}): ${reason}; retrying in ${delay} ms`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
