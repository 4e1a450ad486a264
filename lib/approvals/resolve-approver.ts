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
 * The human behind a request. A session is its signed-in user. An API token (chat-ops) acts only for
 * the Custody user who created it in Settings, with that user's last-checked role; `onBehalfOf`, when
 * sent, must name that same user (so one token can never stand for several people, e.g. to satisfy a
 * two-person rule alone). Tokens created from the command line have nobody behind them and cannot
 * decide gates. The token's name is kept in the label. Fails with a reason a caller can act on.
 */
export async function resolveApprover(principal: TPrincipal, onBehalfOf?: string): Promise<{ ok: true; approver: TApprover } | { ok: false; detail: string }> {
  let user;
  if (principal.kind === "user") {
    user = await db.user.findUnique({ where: { id: principal.userId } });
    if (!user) return { ok: false, detail: "Your user no longer exists; sign in again." };
  } else {
    const token = await db.apiToken.findUnique({ where: { id: principal.tokenId }, select: { createdByUserId: true } });
    user = token?.createdByUserId ? await db.user.findFirst({ where: { id: token.createdByUserId, disabledAt: null } }) : null;
    if (!user) {
      return {
        ok: false,
        detail: `API token ${principal.name} was not created by a signed-in person (or that person is disabled), so it cannot decide gates. Sign in as the approver and create the token in Settings.`,
      };
    }
    if (onBehalfOf && onBehalfOf !== user.username) {
      return { ok: false, detail: `API token ${principal.name} belongs to ${user.username} and decides gates only as ${user.username}, not as ${onBehalfOf}.` };
    }
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
