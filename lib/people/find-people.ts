import "server-only";
import { db, type Prisma } from "@/lib/db";
import type { TPeoplePage, TPeopleQuery } from "@/lib/contracts/people";
import { BadCursorError } from "@/lib/http/bad-cursor-error";
import { decodeCursor, encodeCursor } from "@/lib/shared/keyset-cursor";

/** People, newest first, keyset-paged on (createdAt, id). Throws BadCursorError for a foreign cursor. */
export async function findPeople(query: TPeopleQuery): Promise<TPeoplePage> {
  const cursor = decodeCursor(query.cursor);
  if (query.cursor && !cursor) throw new BadCursorError("cursor is not valid");
  const where: Prisma.PersonWhereInput = cursor ? { OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] } : {};
  const rows = await db.person.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    include: { accounts: { select: { id: true, system: true, username: true, linkMethod: true }, orderBy: [{ system: "asc" }, { externalId: "asc" }] } },
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((p) => ({ id: p.id, displayName: p.displayName, createdAt: p.createdAt.toISOString(), accounts: p.accounts })),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}
