/** An RFC 9457 problem body as a lib outcome (lib functions return outcomes; routes turn them into Responses). */
export function problemOutcome(status: number, title: string, detail: string, headers?: Record<string, string>) {
  return { status, body: { type: "about:blank", title, status, detail }, headers };
}
