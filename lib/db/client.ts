import "server-only";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client.ts";
import { getEnv } from "@/lib/env";
import { resolveDatabaseUrl } from "./resolve-database-url.ts";

type Handles = { pool: pg.Pool; db: PrismaClient; reportPool?: pg.Pool };

const globalForDb = globalThis as unknown as { __custodyDb?: Handles };

function createHandles(): Handles {
  const env = getEnv();
  const pool = new pg.Pool({
    connectionString: resolveDatabaseUrl(env),
    max: env.DATABASE_POOL_SIZE,
    // Fail fast when the database is gone so webhook senders get a 503 within 2.5 s (pool wait + store timeout).
    connectionTimeoutMillis: 1_000,
    idleTimeoutMillis: 30_000,
    application_name: "custody",
  });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on("error", () => {});
  const db = new PrismaClient({ adapter: new PrismaPg(pool) });
  return { pool, db };
}

function handles(): Handles {
  globalForDb.__custodyDb ??= createHandles();
  return globalForDb.__custodyDb;
}

/** The shared Prisma client. */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const client = handles().db;
    const value = Reflect.get(client, property, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});

/** The pg pool under Prisma, for the few hot paths that need plain SQL. */
export function getPool(): pg.Pool {
  return handles().pool;
}

/**
 * A separate pool for report exports, which load several batches at once: a long export then waits
 * for its own connections and never takes the ones webhooks and pages need. Callers wait for a free
 * connection as long as it takes.
 */
export function getReportPool(): pg.Pool {
  const current = handles();
  if (!current.reportPool) {
    const env = getEnv();
    current.reportPool = new pg.Pool({
      connectionString: resolveDatabaseUrl(env),
      max: env.CUSTODY_REPORT_CONNECTIONS,
      idleTimeoutMillis: 10_000,
      application_name: "custody-reports",
    });
    current.reportPool.on("error", () => {});
  }
  return current.reportPool;
}

/** Closes the pools and the client (CLI commands and tests call this before exiting). */
export async function closeDb(): Promise<void> {
  const current = globalForDb.__custodyDb;
  globalForDb.__custodyDb = undefined;
  if (!current) return;
  await current.db.$disconnect();
  await current.pool.end();
  await current.reportPool?.end();
}
