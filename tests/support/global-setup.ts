import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../../lib/db/migrate-database.ts";
import { assertServerReachable, createTestDatabase, dropTestDatabase, testServerUrl } from "./test-database.ts";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    serverUrl: string;
  }
}

/** One migrated database per test run, dropped at the end. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = testServerUrl();
  await assertServerReachable(serverUrl);
  const databaseUrl = await createTestDatabase(serverUrl);
  await migrateDatabase(databaseUrl);
  project.provide("databaseUrl", databaseUrl);
  project.provide("serverUrl", serverUrl);
  return async () => {
    await dropTestDatabase(serverUrl, databaseUrl);
  };
}
