// GET /api/v1/sessions — live sign-in sessions (who: admin).
import { findSessions } from "@/lib/auth/find-sessions";
import { defineRoute } from "@/lib/http/define-route";

export const dynamic = "force-dynamic";

export const GET = defineRoute("/api/v1/sessions", "GET", async (_request, { principal }) =>
  Response.json(await findSessions(principal.kind === "user" ? principal.sessionId : null), { headers: { "Cache-Control": "no-store" } }),
);
