import { getEnv } from "@/lib/env";
import { closeDb } from "@/lib/db";
import { runWorker } from "@/lib/queue/run-worker";
import { waitForDatabase } from "@/lib/db/wait-for-database";

/** `custody worker [--concurrency N]`: processes stored deliveries until interrupted (Postgres only). */
export async function runWorkerCommand(args: string[]): Promise<number> {
  const env = getEnv();
  if (!env.DATABASE_URL) {
    console.error("custody worker needs DATABASE_URL: with the embedded database the worker runs inside `custody start`.");
    return 2;
  }
  const index = args.indexOf("--concurrency");
  const concurrency = index >= 0 ? Number(args[index + 1]) : undefined;
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0)) {
    console.error("--concurrency takes a positive whole number");
    return 2;
  }
  await waitForDatabase(env.DATABASE_URL, env.CUSTODY_DB_CONNECT_RETRIES, (line) => console.error(line));
  const runner = await runWorker({ concurrency });
  console.log(`Worker running (concurrency ${concurrency ?? env.CUSTODY_WORKER_CONCURRENCY}); Ctrl-C to stop.`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await runner.stop();
  await closeDb();
  return 0;
}
