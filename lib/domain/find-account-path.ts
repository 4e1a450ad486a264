import "server-only";
import { db } from "@/lib/db";
import { entityPaths } from "@/lib/shared/entity-paths";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Where an account reference leads: its person's page when the account is linked to one, else the
 * timeline filtered to the account's username. The key is an account id, a username, an email or
 * an external id within `system`. Null when no account matches.
 */
export async function findAccountPath(system: string, key: string): Promise<string | null> {
  const account = await db.account.findFirst({
    where: { system, OR: [...(UUID.test(key) ? [{ id: key }] : []), { username: key }, { email: key }, { externalId: key }] },
    orderBy: [{ personId: { sort: "asc", nulls: "last" } }, { firstSeenAt: "asc" }],
  });
  if (!account) return null;
  if (account.personId) return entityPaths.person(account.personId);
  return `/timeline?person=${encodeURIComponent(account.username ?? account.name ?? key)}`;
}
