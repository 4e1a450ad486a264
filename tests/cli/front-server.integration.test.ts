// The listener `custody start` serves on HOST:PORT: deliveries are received in this process, every
// other request is streamed to the dashboard server behind it.
import http from "node:http";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { truncateAll } from "../support/graph-snapshot.ts";
import { buildkiteSignature, configureWebhookSecrets, secrets } from "../support/webhook-requests.ts";
import { freePort } from "../support/spawn-custody.ts";

const LIMIT = 2048;
configureWebhookSecrets();
process.env.CUSTODY_MAX_BODY_BYTES = String(LIMIT);
const { getPool, closeDb } = await import("@/lib/db");
const { startFrontServer } = await import("@/lib/cli/start-front-server");

const pool = getPool();
let frontUrl = "";
let stopFront: () => Promise<void> = async () => {};
let upstream: http.Server;
let upstreamPort = 0;
const seenUpstream: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

/** A stand-in dashboard server: echoes what it received, or streams events slowly on /stream. */
function startUpstream(port: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seenUpstream.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString() });
      if (req.url === "/stream") {
        res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" });
        res.write("data: first\n\n");
        // The second event only comes after a while: the first must reach the client before it.
        setTimeout(() => res.end("data: second\n\n"), 1_500);
        return;
      }
      res.writeHead(218, { "content-type": "text/plain", "set-cookie": ["a=1; Path=/", "b=2; Path=/"], "x-upstream": "yes" });
      res.end(`echo ${req.method} ${req.url}`);
    });
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

beforeAll(async () => {
  upstreamPort = await freePort();
  upstream = await startUpstream(upstreamPort);
  const port = await freePort();
  const front = await startFrontServer({ host: "127.0.0.1", port, dashboardPort: upstreamPort });
  stopFront = front.close;
  frontUrl = `http://127.0.0.1:${port}`;
});
beforeEach(async () => {
  seenUpstream.length = 0;
  await truncateAll(pool);
});
afterAll(async () => {
  await stopFront();
  await new Promise((resolve) => upstream.close(resolve));
  await closeDb();
});

function postBuildkite(body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${frontUrl}/api/webhooks/buildkite`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-buildkite-event": "ping", "x-buildkite-signature": buildkiteSignature(body), ...headers },
    body,
  });
}

describe("deliveries on the front listener", () => {
  it("a signed delivery is stored in state received and answered 202; the same bytes again 200 with the same id", async () => {
    const body = JSON.stringify({ event: "ping", nonce: randomUUID() });
    const first = await postBuildkite(body);
    expect(first.status).toBe(202);
    expect(first.headers.get("content-type")).toBe("application/json");
    expect(first.headers.get("x-frame-options")).toBe("DENY");
    const stored = (await first.json()) as { id: string };
    const again = await postBuildkite(body);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(stored.id);
    const { rows } = await pool.query<{ id: string; body: Buffer; processing_state: string; headers: Record<string, string> }>(
      "SELECT id, body, processing_state, headers FROM delivery",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: stored.id, processing_state: "received" });
    expect(rows[0]!.body.toString()).toBe(body);
    expect(rows[0]!.headers["x-buildkite-signature"]).toMatch(/^timestamp=\d+,signature=\[redacted\]$/);
    expect(seenUpstream).toEqual([]);
  });

  it("refuses a wrong signature (401), a non-JSON body (400) and an oversized body (413) with problem+json, storing nothing", async () => {
    const wrong = await postBuildkite("{}", { "x-buildkite-signature": buildkiteSignature("{}", undefined, "not-the-secret") });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("content-type")).toBe("application/problem+json");
    expect(((await wrong.json()) as { detail: string }).detail).toMatch(/Authentication failed/);
    expect((await postBuildkite("not json")).status).toBe(400);
    const big = JSON.stringify({ padding: "x".repeat(LIMIT) });
    const tooLarge = await postBuildkite(big);
    expect(tooLarge.status).toBe(413);
    expect((await pool.query("SELECT 1 FROM delivery")).rowCount).toBe(0);
    expect(seenUpstream).toEqual([]);
  });

  it("accepts the GitLab token and the credentials endpoint's bearer check from the same code as the routes", async () => {
    const gitlab = await fetch(`${frontUrl}/api/webhooks/gitlab`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-gitlab-event": "Push Hook", "x-gitlab-token": secrets.gitlabToken, "idempotency-key": randomUUID() },
      body: JSON.stringify({ object_kind: "push" }),
    });
    expect(gitlab.status).toBe(202);
    const credentials = await fetch(`${frontUrl}/api/ingest/credentials`, { method: "POST", headers: { authorization: "Bearer nope" }, body: "{}" });
    expect(credentials.status).toBe(401);
  });
});

describe("everything else goes to the dashboard server", () => {
  it("passes method, path, query, body and headers through and returns status, headers and body unchanged", async () => {
    const response = await fetch(`${frontUrl}/timeline?q=abc`, { method: "PUT", headers: { "x-custody-csrf": "1", origin: frontUrl }, body: "payload" });
    expect(response.status).toBe(218);
    expect(await response.text()).toBe("echo PUT /timeline?q=abc");
    expect(response.headers.get("x-upstream")).toBe("yes");
    expect(response.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
    const seen = seenUpstream[0]!;
    expect(seen).toMatchObject({ method: "PUT", url: "/timeline?q=abc", body: "payload" });
    expect(seen.headers).toMatchObject({ "x-custody-csrf": "1", origin: frontUrl, host: new URL(frontUrl).host, "x-forwarded-for": "127.0.0.1" });
    expect(seen.headers["x-forwarded-port"]).toBe(new URL(frontUrl).port);
  });

  it("keeps an X-Forwarded-For a proxy in front already set, so CUSTODY_TRUSTED_PROXY_HOPS reads the same chain", async () => {
    await fetch(`${frontUrl}/api/health`, { headers: { "x-forwarded-for": "203.0.113.9" } });
    expect(seenUpstream[0]!.headers["x-forwarded-for"]).toBe("203.0.113.9");
  });

  it("only POST is received directly: a GET on a webhook path is the dashboard's to answer", async () => {
    const response = await fetch(`${frontUrl}/api/webhooks/gitlab`);
    expect(response.status).toBe(218);
  });

  it("streams server-sent events as they come instead of buffering the response", async () => {
    const started = Date.now();
    const response = await fetch(`${frontUrl}/stream`);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("data: first\n\n");
    expect(Date.now() - started).toBeLessThan(1_000);
    let rest = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    expect(rest).toBe("data: second\n\n");
  });

  it("answers 503 with Retry-After while the dashboard server is not up", async () => {
    const port = await freePort();
    const front = await startFrontServer({ host: "127.0.0.1", port, dashboardPort: await freePort() });
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`);
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("2");
      expect(await response.text()).toMatch(/starting/);
    } finally {
      await front.close();
    }
  });
});
