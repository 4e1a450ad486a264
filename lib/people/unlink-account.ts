import "server-only";
import { db } from "@/lib/db";
import { recordAuditEntry } from "@/lib/audit/record-audit-entry";
import type { TLinkChangeInput, TLinkChangeOutcome } from "./link-account.ts";
import { toPersonAccount } from "./to-person-account.ts";

/**
 * An admin's decision that an account belongs to no person: stored as method "admin_unlinked" with
 * {mappedBy, at, reason, previousPersonId}, so no automatic pass links it again. Records
 * `people_link_changed`. The person stays (with its other accounts, if any).
 */
export async function unlinkAccount(accountId: string, input: TLinkChangeInput): Promise<TLinkChangeOutcome> {
  const account = await db.account.findUnique({ where: { id: accountId } });
  if (!account) return { ok: false, status: 404, detail: `No account ${accountId}.` };
  const at = new Date().toISOString();
  const updated = await db.account.update({
    where: { id: accountId },
    data: {
      personId: null,
      linkMethod: "admin_unlinked",
      linkEvidence: { mappedBy: input.actor.label, at, reason: input.reason, previousPersonId: account.personId, previousMethod: account.linkMethod },
    },
  });
  await recordAuditEntry({
    actor: input.actor,
    action: "people_link_changed",
    target: `${account.system}:${account.username ?? account.externalId}`,
    ip: input.ip,
    userAgent: input.userAgent,
    details: { change: "unlink", accountId, previousPersonId: account.personId, previousMethod: account.linkMethod, reason: input.reason },
  });
  return { ok: true, account: toPersonAccount(updated) };
}
