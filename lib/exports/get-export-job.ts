import "server-only";
import type { TPrincipal } from "@/lib/auth/principal";
import type { TExportJob } from "@/lib/contracts/exports";
import { getPool } from "@/lib/db";
import { canSeeExportJob } from "./can-see-export-job.ts";
import { exportJobColumns, toExportJob, type TExportJobRow } from "./to-export-job.ts";

/** One export job, or null when it does not exist, has expired, or is someone else's (admins see every job). */
export async function getExportJob(id: string, principal: TPrincipal): Promise<TExportJob | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const { rows } = await getPool().query<TExportJobRow>(`SELECT ${exportJobColumns} FROM export_job WHERE id = $1 AND expires_at > now()`, [id]);
  const row = rows[0];
  return row && canSeeExportJob(row, principal) ? toExportJob(row) : null;
}
