import "server-only";
import { db, getPool } from "@/lib/db";
import type { TPersonDetail, TPersonQuery } from "@/lib/contracts/people";
import type { TTimelineItem } from "@/lib/contracts/timeline";
import { BadCursorError } from "@/lib/http/bad-cursor-error";
import { decodeCursor, encodeCursor } from "@/lib/shared/keyset-cursor";
import { toPersonAccount } from "./to-person-account.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type TRow = { id: string; occurred_at: Date; kind: string; source: string; title: string; project_path: string | null; environment: string | null; actor: string | null; sha: string | null; refs: string[]; delivery_id: string | null };

/**
 * A person, their accounts (with link method, strength and evidence) and what those accounts did in
 * every system: timeline rows attributed to any of them, newest first, keyset-paged on
 * (occurred_at to the millisecond, as the cursor carries it; id). Null for an unknown id; throws BadCursorError for a foreign cursor.
 */
export async function getPerson(id: string, query: TPersonQuery): Promise<TPersonDetail | null> {
  if (!UUID.test(id)) return null;
  const cursor = decodeCursor(query.cursor);
  if (query.cursor && (!cursor || !/^[0-9]+$/.test(cursor.id))) throw new BadCursorError("cursor is not valid");
  const person = await db.person.findUnique({ where: { id }, include: { accounts: { orderBy: [{ system: "asc" }, { externalId: "asc" }] } } });
  if (!person) return null;
  const accountIds = person.accounts.map((a) => a.id);
  const { rows } = accountIds.length
    ? await getPool().query<TRow>(
        `SELECT id::text AS id, occurred_at, kind, source, title, project_path, environment, actor, sha, refs, delivery_id::text
         FROM timeline_event WHERE account_id = ANY($1::uuid[]) ${cursor ? "AND (date_trunc('milliseconds', occurred_at), id) < ($3, $4::bigint)" : ""}
         ORDER BY date_trunc('milliseconds', timeline_event.occurred_at) DESC, timeline_event.id DESC LIMIT $2`,
        cursor ? [accountIds, query.limit + 1, cursor.at, cursor.id] : [accountIds, query.limit + 1],
      )
    : { rows: [] as TRow[] };
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const items: TTimelineItem[] = page.map((r) => ({
    id: r.id,
    occurredAt: r.occurred_at.toISOString(),
    kind: r.kind,
    source: r.source,
    title: r.title,
    projectPath: r.project_path,
    environment: r.environment,
    actor: r.actor,
    sha: r.sha,
    refs: r.refs,
    deliveryId: r.delivery_id,
  }));
  return {
    id: person.id,
    displayName: person.displayName,
    createdAt: person.createdAt.toISOString(),
    accounts: person.accounts.map(toPersonAccount),
    activity: { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last.occurred_at, last.id) : null },
  };
}
