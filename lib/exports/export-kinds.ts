import "server-only";
import type { TExportKind } from "./export-types.ts";
import { exportEvidencePackKind } from "./export-evidence-pack-kind.ts";
import { exportReport } from "./export-report.ts";

/**
 * Every kind of background export, by the name clients send. A new kind is one line here: a runner
 * `(params, actor, out, onProgress) => Promise<void>` with its parameter schema and download type.
 */
export const exportKinds: Record<string, TExportKind> = {
  "change-management.csv": exportReport("change-management", "csv"),
  "change-management.json": exportReport("change-management", "json"),
  "change-management.pdf": exportReport("change-management", "pdf"),
  "credentials.csv": exportReport("credentials", "csv"),
  "credentials.json": exportReport("credentials", "json"),
  "credentials.pdf": exportReport("credentials", "pdf"),
  "completeness.csv": exportReport("completeness", "csv"),
  "completeness.json": exportReport("completeness", "json"),
  "completeness.pdf": exportReport("completeness", "pdf"),
  "evidence-pack": exportEvidencePackKind(),
};
