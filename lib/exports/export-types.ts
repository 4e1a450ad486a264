import type { Writable } from "node:stream";
import type { z } from "zod";
import type { TAuditActor } from "@/lib/audit/audit-actor";

/**
 * One kind of background export: its parameters, what the download is, and the runner that writes
 * the bytes to `out` (ending it is the runner's job) and reports progress as it goes (`total` may be
 * null when unknown up front).
 */
export type TExportKind<P = unknown> = {
  params: z.ZodType<P>;
  contentType: string;
  filename: (params: P) => string;
  run: (params: P, actor: TAuditActor, out: Writable, onProgress: (done: number, total: number | null) => void) => Promise<void>;
};
