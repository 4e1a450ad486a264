// Fails when prisma/schema.prisma describes a database that replaying prisma/migrations does not build.
//   npm run db:drift
import { pendingSchemaSql, readMigrations } from "./lib/schema-engine.ts";

async function main(): Promise<number> {
  const sql = await pendingSchemaSql(await readMigrations());
  if (!sql) {
    console.log("no drift: migrations produce schema.prisma");
    return 0;
  }
  console.log("-- SQL that no migration contains yet:\n");
  console.log(sql);
  console.error("schema.prisma has changes that no migration contains; run npm run db:migration -- <name>");
  return 1;
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  return 1;
});
