import "server-only";
import { db } from "@/lib/db";
import type { TUnlinkedAccounts } from "@/lib/contracts/people";
import { toPersonAccount } from "./to-person-account.ts";

/** Accounts that belong to no person (including ones an admin unlinked), oldest first, at most `limit`. */
export async function findUnlinkedAccounts(limit = 500): Promise<TUnlinkedAccounts> {
  const rows = await db.account.findMany({ where: { personId: null }, orderBy: [{ firstSeenAt: "asc" }, { id: "asc" }], take: limit });
  return { items: rows.map(toPersonAccount) };
}
