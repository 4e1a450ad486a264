/** Maps a lib outcome to a JSON Response (problem+json for errors). */
export function outcomeResponse(outcome: { status: number; body: unknown; headers?: Record<string, string> }): Response {
  const type = outcome.status >= 400 ? "application/problem+json" : "application/json";
  return new Response(JSON.stringify(outcome.body), {
    status: outcome.status,
    headers: { "Content-Type": type, "Cache-Control": "no-store", ...outcome.headers },
  });
}
