import type { TAuditActorType } from "@/lib/contracts/audit";
import type { TPrincipal } from "@/lib/auth/principal";

export type TAuditActor = { type: TAuditActorType; id: string | null; label: string };

/** The audit actor for a principal: a user by username, a token by its name. */
export function auditActor(principal: TPrincipal): TAuditActor {
  return principal.kind === "user"
    ? { type: "user", id: principal.userId, label: principal.username }
    : { type: "token", id: principal.tokenId, label: `token:${principal.name}` };
}
