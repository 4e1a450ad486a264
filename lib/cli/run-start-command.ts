import { spawn } from "node:child_process";
import { join } from "node:path";
import { getEnv } from "@/lib/env";
import { migrateDatabase } from "@/lib/db/migrate-database";
import { ensureBuild } from "./ensure-build.ts";
import { openDatabase } from "./with-database.ts";

const root = join(import.meta.dirname, "..", "..");

/**
 * `custody start`: validates configuration, opens the database (embedded or Postgres), migrates,
 * builds when needed and runs the Next.js server as a child. This process owns the embedded data
 * folder; Ctrl-C stops the server first and then closes the database so its files stay consistent.
 */
export async function runStartCommand(args: string[]): Promise<number> {
  const env = getEnv();
  const skipBuild = args.includes("--no-build");
  if (!skipBuild) ensureBuild(root);
  const database = await openDatabase();
  let child: ReturnType<typeof spawn> | undefined;
  let stopping = false;
  const stop = async (code: number): Promise<number> => {
    stopping = true;
    if (child && child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((resolve) => child?.once("exit", resolve));
    }
    await database.close();
    return code;
  };
  try {
    const migrated = await migrateDatabase(database.url);
    if (migrated.applied.length) console.log(`Applied migrations: ${migrated.applied.join(", ")}`);
  } catch (error) {
    await database.close();
    throw error;
  }
  return new Promise<number>((resolve) => {
    child = spawn(
      process.execPath,
      [join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-H", env.HOST, "-p", String(env.PORT)],
      {
        cwd: root,
        stdio: "inherit",
        env: {
          ...process.env,
          DATABASE_URL: database.url,
          CUSTODY_EMBEDDED: database.mode === "embedded" ? "1" : "0",
          NEXT_TELEMETRY_DISABLED: "1",
        },
      },
    );
    console.log(`Custody is starting at http://${env.HOST}:${env.PORT} (database: ${database.mode}).`);
    const onSignal = () => {
      if (stopping) return;
      console.log("\nStopping Custody…");
      void stop(0).then(resolve);
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    child.on("exit", (code) => {
      if (stopping) return;
      void stop(code ?? 1).then(resolve);
    });
  });
}
