// GET /api/v1/timeline — the timeline with search and filters, keyset-paged (who: any signed-in role).
import { ZTimelineQuery } from "@/lib/contracts/timeline";
import { BadCursorError } from "@/lib/domain/find-deployments";
import { findTimelineEvents } from "@/lib/domain/find-timeline-events";
import { defineRoute } from "@/lib/http/define-route";
import { outcomeResponse } from "@/lib/http/outcome-response";

export const dynamic = "force-dynamic";

export const GET = defineRoute("/api/v1/timeline", "GET", async (request) => {
  const parsed = ZTimelineQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    return outcomeResponse({ status: 400, body: { title: "Bad request", status: 400, detail: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") } });
  }
  try {
    return Response.json(await findTimelineEvents(parsed.data));
  } catch (error) {
    if (error instanceof BadCursorError) return outcomeResponse({ status: 400, body: { title: "Bad request", status: 400, detail: error.message } });
    throw error;
  }
});
