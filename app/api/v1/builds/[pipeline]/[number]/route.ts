// GET /api/v1/builds/{pipelineSlug}/{number} — a Buildkite build with its jobs, gates and who unblocked them, deploys and evidence (who: any role, session or token).
import { getBuild } from "@/lib/domain/get-build";
import { defineRoute } from "@/lib/http/define-route";
import { problemResponse } from "@/lib/http/problem-response";

export const dynamic = "force-dynamic";

export const GET = defineRoute<{ pipeline: string; number: string }>("/api/v1/builds/[pipeline]/[number]", "GET", async (_request, { params }) => {
  if (!/^[0-9]{1,9}$/.test(params.number)) return problemResponse(400, "Bad request", "The build number must be a positive integer, e.g. /api/v1/builds/payments-api-deploy/981.");
  const build = await getBuild(params.pipeline, Number(params.number));
  if (!build) return problemResponse(404, "Not found", `No build ${params.pipeline} #${params.number}`);
  return Response.json(build);
});
