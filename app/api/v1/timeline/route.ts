// GET /api/v1/timeline — the timeline with search and filters, keyset-paged (who: any signed-in role).
import { ZTimelineQuery } from "@/lib/contracts/timeline";
import { findTimelineEvents } from "@/lib/domain/find-timeline-events";
import { BadCursorError } from "@/lib/http/bad-cursor-error";
import { defineRoute } from "@/lib/http/define-route";
import { parseRequest } from "@/lib/http/parse-request";
import { problemResponse } from "@/lib/http/problem-response";

export const dynamic = "force-dynamic";

export const GET = defineRoute("/api/v1/timeline", "GET", async (request) => {
  const parsed = await parseRequest(request, ZTimelineQuery, "query");
  if (!parsed.ok) return parsed.response;
  try {
    return Response.json(await findTimelineEvents(parsed.data));
  } catch (error) {
    if (error instanceof BadCursorError) return problemResponse(400, "Bad request", error.message);
    throw error;
  }
});
