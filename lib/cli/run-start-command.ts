import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { getEnv, insecureDemoOverride, resetEnvCache, type TEnv } from "@/lib/env";
import { closeDb } from "@/lib/db";
import { isDemoMode } from "@/lib/auth/is-demo-mode";
import { isLoopbackHost } from "@/lib/shared/is-loopback-host";
import { migrateDatabase } from "@/lib/db/migrate-database";
import { ensureBuild } from "./ensure-build.ts";
import { openDatabase } from "./with-database.ts";
import { findFreePort } from "./find-free-port.ts";
import { startFrontServer, type TFrontServer } from "./start-front-server.ts";
import { superviseWorker, type TSupervisedWorker } from "./supervise-worker.ts";

const root = join(import.meta.dirname, "..", "..");

/**
 * Demo mode lets anyone who reaches the server sign in as admin, so it stays on loopback and out of
 * production unless the operator types the override phrase. Returns the refusal, or null.
 */
function demoModeRefusal(env: TEnv): string | null {
  if (!isDemoMode(env)) return null;
  const exposed = !isLoopbackHost(env.HOST);
  const production = env.NODE_ENV === "production";
  if (!exposed && !production) return null;
  if (env.CUSTODY_ALLOW_INSECURE_DEMO === insecureDemoOverride) {
    console.warn(
      `\n!!! DEMO MODE ${exposed ? `ON ${env.HOST}` : "WITH NODE_ENV=production"}: ANYONE WHO CAN REACH THIS SERVER CAN SIGN IN AS ADMIN.\n` +
        "!!! CUSTODY_ALLOW_INSECURE_DEMO is set. Configure GitLab sign-in (GITLAB_CLIENT_ID) before real use.\n",
    );
    return null;
  }
  const why = exposed ? `HOST=${env.HOST} is not a loopback address` : "NODE_ENV=production";
  return (
    `Refusing to start: GitLab sign-in is not configured (no GITLAB_CLIENT_ID), so Custody would run in demo mode, ` +
    `where anyone can sign in as admin, and ${why}.\n` +
    "Configure GitLab sign-in (GITLAB_CLIENT_ID, GITLAB_CLIENT_SECRET, NEXTAUTH_URL, NEXTAUTH_SECRET, CUSTODY_*_GROUPS; see .env.example), " +
    `or listen on 127.0.0.1, or set CUSTODY_ALLOW_INSECURE_DEMO=${insecureDemoOverride}.`
  );
}

/**
 * `custody start`: validates configuration (refusing an exposed or production demo mode), opens the
 * database (embedded or Postgres), migrates, builds when needed and runs the Next.js server as a child. This process owns the embedded data
 * folder; Ctrl-C stops the server first and then closes the database so its files stay consistent.
 */
export async function runStartCommand(args: string[]): Promise<number> {
  const env = getEnv();
  const refusal = demoModeRefusal(env);
  if (refusal) {
    console.error(refusal);
    return 2;
  }
  // Demo mode needs no secrets from the operator: sessions are signed with a key made per start.
  const demoAuthEnv = isDemoMode(env)
    ? {
        NEXTAUTH_SECRET: env.NEXTAUTH_SECRET ?? randomBytes(32).toString("base64url"),
        NEXTAUTH_URL: env.NEXTAUTH_URL ?? `http://${!isLoopbackHost(env.HOST) ? "127.0.0.1" : env.HOST.includes(":") ? `[${env.HOST.replace(/^\[|\]$/g, "")}]` : env.HOST}:${env.PORT}`,
      }
    : {};
  const skipBuild = args.includes("--no-build");
  if (!skipBuild) ensureBuild(root);
  const database = await openDatabase();
  let child: ReturnType<typeof spawn> | undefined;
  let front: TFrontServer | undefined;
  let worker: TSupervisedWorker | undefined;
  let stopping = false;
  const stop = async (code: number): Promise<number> => {
    stopping = true;
    await front?.close();
    await worker?.stop();
    if (child && child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((resolve) => child?.once("exit", resolve));
    }
    await closeDb();
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
  // This process receives deliveries itself (through the shared pool) and serves the dashboard from
  // a Next.js child on a private loopback port.
  process.env.DATABASE_URL = database.url;
  resetEnvCache();
  const dashboardPort = await findFreePort();
  try {
    front = await startFrontServer({ host: env.HOST, port: env.PORT, dashboardPort });
  } catch (error) {
    console.error(`Cannot listen on ${env.HOST}:${env.PORT}: ${(error as Error).message}`);
    return stop(1);
  }
  // With Postgres the worker is its own process (see superviseWorker); the embedded database is
  // served to one process tree, so there it runs inside the dashboard server.
  const separateWorker = database.mode === "postgres" && env.CUSTODY_WORKER === "on";
  const childEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    CUSTODY_EMBEDDED: database.mode === "embedded" ? "1" : "0",
    // The server and the worker stop by themselves if this process dies without stopping them.
    CUSTODY_PARENT_PID: String(process.pid),
    NEXT_TELEMETRY_DISABLED: "1",
  };
  if (separateWorker) worker = superviseWorker(root, childEnv);
  return new Promise<number>((resolve) => {
    child = spawn(
      process.execPath,
      [join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-H", "127.0.0.1", "-p", String(dashboardPort)],
      {
        cwd: root,
        stdio: "inherit",
        env: { ...childEnv, ...demoAuthEnv, ...(separateWorker ? { CUSTODY_WORKER: "off" } : {}) },
      },
    );
    console.log(
      `Custody is starting at http://${env.HOST}:${env.PORT} (database: ${database.mode}; sign-in: ${isDemoMode(env) ? "demo mode, local admin" : `GitLab at ${env.GITLAB_URL}`}).`,
    );
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
