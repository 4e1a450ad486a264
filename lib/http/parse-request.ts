import type { z } from "zod";
import { problemResponse } from "./problem-response.ts";

const MAX_JSON_BYTES = 64 * 1024;

/**
 * Parses a JSON body (POST/PUT/PATCH) or the query string (GET) with a zod schema; a failure is a
 * ready 400 problem naming each bad field.
 */
export async function parseRequest<S extends z.ZodType>(request: Request, schema: S, from: "body" | "query"): Promise<{ ok: true; data: z.infer<S> } | { ok: false; response: Response }> {
  let input: unknown;
  if (from === "query") {
    input = Object.fromEntries(new URL(request.url).searchParams);
  } else {
    const text = await request.text();
    if (text.length > MAX_JSON_BYTES) return { ok: false, response: problemResponse(413, "Payload too large", `Bodies are limited to ${MAX_JSON_BYTES} bytes.`) };
    try {
      input = text ? JSON.parse(text) : {};
    } catch {
      return { ok: false, response: problemResponse(400, "Bad request", "The body is not JSON.") };
    }
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  const detail = parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; ");
  return { ok: false, response: problemResponse(400, "Bad request", detail) };
}
