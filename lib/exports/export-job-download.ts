import "server-only";
import type { TPrincipal } from "@/lib/auth/principal";
import { auditActor } from "@/lib/audit/audit-actor";
import { recordAuditEntry } from "@/lib/audit/record-audit-entry";
import { getPool } from "@/lib/db";
import { exportKinds } from "./export-kinds.ts";
import { getExportJob } from "./get-export-job.ts";

export type TExportDownload =
  | { ok: true; body: ReadableStream<Uint8Array>; contentType: string; filename: string; size: number; sha256: string }
  | { ok: false; status: 404 | 409; detail: string };

/**
 * The stored result of a finished export job, streamed chunk by chunk from the database (any app
 * instance can serve it). Only the requester or an admin; each download is recorded in the audit trail.
 */
export async function exportJobDownload(id: string, principal: TPrincipal, client: { ip: string | null; userAgent: string | null }): Promise<TExportDownload> {
  const job = await getExportJob(id, principal);
  if (!job) return { ok: false, status: 404, detail: "No such export (it may have expired, or belong to someone else)." };
  if (job.state !== "done") return { ok: false, status: 409, detail: `The export is ${job.state}${job.error ? `: ${job.error}` : ""}; it can be downloaded once done.` };
  const kind = exportKinds[job.kind];
  await recordAuditEntry({ actor: auditActor(principal), action: "export", target: `${job.kind} (background) download`, ...client, details: { exportId: id, sha256: job.resultSha256 } });
  const pool = getPool();
  let seq = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { rows } = await pool.query<{ data: Buffer }>("SELECT data FROM export_chunk WHERE job_id = $1 AND seq = $2", [id, seq++]);
      if (rows[0]) controller.enqueue(new Uint8Array(rows[0].data));
      else controller.close();
    },
  });
  return {
    ok: true,
    body,
    contentType: kind?.contentType ?? "application/octet-stream",
    filename: kind?.filename(job.params) ?? `custody-export-${id}`,
    size: job.resultSize ?? 0,
    sha256: job.resultSha256 ?? "",
  };
}
