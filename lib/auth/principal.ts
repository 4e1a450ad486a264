import type { TRole } from "@/lib/contracts/roles";

/** Who is calling, once authenticated: a signed-in user (via a session) or an API token. */
export type TPrincipal =
  | {
      kind: "user";
      userId: string;
      sessionId: string;
      provider: "gitlab" | "demo";
      username: string;
      name: string | null;
      role: TRole;
    }
  | { kind: "token"; tokenId: string; name: string; role: TRole };

/** Why no principal: shown as 401 (or a redirect to sign-in), "no-role" as the no-access page, "rate-limited" as 429. */
export type TAuthFailure =
  | { reason: "anonymous" | "invalid-token" | "revoked" | "expired" | "no-role" | "unverified" }
  | { reason: "rate-limited"; retryAfterSeconds: number };

export type TPrincipalResult = { ok: true; principal: TPrincipal } | ({ ok: false } & TAuthFailure);
