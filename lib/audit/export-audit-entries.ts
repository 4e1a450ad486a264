import "server-only";
import { db } from "@/lib/db";
import type { TAuditExportQuery } from "@/lib/contracts/audit";
import { toCsvRow } from "@/lib/shared/to-csv-row";
import { toAuditEntry } from "./to-audit-entry.ts";

const BATCH = 500;
const columns = ["occurred_at", "id", "actor_type", "actor_label", "actor_id", "action", "outcome", "target", "ip", "user_agent", "details"] as const;

/**
 * The audit trail from oldest to newest as CSV or a JSON array, streamed in batches so a
 * long history never sits in memory. The range is [from, to).
 */
export function exportAuditEntries(query: TAuditExportQuery): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: { at: Date; id: string } | null = null;
  let first = true;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) return;
      if (first && query.format === "csv") controller.enqueue(encoder.encode(toCsvRow(columns)));
      if (first && query.format === "json") controller.enqueue(encoder.encode("[\n"));
      const rows = await db.auditEntry.findMany({
        where: {
          occurredAt: { ...(query.from ? { gte: new Date(query.from) } : {}), ...(query.to ? { lt: new Date(query.to) } : {}) },
          ...(after ? { OR: [{ occurredAt: { gt: after.at } }, { occurredAt: after.at, id: { gt: after.id } }] } : {}),
        },
        orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
        take: BATCH,
      });
      const text = rows
        .map((row, index) => {
          const entry = toAuditEntry(row);
          if (query.format === "json") return `${first && index === 0 ? "" : ",\n"}${JSON.stringify(entry)}`;
          return toCsvRow([entry.occurredAt, entry.id, entry.actorType, entry.actorLabel, entry.actorId, entry.action, entry.outcome, entry.target, entry.ip, entry.userAgent, JSON.stringify(entry.details)]);
        })
        .join("");
      if (text) controller.enqueue(encoder.encode(text));
      if (rows.length) first = false;
      const last = rows.at(-1);
      if (last) after = { at: last.occurredAt, id: last.id };
      if (rows.length < BATCH) {
        done = true;
        if (query.format === "json") controller.enqueue(encoder.encode("\n]\n"));
        controller.close();
      }
    },
  });
}
