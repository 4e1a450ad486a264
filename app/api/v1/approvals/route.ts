// GET /api/v1/approvals — builds waiting at a Buildkite block step, the change behind each, and the policy verdict for the caller (who: viewer).
import { findWaitingGates } from "@/lib/approvals/find-waiting-gates";
import { defineRoute } from "@/lib/http/define-route";

export const dynamic = "force-dynamic";

export const GET = defineRoute("/api/v1/approvals", "GET", async (_request, { principal }) => Response.json(await findWaitingGates(principal), { headers: { "Cache-Control": "no-store" } }));
