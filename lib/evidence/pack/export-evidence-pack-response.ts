import "server-only";
import { PassThrough, Readable } from "node:stream";
import type { TEvidencePackQuery } from "@/lib/contracts/evidence-pack";
import { problemResponse } from "@/lib/http/problem-response";
import { logEvent } from "@/lib/shared/log-event";
import { evidencePackFilename, exportEvidencePack, signingKeyProblem, type TPackActor } from "./export-evidence-pack.ts";

/**
 * The pack as a download, streamed while it is written. Without a usable signing key answers 409
 * before anything is recorded (a pack must be signed). A failure after the first byte aborts the
 * download, so a broken pack never looks complete.
 */
export async function exportEvidencePackResponse(query: TEvidencePackQuery, actor: TPackActor): Promise<Response> {
  const problem = signingKeyProblem();
  if (problem) return problemResponse(409, "Signing key required", problem);
  const pass = new PassThrough();
  exportEvidencePack(query, actor, pass).then(
    () => pass.end(),
    (error: unknown) => {
      logEvent("error", "evidence.pack_failed", { actor: actor.label, message: (error as Error).message });
      pass.destroy(error as Error);
    },
  );
  return new Response(Readable.toWeb(pass) as ReadableStream<Uint8Array>, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${evidencePackFilename(query.from, query.to)}"`,
      "Cache-Control": "no-store",
    },
  });
}
