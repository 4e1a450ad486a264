import type { IncomingMessage } from "node:http";

/**
 * The X-Forwarded-For value to pass on for a request taken off a socket: the one the client (or a
 * proxy in front) sent, else the socket's own address, as Next.js sets it when reached directly.
 */
export function forwardedFor(req: IncomingMessage): string {
  const sent = req.headers["x-forwarded-for"];
  if (sent !== undefined) return Array.isArray(sent) ? sent.join(", ") : sent;
  return req.socket.remoteAddress ?? "";
}
