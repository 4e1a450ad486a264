// POST /api/v1/deliveries/replay — re-process deliveries by id or all failed ones; audited (who: admin; role re-checked with GitLab).
import { ZReplayRequest } from "@/lib/contracts/deliveries";
import { auditActor } from "@/lib/audit/audit-actor";
import { defineRoute } from "@/lib/http/define-route";
import { parseRequest } from "@/lib/http/parse-request";
import { replayDeliveries } from "@/lib/replay/replay-deliveries";

export const dynamic = "force-dynamic";

export const POST = defineRoute(
  "/api/v1/deliveries/replay",
  "POST",
  async (request, { principal, client }) => {
    const parsed = await parseRequest(request, ZReplayRequest, "body");
    if (!parsed.ok) return parsed.response;
    const selection = parsed.data.ids ? { kind: "ids" as const, ids: parsed.data.ids } : { kind: "failed" as const };
    const queued = await replayDeliveries({ selection, actor: auditActor(principal), ...client });
    return Response.json({ queued }, { status: 202 });
  },
  { recheckRole: true },
);
