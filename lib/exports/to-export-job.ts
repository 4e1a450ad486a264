import type { TExportJob, TExportState } from "@/lib/contracts/exports";

export type TExportJobRow = {
  id: string;
  kind: string;
  params: Record<string, unknown>;
  requested_by: string;
  requester_type: string;
  requester_id: string | null;
  state: TExportState;
  progress_done: number;
  progress_total: number | null;
  error: string | null;
  result_size: string | null;
  result_sha256: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  expires_at: Date;
};

export const exportJobColumns =
  "id, kind, params, requested_by, requester_type, requester_id, state, progress_done, progress_total, error, result_size::text, result_sha256, created_at, started_at, finished_at, expires_at";

/** The API shape of an export job row. Pure. */
export function toExportJob(row: TExportJobRow): TExportJob {
  return {
    id: row.id,
    kind: row.kind,
    params: row.params,
    requestedBy: row.requested_by,
    state: row.state,
    progress: { done: row.progress_done, total: row.progress_total },
    error: row.error,
    resultSize: row.result_size === null ? null : Number(row.result_size),
    resultSha256: row.result_sha256,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
    expiresAt: row.expires_at.toISOString(),
    downloadUrl: row.state === "done" ? `/api/v1/exports/${row.id}/download` : null,
  };
}
