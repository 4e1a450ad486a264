import "server-only";
import { getPool } from "@/lib/db";

export type TTimelineTick = { id: string; kind: string; title: string; occurredAt: string };

/** Timeline rows written after row `afterId` (by insertion), oldest first: what a live view has not seen. */
export async function findTimelineEventsAfter(afterId: bigint | null, limit = 100): Promise<{ items: TTimelineTick[]; lastId: bigint }> {
  const pool = getPool();
  if (afterId === null) {
    const { rows } = await pool.query<{ max: string | null }>("SELECT max(id)::text AS max FROM timeline_event");
    return { items: [], lastId: BigInt(rows[0]?.max ?? "0") };
  }
  const { rows } = await pool.query<{ id: string; kind: string; title: string; occurred_at: Date }>(
    "SELECT id::text AS id, kind, title, occurred_at FROM timeline_event WHERE id > $1 ORDER BY id LIMIT $2",
    [afterId.toString(), limit],
  );
  const last = rows.at(-1);
  return {
    items: rows.map((r) => ({ id: r.id, kind: r.kind, title: r.title, occurredAt: r.occurred_at.toISOString() })),
    lastId: last ? BigInt(last.id) : afterId,
  };
}
