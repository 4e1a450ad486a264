import "server-only";
import { db } from "@/lib/db";
import type { TAuditPage, TAuditQuery } from "@/lib/contracts/audit";
import { decodeCursor, encodeCursor } from "@/lib/shared/keyset-cursor";
import { BadCursorError } from "@/lib/http/bad-cursor-error";
import { toAuditEntry } from "./to-audit-entry.ts";

/**
 * Custody's audit trail, newest first, keyset-paged on (occurredAt, id) so entries with equal times
 * are never skipped or repeated across pages. Throws BadCursorError for a cursor it did not issue.
 */
export async function findAuditEntries(query: TAuditQuery): Promise<TAuditPage> {
  const cursor = decodeCursor(query.cursor);
  if (query.cursor && !cursor) throw new BadCursorError("cursor is not valid");
  const rows = await db.auditEntry.findMany({
    where: {
      ...(query.action ? { action: query.action } : {}),
      ...(cursor ? { OR: [{ occurredAt: { lt: cursor.at } }, { occurredAt: cursor.at, id: { lt: cursor.id } }] } : {}),
    },
    orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(toAuditEntry),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.occurredAt, last.id) : null,
  };
}
