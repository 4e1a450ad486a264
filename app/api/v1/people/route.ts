// GET /api/v1/people — people, newest first, keyset-paged (who: any role, session or token).
import { ZPeopleQuery } from "@/lib/contracts/people";
import { BadCursorError } from "@/lib/http/bad-cursor-error";
import { defineRoute } from "@/lib/http/define-route";
import { parseRequest } from "@/lib/http/parse-request";
import { problemResponse } from "@/lib/http/problem-response";
import { findPeople } from "@/lib/people/find-people";

export const dynamic = "force-dynamic";

export const GET = defineRoute("/api/v1/people", "GET", async (request) => {
  const parsed = await parseRequest(request, ZPeopleQuery, "query");
  if (!parsed.ok) return parsed.response;
  try {
    return Response.json(await findPeople(parsed.data));
  } catch (error) {
    if (error instanceof BadCursorError) return problemResponse(400, "Bad request", error.message);
    throw error;
  }
});
