import type { TAuditAction } from "@/lib/contracts/audit";

const phrases: Record<TAuditAction, string> = {
  sign_in: "signed in",
  sign_in_failed: "failed to sign in",
  sign_out: "signed out",
  session_revoked: "revoked a session",
  access_lost: "lost access",
  role_changed: "changed role",
  token_created: "created an API token",
  token_revoked: "revoked an API token",
  export: "exported",
  evidence_download: "downloaded evidence",
  approval_decision: "decided an approval",
  people_link_changed: "changed a people link",
  setting_changed: "changed a setting",
  replay: "replayed deliveries",
  backfill: "started a backfill",
};

/** The one-line timeline title of an audit entry, e.g. "alice created an API token: ci-reader". */
export function buildAuditTitle(entry: { actorLabel: string; action: TAuditAction; outcome: "success" | "failure"; target?: string | null }): string {
  const target = entry.target ? `: ${entry.target}` : "";
  const refused = entry.outcome === "failure" && entry.action !== "sign_in_failed" ? " (refused)" : "";
  return `${entry.actorLabel} ${phrases[entry.action]}${target}${refused}`.slice(0, 500);
}
