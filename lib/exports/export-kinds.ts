import "server-only";
import { reportNames, ZReportFormat } from "@/lib/contracts/reports";
import type { TExportKind } from "./export-types.ts";
import { exportEvidencePackKind } from "./export-evidence-pack-kind.ts";
import { exportReport } from "./export-report.ts";

/**
 * Every kind of background export, by the name clients send: `<report>.<format>` for each report and
 * format, and `evidence-pack`. A new kind is one line here: a runner
 * `(params, actor, out, onProgress) => Promise<void>` with its parameter schema and download type.
 */
export const exportKinds: Record<string, TExportKind> = {
  ...Object.fromEntries(reportNames.flatMap((name) => ZReportFormat.options.map((format) => [`${name}.${format}`, exportReport(name, format)]))),
  "evidence-pack": exportEvidencePackKind(),
};
