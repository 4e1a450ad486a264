import { randomBytes } from "node:crypto";
import pg from "pg";

/** The Postgres server integration tests run against (each run creates and drops its own database). */
export function testServerUrl(): string {
  return process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function assertServerReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `Integration tests need a PostgreSQL server at ${url} (${(error as Error).message}).\n` +
        "Install and start one (Debian/Ubuntu: apt-get install postgresql && pg_ctlcluster 15 main start), " +
        "or point TEST_DATABASE_URL at a server where this user may CREATE DATABASE.",
    );
  } finally {
    await client.end().catch(() => {});
  }
}

export async function createTestDatabase(serverUrl: string, prefix = "custody_test"): Promise<string> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString("hex")}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  return withDatabase(serverUrl, name);
}

export async function dropTestDatabase(serverUrl: string, databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
