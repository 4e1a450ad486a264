import "server-only";
import { getEnv } from "@/lib/env";
import { logEvent } from "@/lib/shared/log-event";
import { runWorker } from "./run-worker.ts";

export async function startEmbeddedWorker(): Promise<void> {
  const env = getEnv();
  if (env.CUSTODY_WORKER === "off" || !env.DATABASE_URL) return;
  const runner = await runWorker();
  logEvent("info", "worker.started", { concurrency: env.CUSTODY_WORKER_CONCURRENCY });
  const stop = () => void runner.stop().catch(() => {});
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
