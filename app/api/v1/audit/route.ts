// GET /api/v1/audit — Custody's own audit trail, newest first, keyset-paged (who: auditor, admin).
import { ZAuditQuery } from "@/lib/contracts/audit";
import { findAuditEntries } from "@/lib/audit/find-audit-entries";
import { BadCursorError } from "@/lib/http/bad-cursor-error";
import { defineRoute } from "@/lib/http/define-route";
import { parseRequest } from "@/lib/http/parse-request";
import { problemResponse } from "@/lib/http/problem-response";

export const dynamic = "force-dynamic";

export const GET = defineRoute("/api/v1/audit", "GET", async (request) => {
  const parsed = await parseRequest(request, ZAuditQuery, "query");
  if (!parsed.ok) return parsed.response;
  try {
    return Response.json(await findAuditEntries(parsed.data), { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (error instanceof BadCursorError) return problemResponse(400, "Bad request", error.message);
    throw error;
  }
});
