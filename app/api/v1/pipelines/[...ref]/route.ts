// GET /api/v1/pipelines/{group/project}/{pipelineId} — a GitLab pipeline with its jobs, builds, deploys and evidence (who: any role, session or token).
import { getPipeline } from "@/lib/domain/get-pipeline";
import { defineRoute } from "@/lib/http/define-route";
import { problemResponse } from "@/lib/http/problem-response";
import { parseProjectRef } from "@/lib/shared/parse-project-ref";

export const dynamic = "force-dynamic";

export const GET = defineRoute<{ ref: string[] }>("/api/v1/pipelines/[...ref]", "GET", async (_request, { params }) => {
  const ref = parseProjectRef(params.ref);
  if (!ref) return problemResponse(400, "Bad request", "Name a pipeline as /api/v1/pipelines/{group/project}/{pipelineId}, e.g. acme/payments-api/1183467.");
  const pipeline = await getPipeline(ref.project, ref.number);
  if (!pipeline) return problemResponse(404, "Not found", `No pipeline #${ref.number} in ${ref.project}`);
  return Response.json(pipeline);
});
