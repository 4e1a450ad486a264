// GET /api/v1/me — who the caller is and their role (who: any role, session or token).
import { defineRoute } from "@/lib/http/define-route";
import type { TMe } from "@/lib/contracts/sessions";

export const dynamic = "force-dynamic";

export const GET = defineRoute("/api/v1/me", "GET", async (_request, { principal }) => {
  const me: TMe =
    principal.kind === "user"
      ? { kind: "user", name: principal.username, role: principal.role, provider: principal.provider }
      : { kind: "token", name: principal.name, role: principal.role, provider: null };
  return Response.json(me, { headers: { "Cache-Control": "no-store" } });
});
