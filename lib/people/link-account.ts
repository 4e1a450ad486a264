import "server-only";
import { db } from "@/lib/db";
import type { TPersonAccount } from "@/lib/contracts/people";
import { recordAuditEntry } from "@/lib/audit/record-audit-entry";
import type { TAuditActor } from "@/lib/audit/audit-actor";
import { toPersonAccount } from "./to-person-account.ts";

export type TLinkChangeInput = { actor: TAuditActor; reason: string; ip?: string | null; userAgent?: string | null };
export type TLinkChangeOutcome = { ok: true; account: TPersonAccount } | { ok: false; status: 404; detail: string };

/**
 * An admin's explicit mapping: puts the account with `personId`, or with a new person named after it
 * (`"new"`). Stored as method "admin" with {mappedBy, at, reason}; automatic passes never change it.
 * Records `people_link_changed` with the previous person and method.
 */
export async function linkAccount(accountId: string, personId: string | "new", input: TLinkChangeInput): Promise<TLinkChangeOutcome> {
  const account = await db.account.findUnique({ where: { id: accountId } });
  if (!account) return { ok: false, status: 404, detail: `No account ${accountId}.` };
  const at = new Date();
  const updated = await db.$transaction(async (tx) => {
    let target = personId;
    if (target === "new") {
      target = (await tx.person.create({ data: { displayName: account.name ?? account.username ?? `${account.system} ${account.externalId}`, createdAt: at } })).id;
    } else if (!(await tx.person.findUnique({ where: { id: target }, select: { id: true } }))) {
      return null;
    }
    return tx.account.update({
      where: { id: accountId },
      data: { personId: target, linkMethod: "admin", linkEvidence: { strength: "admin", mappedBy: input.actor.label, at: at.toISOString(), reason: input.reason } },
    });
  });
  if (!updated) return { ok: false, status: 404, detail: `No person ${personId}.` };
  await recordAuditEntry({
    actor: input.actor,
    action: "people_link_changed",
    target: `${account.system}:${account.username ?? account.externalId}`,
    ip: input.ip,
    userAgent: input.userAgent,
    details: { change: "link", accountId, personId: updated.personId, previousPersonId: account.personId, previousMethod: account.linkMethod, reason: input.reason },
  });
  return { ok: true, account: toPersonAccount(updated) };
}
