import "server-only";
import type { TPrincipal } from "@/lib/auth/principal";
import type { TExportJobs } from "@/lib/contracts/exports";
import { getPool } from "@/lib/db";
import { exportJobColumns, toExportJob, type TExportJobRow } from "./to-export-job.ts";

/** The caller's most recent export jobs, newest first (admins: everyone's); expired jobs are gone. */
export async function findExportJobs(principal: TPrincipal, limit = 50): Promise<TExportJobs> {
  const admin = principal.role === "admin";
  const [type, id] = principal.kind === "user" ? ["user", principal.userId] : ["token", principal.tokenId];
  const { rows } = await getPool().query<TExportJobRow>(
    `SELECT ${exportJobColumns} FROM export_job
     WHERE expires_at > now() AND ($1::boolean OR (requester_type = $2 AND requester_id = $3))
     ORDER BY created_at DESC, id DESC LIMIT $4`,
    [admin, type, id, limit],
  );
  return { items: rows.map(toExportJob) };
}
