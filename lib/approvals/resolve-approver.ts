import "server-only";
import { db } from "@/lib/db";
import type { TPrincipal } from "@/lib/auth/principal";
import type { TRole } from "@/lib/contracts/roles";
import { accountKeys } from "./account-keys.ts";
import type { TIdentityKeys } from "./build-policy-verdict.ts";

export type TApprover = {
  /** One human: `person:<id>` when linked, else `user:<id>`; the unique key of decisions. */
  key: string;
  label: string;
  role: TRole | null;
  userId: string | null;
  tokenId: string | null;
  personId: string | null;
  buildkiteUserId: string | null;
  keys: TIdentityKeys;
};

/**
 * The human behind a request. A session is its signed-in user. An API token (chat-ops) acts for the
 * Custody user it names in `onBehalfOf` (a GitLab username), with that user's last-checked role; the
 * token's own name is kept in the label. Null with a reason when there is nobody to attribute it to.
 */
export async function resolveApprover(principal: TPrincipal, onBehalfOf?: string): Promise<{ ok: true; approver: TApprover } | { ok: false; detail: string }> {
  const user =
    principal.kind === "user"
      ? await db.user.findUnique({ where: { id: principal.userId } })
      : onBehalfOf
        ? await db.user.findFirst({ where: { provider: "gitlab", username: onBehalfOf, disabledAt: null } })
        : null;
  if (!user) {
    return {
      ok: false,
      detail:
        principal.kind === "token"
          ? onBehalfOf
            ? `No Custody user signed in as GitLab user ${onBehalfOf}; they must sign in to Custody once before a token can approve for them.`
            : "An API token must name the person approving: send {\"onBehalfOf\": \"<GitLab username>\"}."
          : "Your user no longer exists; sign in again.",
    };
  }
  const role = principal.kind === "user" ? principal.role : user.role;
  const gitlabAccount = await db.account.findUnique({ where: { system_externalId: { system: "gitlab", externalId: user.subject } } });
  const personId = user.provider === "gitlab" ? (gitlabAccount?.personId ?? null) : null;
  const accounts = personId ? await db.account.findMany({ where: { personId }, orderBy: { firstSeenAt: "asc" } }) : gitlabAccount ? [gitlabAccount] : [];
  const buildkite = accounts.find((a) => a.system === "buildkite") ?? null;
  const keys = [...new Set([...accounts.flatMap(accountKeys), ...(user.email ? [`email:${user.email.toLowerCase()}`] : []), `user:${user.id}`])];
  return {
    ok: true,
    approver: {
      key: personId ? `person:${personId}` : `user:${user.id}`,
      label: principal.kind === "token" ? `${user.username} (via token ${principal.name})` : user.username,
      role,
      userId: user.id,
      tokenId: principal.kind === "token" ? principal.tokenId : null,
      personId,
      buildkiteUserId: buildkite?.externalId ?? null,
      keys,
    },
  };
}
