import type { TEnv } from "@/lib/env";

/** The database this process talks to; the embedded launcher sets DATABASE_URL for its children. */
export function resolveDatabaseUrl(env: Pick<TEnv, "DATABASE_URL">): string {
  if (!env.DATABASE_URL) {
    throw new Error(
      "DATABASE_URL is not set. Start Custody with `npm start` (embedded database) or set DATABASE_URL=postgres://…",
    );
  }
  return env.DATABASE_URL;
}
