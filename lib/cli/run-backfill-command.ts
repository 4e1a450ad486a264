import { closeDb, getPool } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { findBackfillRuns } from "@/lib/backfill/find-backfill-runs";
import { requestBackfill } from "@/lib/backfill/request-backfill";
import { runBackfill } from "@/lib/backfill/run-backfill";
import { ZBackfillCreate } from "@/lib/contracts/backfills";
import { cliActor } from "./cli-actor.ts";
import { openDatabase } from "./with-database.ts";
import { option } from "./read-option.ts";

const usage = "custody backfill --source gitlab|buildkite --since <date> [--until <date>]";

/**
 * `custody backfill`: reads a source's REST API for a window and stores what it finds, in this process,
 * with progress on stderr. Running it again for the same window continues the unfinished run.
 */
export async function runBackfillCommand(args: string[]): Promise<number> {
  const parsed = ZBackfillCreate.safeParse({ source: option(args, "--source"), since: option(args, "--since"), until: option(args, "--until") });
  if (!parsed.success) {
    console.error(`${parsed.error.issues.map((i) => `${i.path.join(".") || "arguments"}: ${i.message}`).join("\n")}\nUsage: ${usage}`);
    return 2;
  }
  const { source, since, until } = parsed.data;
  // The embedded database when DATABASE_URL is unset, as the other commands; the run happens here, not in a worker.
  const database = await openDatabase();
  process.env.DATABASE_URL = database.url;
  resetEnvCache();
  let timer: NodeJS.Timeout | undefined;
  try {
    const run = await requestBackfill(parsed.data, { actor: cliActor() }, { queue: false });
    if (!run.ok) {
      console.error(run.detail);
      return 2;
    }
    console.error(`${run.resumed ? "Continuing" : "Started"} backfill ${run.id} (${source} since ${since}${until ? ` until ${until}` : ""}).`);
    const report = async () => {
      const r = await findBackfillRuns(run.id);
      if (r) console.error(`  ${r.unitsDone}/${r.unitsTotal ?? "?"} parts done · ${r.requests} requests · ${r.fetched} objects read · ${r.stored} new · ${r.gapsFound} gaps filled`);
    };
    timer = setInterval(() => void report().catch(() => {}), 2_000);
    const outcome = await runBackfill(getPool(), run.id);
    clearInterval(timer);
    await report();
    if (outcome.state === "done") {
      console.error("Done. The stored objects are processed by the worker (or by `custody start`).");
      return 0;
    }
    if (outcome.state === "busy") console.error("Another process is running this backfill; try again when it ends.");
    else console.error(`Stopped: ${outcome.error ?? outcome.state}. Run the same command again to continue where it stopped.`);
    return 1;
  } finally {
    if (timer) clearInterval(timer);
    await closeDb();
    await database.close();
  }
}
