import type { TPrincipal } from "@/lib/auth/principal";

/** Whether the caller may see (and download) an export job: the requester, or an admin. Pure. */
export function canSeeExportJob(row: { requester_type: string; requester_id: string | null }, principal: TPrincipal): boolean {
  if (principal.role === "admin") return true;
  return principal.kind === "user"
    ? row.requester_type === "user" && row.requester_id === principal.userId
    : row.requester_type === "token" && row.requester_id === principal.tokenId;
}
