import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

// The parts the GitLab and Buildkite REST mocks share: token check, a request log, a fixed-window
// rate limit that answers 429 like the vendors do, and injected failures for crash tests.

/**
 * `limit` requests per `windowSeconds`; `every429` also answers every n-th request 429, as when other
 * clients of the same organization used the shared budget up (Buildkite's limit is per organization).
 */
export type TRateLimit = { limit: number; windowSeconds: number; style: "gitlab" | "buildkite"; every429?: number };
export type TMockCall = { path: string; query: string; status: number };

export type TMockControls = {
  url: string;
  calls: TMockCall[];
  /** From now on, the request with this number (1-based, counting from now) and every later one answer 500. */
  failFrom(requestNumber: number | null): void;
  close(): Promise<void>;
};

export type TMockRoute = (path: string, query: URLSearchParams) => { status: number; body: unknown; headers?: Record<string, string> } | null;

export async function startMockRestServer(options: { authorized: (req: IncomingMessage) => boolean; rateLimit: TRateLimit; route: TMockRoute }): Promise<TMockControls> {
  const calls: TMockCall[] = [];
  let windowStart = Date.now();
  let used = 0;
  let failAt: number | null = null;
  let counted = 0;
  let total = 0;
  const send = (res: ServerResponse, call: TMockCall, status: number, body: unknown, headers: Record<string, string> = {}) => {
    call.status = status;
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://mock");
    const call: TMockCall = { path: url.pathname, query: url.search, status: 0 };
    calls.push(call);
    counted += 1;
    if (failAt !== null && counted >= failAt) return send(res, call, 500, { message: "500 Internal Server Error" });
    if (!options.authorized(req)) return send(res, call, 401, { message: "401 Unauthorized" });
    const { limit, windowSeconds, style } = options.rateLimit;
    const now = Date.now();
    if (now - windowStart >= windowSeconds * 1000) {
      windowStart = now;
      used = 0;
    }
    used += 1;
    total += 1;
    const resetSeconds = Math.max(1, Math.ceil((windowStart + windowSeconds * 1000 - now) / 1000));
    const rate = {
      "ratelimit-limit": String(limit),
      "ratelimit-remaining": String(Math.max(0, limit - used)),
      // GitLab sends the reset as a Unix time; Buildkite as seconds from now.
      "ratelimit-reset": style === "gitlab" ? String(Math.ceil(windowStart / 1000) + windowSeconds) : String(resetSeconds),
    };
    if (used > limit || (options.rateLimit.every429 && total % options.rateLimit.every429 === 0)) return send(res, call, 429, { message: "Retry later" }, { ...rate, "retry-after": String(resetSeconds) });
    const answer = options.route(url.pathname, url.searchParams);
    if (!answer) return send(res, call, 404, { message: "404 Not Found" }, rate);
    send(res, call, answer.status, answer.body, { ...rate, ...answer.headers });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    failFrom(requestNumber) {
      counted = 0;
      failAt = requestNumber;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Offset pagination over a list, with the headers a page of GitLab or Buildkite carries. */
export function paginate<T>(items: T[], query: URLSearchParams, selfUrl: string, style: "gitlab" | "buildkite", maxPerPage = 100): { body: T[]; headers: Record<string, string> } {
  const perPage = Math.min(maxPerPage, Number(query.get("per_page") ?? (style === "gitlab" ? 20 : 30)));
  const page = Math.max(1, Number(query.get("page") ?? 1));
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  const body = items.slice((page - 1) * perPage, page * perPage);
  const link = (p: number) => {
    const u = new URL(selfUrl);
    u.searchParams.set("page", String(p));
    u.searchParams.set("per_page", String(perPage));
    return u.toString();
  };
  const rels = [...(page < totalPages ? [`<${link(page + 1)}>; rel="next"`] : []), ...(page > 1 ? [`<${link(page - 1)}>; rel="prev"`] : []), `<${link(1)}>; rel="first"`, `<${link(totalPages)}>; rel="last"`];
  const headers: Record<string, string> = { link: rels.join(", ") };
  if (style === "gitlab") {
    Object.assign(headers, {
      "x-page": String(page),
      "x-per-page": String(perPage),
      "x-next-page": page < totalPages ? String(page + 1) : "",
      "x-prev-page": page > 1 ? String(page - 1) : "",
      "x-total": String(items.length),
      "x-total-pages": String(totalPages),
    });
  }
  return { body, headers };
}

export function inWindow(value: unknown, from: string | null, to: string | null): boolean {
  if (typeof value !== "string") return false;
  const t = Date.parse(value);
  return (!from || t >= Date.parse(from)) && (!to || t <= Date.parse(to));
}
