import "server-only";
import type pg from "pg";
import { deliveriesChannel } from "@/lib/queue/announce-deliveries";
import { startNotifiedLoop } from "@/lib/queue/start-notified-loop";
import { logEvent } from "@/lib/shared/log-event";
import { appendToLedger } from "./append-to-ledger.ts";
import { createCheckpoint } from "./create-checkpoint.ts";
import type { TSigningKeyStatus } from "./get-signing-key.ts";

const BATCH = 1000;
const CHECKPOINT_CHECK_MS = 10_000;
const LOOKBACK_MS = 30_000;

export type TLedgerRunner = { stop: () => Promise<void> };

/**
 * The worker's ledger loop: appends stored deliveries and audit entries in batches when receivers
 * announce deliveries (LISTEN) and every `pollMs` (audit entries are not announced), and writes a
 * signed checkpoint every `checkpointSeconds` (after a full sweep, so it covers everything stored
 * before it). Without a usable key it appends but writes no checkpoints, and says so once.
 */
export function startLedger(
  pool: pg.Pool,
  options: { connectionString: string; pollMs: number; checkpointSeconds: number; signingKey: TSigningKeyStatus },
): TLedgerRunner {
  let stopping = false;
  let sweepDone = false;
  let lastCheckpointCheck = 0;
  let lastLookback = Date.now();
  const key = options.signingKey;
  if (key.status === "missing") logEvent("warn", "ledger.unsigned", { message: "CUSTODY_SIGNING_KEY is not set: the ledger records entries but no checkpoints are signed or written" });
  if (key.status === "invalid") logEvent("error", "ledger.unsigned", { message: `${key.message}; no checkpoints are written` });

  const tick = async (): Promise<number> => {
    // The first pass of each worker sweeps every row (deliveries stored before the ledger existed);
    // every LOOKBACK_MS a pass also looks behind the newest appended time for late commits.
    const lookback = Date.now() - lastLookback >= LOOKBACK_MS;
    const appended = await appendToLedger(pool, { limit: BATCH, sweep: !sweepDone, lookback });
    if (appended < BATCH) {
      sweepDone = true;
      if (lookback) lastLookback = Date.now();
    }
    if (key.status === "ok" && Date.now() - lastCheckpointCheck >= CHECKPOINT_CHECK_MS) {
      lastCheckpointCheck = Date.now();
      const due = await pool.query<{ due: boolean }>(
        "SELECT coalesce(max(created_at) <= now() - make_interval(secs => $1), true) AS due FROM ledger_checkpoint",
        [options.checkpointSeconds],
      );
      if (due.rows[0]?.due) {
        while ((await appendToLedger(pool, { limit: BATCH, sweep: true })) > 0 && !stopping);
        const checkpoint = await createCheckpoint(pool, key, { intervalSeconds: options.checkpointSeconds });
        if (checkpoint) logEvent("info", "ledger.checkpoint", { number: checkpoint.number.toString(), treeSize: checkpoint.treeSize.toString(), root: checkpoint.rootHash.toString("hex") });
      }
    }
    return appended;
  };

  const loop = startNotifiedLoop({
    name: "ledger",
    connectionString: options.connectionString,
    channel: deliveriesChannel,
    pollMs: options.pollMs,
    step: async () => ({ more: (await tick()) >= BATCH }),
  });

  return {
    stop: async () => {
      stopping = true;
      await loop.stop();
    },
  };
}
