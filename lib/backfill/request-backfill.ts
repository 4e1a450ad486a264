import "server-only";
import { getPool } from "@/lib/db";
import { recordAuditEntry } from "@/lib/audit/record-audit-entry";
import type { TAuditActor } from "@/lib/audit/audit-actor";
import type { TBackfillCreate } from "@/lib/contracts/backfills";
import { getBackfillConfig } from "./get-backfill-config.ts";
import { startBackfill } from "./start-backfill.ts";

export type TRequestBackfillOutcome = { ok: true; id: string; resumed: boolean } | { ok: false; status: 409; detail: string };

/**
 * An admin's backfill: creates the run (or finds the unfinished one for the same window), queues it
 * for the worker (unless the caller runs it itself, as the CLI does) and records who asked in the
 * audit trail. Refused when the source has no API access.
 */
export async function requestBackfill(
  input: TBackfillCreate,
  context: { actor: TAuditActor; ip?: string | null; userAgent?: string | null },
  options: { queue?: boolean } = {},
): Promise<TRequestBackfillOutcome> {
  const config = getBackfillConfig(input.source);
  if (!config.ok) return { ok: false, status: 409, detail: config.detail };
  const pool = getPool();
  const run = await startBackfill(pool, {
    source: input.source,
    kind: "backfill",
    from: new Date(input.since),
    to: input.until ? new Date(input.until) : null,
    startedBy: context.actor.label,
  });
  if (options.queue !== false) await pool.query("SELECT graphile_worker.add_job('run_backfill', json_build_object('runId', $1::text), job_key := 'backfill:' || $1::text, max_attempts := 3)", [run.id]);
  await recordAuditEntry({
    actor: context.actor,
    action: "backfill",
    target: `${input.source} since ${input.since}${input.until ? ` until ${input.until}` : ""}`,
    ip: context.ip,
    userAgent: context.userAgent,
    details: { runId: run.id, resumed: run.resumed },
  });
  return { ok: true, ...run };
}
