import "server-only";
import { PassThrough, Readable } from "node:stream";
import type { TEvidencePackQuery } from "@/lib/contracts/evidence-pack";
import { getSigningKey } from "@/lib/evidence/get-signing-key";
import { problemResponse } from "@/lib/http/problem-response";
import { logEvent } from "@/lib/shared/log-event";
import { exportEvidencePack, type TPackActor } from "./export-evidence-pack.ts";

/**
 * The pack as a download, streamed while it is written. Without a usable signing key answers 409
 * before anything is recorded (a pack must be signed). A failure after the first byte aborts the
 * download, so a broken pack never looks complete.
 */
export async function exportEvidencePackResponse(query: TEvidencePackQuery, actor: TPackActor): Promise<Response> {
  const key = getSigningKey();
  if (key.status !== "ok") {
    return problemResponse(
      409,
      "Signing key required",
      key.status === "missing"
        ? "Evidence packs are signed with the ledger's signing key, and none is configured: set CUSTODY_SIGNING_KEY (create one with `npx custody keygen`)."
        : `${key.message}. Evidence packs need a usable signing key.`,
    );
  }
  const pass = new PassThrough();
  exportEvidencePack(query, actor, pass).then(
    () => pass.end(),
    (error: unknown) => {
      logEvent("error", "evidence.pack_failed", { actor: actor.label, message: (error as Error).message });
      pass.destroy(error as Error);
    },
  );
  const day = (iso: string) => new Date(iso).toISOString().slice(0, 10);
  return new Response(Readable.toWeb(pass) as ReadableStream<Uint8Array>, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="custody-evidence-${day(query.from)}-${day(query.to)}.zip"`,
      "Cache-Control": "no-store",
    },
  });
}
