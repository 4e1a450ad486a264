// GET /api/v1/people/{id} — a person, their accounts with link evidence, and their activity across systems (who: any role).
import { ZPersonQuery } from "@/lib/contracts/people";
import { BadCursorError } from "@/lib/http/bad-cursor-error";
import { defineRoute } from "@/lib/http/define-route";
import { parseRequest } from "@/lib/http/parse-request";
import { problemResponse } from "@/lib/http/problem-response";
import { getPerson } from "@/lib/people/get-person";

export const dynamic = "force-dynamic";

export const GET = defineRoute<{ id: string }>("/api/v1/people/[id]", "GET", async (request, { params }) => {
  const parsed = await parseRequest(request, ZPersonQuery, "query");
  if (!parsed.ok) return parsed.response;
  try {
    const person = await getPerson(params.id, parsed.data);
    if (!person) return problemResponse(404, "Not found", `No person ${params.id}`);
    return Response.json(person);
  } catch (error) {
    if (error instanceof BadCursorError) return problemResponse(400, "Bad request", error.message);
    throw error;
  }
});
