import { outcomeResponse } from "./outcome-response.ts";
import { problemOutcome } from "./problem-outcome.ts";

/** An RFC 9457 problem+json response. */
export function problemResponse(status: number, title: string, detail: string, headers?: Record<string, string>): Response {
  return outcomeResponse(problemOutcome(status, title, detail, headers));
}
