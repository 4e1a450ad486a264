import "server-only";
import type { TPrincipal } from "@/lib/auth/principal";
import { auditActor } from "@/lib/audit/audit-actor";
import { recordAuditEntry } from "@/lib/audit/record-audit-entry";
import type { TCreateExportBody, TExportJob } from "@/lib/contracts/exports";
import { getPool } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { exportKinds } from "./export-kinds.ts";
import { exportJobColumns, toExportJob, type TExportJobRow } from "./to-export-job.ts";

export type TCreateExportResult = { ok: true; job: TExportJob } | { ok: false; detail: string };

/**
 * Queues a background export for the caller: checks the kind and its parameters, stores the job and
 * adds the worker's `run_export` job in one transaction, and records the request in the audit trail.
 * The runner records failures itself, so the queue retries only after a worker died mid-export.
 */
export async function createExportJob(
  body: TCreateExportBody,
  principal: TPrincipal,
  client: { ip: string | null; userAgent: string | null },
): Promise<TCreateExportResult> {
  const kind = exportKinds[body.kind];
  if (!kind) return { ok: false, detail: `Unknown export kind "${body.kind}"; one of: ${Object.keys(exportKinds).join(", ")}.` };
  const parsed = kind.params.safeParse(body.params);
  if (!parsed.success) return { ok: false, detail: parsed.error.issues.map((i) => `${i.path.join(".") || "params"}: ${i.message}`).join("; ") };
  const actor = auditActor(principal);
  const conn = await getPool().connect();
  let row: TExportJobRow;
  try {
    await conn.query("BEGIN");
    const inserted = await conn.query<TExportJobRow>(
      `INSERT INTO export_job (id, kind, params, requested_by, requester_type, requester_id, expires_at)
       VALUES (gen_random_uuid(), $1, $2::jsonb, $3, $4, $5, now() + make_interval(secs => $6)) RETURNING ${exportJobColumns}`,
      [body.kind, JSON.stringify(parsed.data), actor.label, actor.type, actor.id, getEnv().CUSTODY_EXPORT_RETENTION],
    );
    row = inserted.rows[0]!;
    // One named queue: exports run one at a time, so however many are requested they hold at most
    // one of the worker's slots and deliveries keep being processed.
    await conn.query(`SELECT graphile_worker.add_job('run_export', json_build_object('jobId', $1::text), queue_name := 'exports', max_attempts := 3)`, [row.id]);
    await conn.query("COMMIT");
  } catch (error) {
    await conn.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    conn.release();
  }
  await recordAuditEntry({ actor, action: "export", target: `${body.kind} (background)`, ...client, details: { exportId: row.id, kind: body.kind, params: parsed.data } });
  return { ok: true, job: toExportJob(row) };
}
