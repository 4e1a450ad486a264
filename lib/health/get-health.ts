import "server-only";
import { getPool } from "@/lib/db";
import { getEnv } from "@/lib/env";

export type THealth =
  | { status: "ok"; database: "embedded" | "postgres"; migrations: string | null }
  | { status: "unavailable"; database: "embedded" | "postgres"; reason: string };

/** Health as the public sees it: database kind and latest migration, nothing sensitive. */
export async function getHealth(): Promise<THealth> {
  const database = getEnv().CUSTODY_EMBEDDED === "1" ? "embedded" : "postgres";
  try {
    const { rows } = await getPool().query<{ migration_name: string }>(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name DESC LIMIT 1",
    );
    return { status: "ok", database, migrations: rows[0]?.migration_name ?? null };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason =
      code === "42P01" ? "database is not migrated" : "database unreachable";
    return { status: "unavailable", database, reason };
  }
}
