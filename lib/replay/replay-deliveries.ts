import "server-only";
import { getPool } from "@/lib/db";
import { requeueDeliveries, type TReplaySelection } from "@/lib/ingest/requeue-deliveries";
import { recordAuditEntry } from "@/lib/audit/record-audit-entry";
import type { TAuditActor } from "@/lib/audit/audit-actor";

/** Re-queues deliveries for processing (lib/ingest/requeue-deliveries.ts) and records `replay`. Returns how many. */
export async function replayDeliveries(input: { selection: TReplaySelection; actor: TAuditActor; ip?: string | null; userAgent?: string | null }): Promise<number> {
  const queued = await requeueDeliveries(getPool(), input.selection);
  const { selection } = input;
  await recordAuditEntry({
    actor: input.actor,
    action: "replay",
    target: selection.kind === "ids" ? `${selection.ids.length} deliver${selection.ids.length === 1 ? "y" : "ies"} by id` : selection.kind === "failed" ? "all failed deliveries" : "deliveries by filter",
    ip: input.ip,
    userAgent: input.userAgent,
    details: {
      queued,
      selection:
        selection.kind === "ids"
          ? { ids: selection.ids.slice(0, 100), count: selection.ids.length }
          : selection.kind === "filter"
            ? { source: selection.source ?? null, from: selection.from?.toISOString() ?? null, to: selection.to?.toISOString() ?? null, states: selection.states ?? null }
            : { failed: true },
    },
  });
  return queued;
}
