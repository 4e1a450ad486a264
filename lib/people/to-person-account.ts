import type { TLinkStrength, TPersonAccount } from "@/lib/contracts/people";

export type TAccountRow = {
  id: string;
  system: string;
  externalId: string;
  username: string | null;
  name: string | null;
  email: string | null;
  personId: string | null;
  linkMethod: string | null;
  linkEvidence: unknown;
  firstSeenAt: Date;
};

const strengths: Record<string, TLinkStrength> = { gitlab_user_id: "strong", sso_verified_email: "strong", email_match: "weak", admin: "admin" };

/** An account as the API shows it, with the strength its link method carries (null when not linked). */
export function toPersonAccount(row: TAccountRow): TPersonAccount {
  const evidence = row.linkEvidence && typeof row.linkEvidence === "object" && !Array.isArray(row.linkEvidence) ? (row.linkEvidence as Record<string, unknown>) : null;
  return {
    id: row.id,
    system: row.system,
    externalId: row.externalId,
    username: row.username,
    name: row.name,
    email: row.email,
    personId: row.personId,
    linkMethod: row.linkMethod,
    strength: row.personId && row.linkMethod ? (strengths[row.linkMethod] ?? null) : null,
    evidence,
    firstSeenAt: row.firstSeenAt.toISOString(),
  };
}
