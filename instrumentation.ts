// Starts the delivery worker inside the server process unless CUSTODY_WORKER=off
// (for deployments that run `npx custody worker` as separate processes).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startEmbeddedWorker } = await import("./lib/queue/start-embedded-worker");
  await startEmbeddedWorker();
}
