// GET /api/v1/merge-requests/{group/project}/{iid} — a merge request with its review, CI, deploys and evidence (who: any role, session or token).
import { getMergeRequest } from "@/lib/domain/get-merge-request";
import { defineRoute } from "@/lib/http/define-route";
import { problemResponse } from "@/lib/http/problem-response";
import { parseProjectRef } from "@/lib/shared/parse-project-ref";

export const dynamic = "force-dynamic";

export const GET = defineRoute<{ ref: string[] }>("/api/v1/merge-requests/[...ref]", "GET", async (_request, { params }) => {
  const ref = parseProjectRef(params.ref);
  if (!ref) return problemResponse(400, "Bad request", "Name a merge request as /api/v1/merge-requests/{group/project}/{iid}, e.g. acme/payments-api/17.");
  const mr = await getMergeRequest(ref.project, Number(ref.number));
  if (!mr) return problemResponse(404, "Not found", `No merge request ${ref.project}!${ref.number}`);
  return Response.json(mr);
});
