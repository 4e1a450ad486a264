import { closeDb } from "@/lib/db";
import type { TReplaySelection } from "@/lib/ingest/requeue-deliveries";
import { replayDeliveries } from "@/lib/replay/replay-deliveries";
import { parseSourceDate } from "@/lib/shared/parse-source-date";
import { cliActor } from "./cli-actor.ts";
import { option } from "./read-option.ts";

const usage = "custody replay <delivery-id…> | --failed | [--source gitlab|buildkite|credentials] [--from DATE] [--to DATE] [--state STATE]";

/** `custody replay`: re-process deliveries by id, source, time range or "all failed"; recorded in the audit trail (actor "cli"). */
export async function runReplayCommand(args: string[]): Promise<number> {
  let selection: TReplaySelection;
  if (args.includes("--failed")) selection = { kind: "failed" };
  else if (args.length && args.every((a) => /^[0-9a-f-]{36}$/i.test(a))) selection = { kind: "ids", ids: args };
  else if (args.some((a) => a.startsWith("--"))) {
    const from = option(args, "--from");
    const to = option(args, "--to");
    const source = option(args, "--source");
    const state = option(args, "--state");
    const fromDate = from ? parseSourceDate(from) : undefined;
    const toDate = to ? parseSourceDate(to) : undefined;
    if ((from && !fromDate) || (to && !toDate)) {
      console.error(`Dates must look like 2026-01-31 or 2026-01-31T12:00:00Z.\nUsage: ${usage}`);
      return 2;
    }
    if (source && !["gitlab", "buildkite", "credentials"].includes(source)) {
      console.error(`Unknown source "${source}".\nUsage: ${usage}`);
      return 2;
    }
    selection = { kind: "filter", source, from: fromDate ?? undefined, to: toDate ?? undefined, states: state ? [state] : undefined };
  } else {
    console.error(`Usage: ${usage}`);
    return 2;
  }
  try {
    const count = await replayDeliveries({ selection, actor: cliActor() });
    console.log(`Queued ${count} deliver${count === 1 ? "y" : "ies"} for re-processing.`);
    return 0;
  } finally {
    await closeDb();
  }
}
