import { outcomeResponse } from "./outcome-response.ts";

/** An RFC 9457 problem+json response. */
export function problemResponse(status: number, title: string, detail: string, headers?: Record<string, string>): Response {
  return outcomeResponse({ status, body: { type: "about:blank", title, status, detail }, headers });
}
