// Writes the next migration: what `prisma migrate dev --create-only --name <name>` would, without a
// database server or the native schema engine.
//   npm run db:migration -- <name>
import { mkdir, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import {
  LOCKFILE_CONTENT,
  LOCKFILE_NAME,
  MIGRATIONS_DIR,
  ROOT,
  pendingSchemaSql,
  readMigrations,
} from "./lib/schema-engine.ts";

const MAX_NAME_LENGTH = 200;

/**
 * Prisma's `slugify(name, { separator: "_" }).substring(0, 200)` (@sindresorhus/slugify), except that
 * transliteration is reduced to dropping diacritics.
 */
function sanitizeName(name: string): string {
  return name
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .normalize()
    .replace(/&/g, " and ")
    .replace(/([A-Z]{2,})(\d+)/g, "$1 $2")
    .replace(/([a-z\d]+)([A-Z]{2,})/g, "$1 $2")
    .replace(/([a-z\d])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-rt-z\d]+)/g, "$1 $2")
    .toLowerCase()
    .replace(/([a-z\d]+)'([ts])(\s|$)/g, "$1$2$3")
    .replace(/[^a-z\d]+/g, "_")
    .replace(/^_|_$/g, "")
    .substring(0, MAX_NAME_LENGTH);
}

function utcTimestamp(now: Date): string {
  return now.toISOString().replace(/\D/g, "").slice(0, 14);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.length !== 1 || !args[0]) {
    console.error("usage: npm run db:migration -- <name>   (letters, digits and _; e.g. add_invoice)");
    return 2;
  }
  const name = sanitizeName(args[0]);
  if (!/^[a-z0-9_]+$/.test(name)) {
    console.error(`invalid migration name ${JSON.stringify(args[0])}: it needs letters or digits`);
    return 2;
  }
  if (name !== args[0]) console.log(`migration name: ${name}`);

  const migrations = await readMigrations();
  const sql = await pendingSchemaSql(migrations);
  if (!sql) {
    console.log("no schema changes; nothing written");
    return 0;
  }

  const dir = join(MIGRATIONS_DIR, `${utcTimestamp(new Date())}_${name}`);
  await mkdir(MIGRATIONS_DIR, { recursive: true });
  await mkdir(dir); // fails if it already exists
  await writeFile(join(dir, "migration.sql"), sql, { flag: "wx" });
  if (!migrations.hasLockfile) {
    await writeFile(join(MIGRATIONS_DIR, LOCKFILE_NAME), LOCKFILE_CONTENT, { flag: "wx" });
    console.log(`wrote ${relative(ROOT, join(MIGRATIONS_DIR, LOCKFILE_NAME))}`);
  }
  console.log(`wrote ${relative(ROOT, join(dir, "migration.sql"))}`);
  return 0;
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  return 1;
});
