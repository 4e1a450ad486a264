import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { forwardedFor } from "@/lib/http/forwarded-for";
import { problemOutcome } from "@/lib/http/problem-outcome";
import { logEvent } from "@/lib/shared/log-event";
import { securityHeaders } from "@/lib/shared/security-headers";
import { receiveCredentials } from "../receive/receive-credentials.ts";
import type { TIncomingRequest } from "../receive/read-limited-body.ts";
import { receiveWebhook, type TWebhookOutcome } from "../receive/receive-webhook.ts";

const receivers: Record<string, (request: TIncomingRequest) => Promise<TWebhookOutcome>> = {
  "/api/webhooks/gitlab": (request) => receiveWebhook("gitlab", request),
  "/api/webhooks/buildkite": (request) => receiveWebhook("buildkite", request),
  "/api/ingest/credentials": (request) => receiveCredentials(request),
};

const fixedHeaders: Record<string, string> = Object.fromEntries(securityHeaders.map(({ key, value }) => [key, value]));

function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const address = forwardedFor(req);
  if (address) headers.set("x-forwarded-for", address);
  return headers;
}

function send(res: ServerResponse, outcome: TWebhookOutcome, closeAfter: boolean): void {
  const text = JSON.stringify(outcome.body);
  res.writeHead(outcome.status, {
    ...fixedHeaders,
    "Content-Type": outcome.status >= 400 ? "application/problem+json" : "application/json",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
    ...(closeAfter ? { Connection: "close" } : {}),
    ...outcome.headers,
  });
  res.end(text);
}

async function respond(req: IncomingMessage, res: ServerResponse, receive: (request: TIncomingRequest) => Promise<TWebhookOutcome>): Promise<void> {
  try {
    const outcome = await receive({ headers: headersOf(req), body: req });
    // After a 413 the rest of the body is not read: close instead of draining it.
    send(res, outcome, outcome.status === 413);
  } catch (error) {
    logEvent("error", "ingest.unexpected_error", { path: req.url, error: (error as Error).message });
    // A fully read request counts as destroyed in Node; only a gone response means nobody is listening.
    if (res.headersSent || res.destroyed) return;
    send(res, problemOutcome(500, "Internal server error", "The delivery was not stored; retry later."), false);
  }
}

/**
 * The receiving endpoints (POST /api/webhooks/gitlab, /api/webhooks/buildkite, /api/ingest/credentials)
 * served straight from a Node listener, with the same code and answers as their Next.js routes but
 * without the framework's per-request work. Returns false, touching nothing, for any other request.
 */
export function handleIngestRequest(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== "POST" || !req.url) return false;
  const query = req.url.indexOf("?");
  const receive = receivers[query < 0 ? req.url : req.url.slice(0, query)];
  if (!receive) return false;
  void respond(req, res, receive);
  return true;
}
