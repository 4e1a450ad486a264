import "server-only";
import { ZEvidencePackQuery } from "@/lib/contracts/evidence-pack";
import { ZExportPeriodParams, type TExportPeriodParams } from "@/lib/contracts/exports";
import { evidencePackFilename, exportEvidencePack } from "@/lib/evidence/pack/export-evidence-pack";
import type { TExportKind } from "./export-types.ts";

/**
 * The signed evidence pack as a background export: the same zip GET /api/v1/evidence streams, with
 * progress counted in deliveries written. Without a signing key the job fails with the route's reason.
 */
export function exportEvidencePackKind(): TExportKind {
  return {
    params: ZExportPeriodParams.superRefine((params, ctx) => {
      const parsed = ZEvidencePackQuery.safeParse(params);
      for (const issue of parsed.success ? [] : parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
    }),
    contentType: "application/zip",
    filename: (params) => {
      const { from, to } = params as TExportPeriodParams;
      return evidencePackFilename(from, to);
    },
    async run(params, actor, out, onProgress) {
      const query = ZEvidencePackQuery.parse(params);
      onProgress(0, null);
      await exportEvidencePack(query, actor, out, (done, total) => onProgress(done, total));
      out.end();
    },
  };
}
