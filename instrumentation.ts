// Starts the delivery worker inside the server process unless CUSTODY_WORKER=off
// (for deployments that run `npx custody worker` as separate processes).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Started by `custody start`: shut down (Next.js handles SIGTERM) when that process dies unannounced.
  const { exitWithParent } = await import("./lib/process/exit-with-parent");
  exitWithParent(() => process.kill(process.pid, "SIGTERM"));
  const { startEmbeddedWorker } = await import("./lib/queue/start-embedded-worker");
  await startEmbeddedWorker();
}
