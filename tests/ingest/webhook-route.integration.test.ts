// The receiving contract of the two webhook routes (reliability.md §1.7 R1–R7, T2), exercised through
// the real route handlers with Fetch `Request`s against a real Postgres: what is refused is never
// stored but counted, what is authentic is stored byte for byte and acknowledged, and a redelivery is
// stored once.
import { createHash, createHmac, randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from "vitest";
import { truncateAll } from "../support/graph-snapshot.ts";
import { assertBuilt, freePort, interruptGroup, runCustody, waitForHealth, type TRunning } from "../support/spawn-custody.ts";
import { buildkiteRequest, buildkiteSignature, configureWebhookSecrets, gitlabRequest, secrets } from "../support/webhook-requests.ts";
import { dispatchDeliveries } from "@/lib/queue/dispatch-deliveries";

const LIMIT = 1024;
configureWebhookSecrets();
process.env.CUSTODY_MAX_BODY_BYTES = String(LIMIT);
const { POST: postGitlab } = await import("@/app/api/webhooks/gitlab/route");
const { POST: postBuildkite } = await import("@/app/api/webhooks/buildkite/route");
const { getPool, closeDb } = await import("@/lib/db");
const { resetEnvCache } = await import("@/lib/env");
const { processDelivery } = await import("@/lib/ingest/process/process-delivery");

const pool = getPool();
const GITLAB_URL = "http://127.0.0.1/api/webhooks/gitlab";
const BUILDKITE_URL = "http://127.0.0.1/api/webhooks/buildkite";
const otherGitlabSigning = `whsec_${Buffer.from("a different key, also 32 bytes!!").toString("base64")}`;

type TSource = "gitlab" | "buildkite";
type TDeliveryRow = {
  id: string;
  source: TSource;
  event_type: string;
  body: Buffer;
  sha256: string;
  byte_length: number;
  headers: Record<string, string>;
  headers_text: string;
  processing_state: string;
  processing_error: string | null;
  attempts: number;
};

async function deliveries(): Promise<TDeliveryRow[]> {
  const { rows } = await pool.query<TDeliveryRow>(
    `SELECT id, source, event_type, body, sha256, byte_length, headers, headers::text AS headers_text, processing_state,
            processing_error, attempts
     FROM delivery ORDER BY received_at, id`,
  );
  return rows;
}

async function deliveryCount(): Promise<number> {
  return (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM delivery")).rows[0]!.n;
}

/** `{ "source:reason": count }` over every refused request this test made. */
async function rejectionCounts(): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ key: string; n: number }>(
    "SELECT source::text || ':' || reason AS key, sum(count)::int AS n FROM ingest_rejection GROUP BY 1",
  );
  return Object.fromEntries(rows.map((row) => [row.key, row.n]));
}

async function queuedJobs(): Promise<number> {
  const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'process_delivery'");
  return rows[0]!.n;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A GitLab request authenticated by a Standard Webhooks signature (the `standardwebhooks` library signs it). */
function signedGitlabRequest(
  body: string,
  options: { id?: string; timestamp?: number; secret?: string; headers?: Record<string, string> } = {},
): Request {
  const id = options.id ?? `msg_${randomUUID().replaceAll("-", "")}`;
  const timestamp = options.timestamp ?? nowSeconds();
  const signature = new Webhook(options.secret ?? secrets.gitlabSigning).sign(id, new Date(timestamp * 1000), body);
  return new Request(GITLAB_URL, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-gitlab-event": "Push Hook",
      "webhook-id": id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signature,
      ...options.headers,
    },
    body,
  });
}

/** A GitLab request authenticated by X-Gitlab-Token with exactly the given extra headers (no Idempotency-Key unless given). */
function gitlabWithHeaders(headers: Record<string, string>, body = '{"object_kind":"note","id":1}'): Request {
  return new Request(GITLAB_URL, {
    method: "POST",
    headers: { "content-type": "application/json", "x-gitlab-event": "Note Hook", "x-gitlab-token": secrets.gitlabToken, ...headers },
    body,
  });
}

/** JSON text of exactly `size` bytes. */
function jsonOfSize(size: number): string {
  const text = `{"pad":"${"x".repeat(size - 10)}"}`;
  expect(Buffer.byteLength(text)).toBe(size);
  return text;
}

/** A body that never ends, counting what the reader pulled and whether it let go. */
function endlessBody(): { stream: ReadableStream<Uint8Array>; pulled: () => number; cancelled: () => boolean } {
  const chunk = new TextEncoder().encode("x".repeat(256));
  let pulled = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, pulled: () => pulled, cancelled: () => cancelled };
}

function streamedRequest(url: string, headers: Record<string, string>, body: ReadableStream<Uint8Array>): Request {
  // duplex "half" is what Node requires for a streamed request body; it is sent chunked, without Content-Length.
  const init = { method: "POST", headers, body, duplex: "half" } as RequestInit & { duplex: "half" };
  return new Request(url, init);
}

/** Applies settings for one describe block (each route reads them through getEnv), then restores the defaults. */
function useSettings(settings: Record<string, string>): void {
  beforeAll(() => {
    Object.assign(process.env, settings);
    resetEnvCache();
  });
  afterAll(() => {
    configureWebhookSecrets();
    resetEnvCache();
  });
}

/** Freezes the clock the routes read, so ±300 s boundaries are exact rather than racing a second tick. */
function freezeClock(): number {
  const frozen = new Date("2026-03-02T10:00:00.400Z");
  vi.useFakeTimers({ toFake: ["Date"], now: frozen });
  return Math.floor(frozen.getTime() / 1000);
}

beforeEach(async () => truncateAll(pool));
afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => closeDb());

async function expectRefused(response: Response, reason: string, source: TSource): Promise<void> {
  expect(response.status).toBe(401);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  expect(await response.json()).toMatchObject({ status: 401, detail: `Authentication failed: ${reason}.` });
  expect(await deliveryCount()).toBe(0);
  expect(await queuedJobs()).toBe(0);
  expect(await rejectionCounts()).toEqual({ [`${source}:${reason}`]: 1 });
}

describe("GitLab authentication with X-Gitlab-Token", () => {
  it("a wrong token is refused with 401, stores nothing and is counted", async () => {
    await expectRefused(await postGitlab(gitlabRequest("Push Hook", "{}", { token: `${secrets.gitlabToken}x` })), "bad-token", "gitlab");
  });

  it("a request without X-Gitlab-Token is refused with 401, stores nothing and is counted", async () => {
    const request = new Request(GITLAB_URL, { method: "POST", headers: { "x-gitlab-event": "Push Hook", "idempotency-key": randomUUID() }, body: "{}" });
    await expectRefused(await postGitlab(request), "missing-auth", "gitlab");
  });
});

describe("GitLab authentication with a signing token (Standard Webhooks)", () => {
  useSettings({ GITLAB_WEBHOOK_SECRET: "", GITLAB_WEBHOOK_SIGNING_TOKEN: secrets.gitlabSigning });

  it("a signature made with another key is refused with 401, stores nothing and is counted", async () => {
    await expectRefused(await postGitlab(signedGitlabRequest("{}", { secret: otherGitlabSigning })), "bad-signature", "gitlab");
  });

  it("a request without signature headers is refused with 401, even with the right token", async () => {
    await expectRefused(await postGitlab(gitlabRequest("Push Hook", "{}")), "missing-auth", "gitlab");
  });

  it("a signature 301 s old is refused as stale and one 301 s ahead as future", async () => {
    const now = freezeClock();
    await expectRefused(await postGitlab(signedGitlabRequest("{}", { timestamp: now - 301 })), "stale-timestamp", "gitlab");
    await truncateAll(pool);
    await expectRefused(await postGitlab(signedGitlabRequest("{}", { timestamp: now + 301 })), "future-timestamp", "gitlab");
  });

  it("signatures exactly 300 s old and 300 s ahead are accepted and stored", async () => {
    const now = freezeClock();
    expect((await postGitlab(signedGitlabRequest('{"n":1}', { timestamp: now - 300 }))).status).toBe(202);
    expect((await postGitlab(signedGitlabRequest('{"n":2}', { timestamp: now + 300 }))).status).toBe(202);
    expect(await deliveryCount()).toBe(2);
    expect(await rejectionCounts()).toEqual({});
  });

  it("stores the signature header with its MAC redacted", async () => {
    const request = signedGitlabRequest('{"object_kind":"push"}');
    const mac = request.headers.get("webhook-signature")!.slice("v1,".length);
    expect((await postGitlab(request)).status).toBe(202);
    const [row] = await deliveries();
    expect(row!.headers["webhook-signature"]).toBe("v1,[redacted]");
    expect(row!.headers["webhook-id"]).toBe(request.headers.get("webhook-id"));
    expect(row!.headers_text).not.toContain(mac);
    expect(row!.headers_text).not.toContain(secrets.gitlabSigning.slice("whsec_".length));
  });
});

describe("Buildkite authentication", () => {
  const body = '{"event":"ping","service":{"id":"1"}}';

  it("a wrong X-Buildkite-Token is refused with 401, stores nothing and is counted", async () => {
    const request = new Request(BUILDKITE_URL, {
      method: "POST",
      headers: { "x-buildkite-event": "ping", "x-buildkite-token": `${secrets.buildkiteToken}x` },
      body,
    });
    await expectRefused(await postBuildkite(request), "bad-token", "buildkite");
  });

  it("a signature made with another secret is refused with 401, stores nothing and is counted", async () => {
    const signature = buildkiteSignature(body, nowSeconds(), "not-the-signing-secret");
    await expectRefused(await postBuildkite(buildkiteRequest("ping", body, { signature })), "bad-signature", "buildkite");
  });

  it("a request with neither token nor signature is refused with 401, stores nothing and is counted", async () => {
    const request = new Request(BUILDKITE_URL, { method: "POST", headers: { "x-buildkite-event": "ping" }, body });
    await expectRefused(await postBuildkite(request), "missing-auth", "buildkite");
  });

  it("a signature 301 s old is refused as stale and one 301 s ahead as future", async () => {
    const now = freezeClock();
    await expectRefused(await postBuildkite(buildkiteRequest("ping", body, { signature: buildkiteSignature(body, now - 301) })), "stale-timestamp", "buildkite");
    await truncateAll(pool);
    await expectRefused(await postBuildkite(buildkiteRequest("ping", body, { signature: buildkiteSignature(body, now + 301) })), "future-timestamp", "buildkite");
  });

  it("signatures exactly 300 s old and 300 s ahead are accepted and stored", async () => {
    const now = freezeClock();
    expect((await postBuildkite(buildkiteRequest("ping", '{"n":1}', { signature: buildkiteSignature('{"n":1}', now - 300) }))).status).toBe(202);
    expect((await postBuildkite(buildkiteRequest("ping", '{"n":2}', { signature: buildkiteSignature('{"n":2}', now + 300) }))).status).toBe(202);
    expect(await deliveryCount()).toBe(2);
    expect(await rejectionCounts()).toEqual({});
  });
});

describe("a source with no secret configured", () => {
  useSettings({ GITLAB_WEBHOOK_SECRET: "", GITLAB_WEBHOOK_SIGNING_TOKEN: "", BUILDKITE_WEBHOOK_TOKEN: "", BUILDKITE_WEBHOOK_SIGNING_SECRET: "" });

  it("refuses every request with 401 naming the settings to set, and stores nothing", async () => {
    const gitlab = await postGitlab(gitlabRequest("Push Hook", "{}"));
    const buildkite = await postBuildkite(buildkiteRequest("ping", "{}"));
    expect([gitlab.status, buildkite.status]).toEqual([401, 401]);
    const gitlabDetail = ((await gitlab.json()) as { detail: string }).detail;
    const buildkiteDetail = ((await buildkite.json()) as { detail: string }).detail;
    expect(gitlabDetail).toContain("GITLAB_WEBHOOK_SECRET");
    expect(gitlabDetail).toContain("GITLAB_WEBHOOK_SIGNING_TOKEN");
    expect(buildkiteDetail).toContain("BUILDKITE_WEBHOOK_TOKEN");
    expect(buildkiteDetail).toContain("BUILDKITE_WEBHOOK_SIGNING_SECRET");
    expect(await deliveryCount()).toBe(0);
    expect(await rejectionCounts()).toEqual({ "gitlab:not-configured": 1, "buildkite:not-configured": 1 });
  });
});

describe(`the body size limit (CUSTODY_MAX_BODY_BYTES=${LIMIT})`, () => {
  it("a signed body of exactly the limit is stored; one byte more is refused with 413 and stores nothing", async () => {
    const atLimit = jsonOfSize(LIMIT);
    const accepted = buildkiteRequest("ping", atLimit, { headers: { "content-length": String(LIMIT) } });
    expect((await postBuildkite(accepted)).status).toBe(202);
    await truncateAll(pool);

    const over = jsonOfSize(LIMIT + 1);
    const refused = await postBuildkite(buildkiteRequest("ping", over, { headers: { "content-length": String(LIMIT + 1) } }));
    expect(refused.status).toBe(413);
    expect(await refused.json()).toMatchObject({ status: 413, detail: `Webhook bodies are limited to ${LIMIT} bytes.` });
    expect(await deliveryCount()).toBe(0);
    expect(await rejectionCounts()).toEqual({ "buildkite:too-large": 1 });
  });

  it("a GitLab body over the limit with Content-Length is refused with 413 and stores nothing", async () => {
    const over = jsonOfSize(4 * LIMIT);
    const response = await postGitlab(gitlabRequest("Push Hook", over, { headers: { "content-length": String(4 * LIMIT) } }));
    expect(response.status).toBe(413);
    expect(await deliveryCount()).toBe(0);
    expect(await rejectionCounts()).toEqual({ "gitlab:too-large": 1 });
  });

  it.each([
    ["gitlab", GITLAB_URL, { "x-gitlab-event": "Push Hook", "x-gitlab-token": secrets.gitlabToken }],
    ["buildkite", BUILDKITE_URL, { "x-buildkite-event": "ping", "x-buildkite-token": secrets.buildkiteToken }],
  ] as const)("an endless %s body sent chunked without Content-Length gets 413 and is not read much past the limit", async (source, url, headers) => {
    const body = endlessBody();
    const request = streamedRequest(url, headers, body.stream);
    expect(request.headers.get("content-length")).toBeNull();
    const response = await (source === "gitlab" ? postGitlab(request) : postBuildkite(request));
    expect(response.status).toBe(413);
    expect(body.cancelled()).toBe(true);
    expect(body.pulled()).toBeLessThanOrEqual(LIMIT + 2 * 256);
    expect(await deliveryCount()).toBe(0);
    expect(await rejectionCounts()).toEqual({ [`${source}:too-large`]: 1 });
  });

  it("a signed chunked body under the limit is stored whole", async () => {
    const text = '{"event":"ping","chunks":["one","two","three"]}';
    const bytes = new TextEncoder().encode(text);
    const parts = [bytes.slice(0, 5), bytes.slice(5, 20), bytes.slice(20)];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of parts) controller.enqueue(part);
        controller.close();
      },
    });
    const request = streamedRequest(BUILDKITE_URL, { "x-buildkite-event": "ping", "x-buildkite-signature": buildkiteSignature(text) }, stream);
    expect((await postBuildkite(request)).status).toBe(202);
    const [row] = await deliveries();
    expect(row!.body.toString("utf8")).toBe(text);
  });
});

describe("bodies that are not JSON", () => {
  it.each(["gitlab", "buildkite"] as const)("a %s body that is not JSON, with valid authentication, gets 400 and stores nothing", async (source) => {
    const body = '{"object_kind": "push", "ref":';
    const response = await (source === "gitlab" ? postGitlab(gitlabRequest("Push Hook", body)) : postBuildkite(buildkiteRequest("build.finished", body)));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ status: 400, detail: "The body is not JSON." });
    expect(await deliveryCount()).toBe(0);
    expect(await queuedJobs()).toBe(0);
    expect(await rejectionCounts()).toEqual({ [`${source}:not-json`]: 1 });
  });
});

describe("authentic events Custody does not use, or cannot read", () => {
  const cases = [
    {
      what: "a GitLab Emoji Hook",
      source: "gitlab",
      event: "Emoji Hook",
      body: '{"object_kind":"emoji","event_type":"award","object_attributes":{"name":"thumbsup"}}',
      state: "ignored",
      detail: 'GitLab event "Emoji Hook" is not used',
    },
    {
      what: "a Buildkite build.unknown_thing",
      source: "buildkite",
      event: "build.unknown_thing",
      body: '{"event":"build.unknown_thing","build":{"id":"0190a1b2"}}',
      state: "ignored",
      detail: 'Buildkite event "build.unknown_thing" is not used',
    },
    {
      what: "a GitLab Merge Request Hook whose ids have the wrong types",
      source: "gitlab",
      event: "Merge Request Hook",
      body: '{"object_kind":"merge_request","project":{"id":[4242]},"object_attributes":{"iid":"seventeen"}}',
      state: "invalid",
      detail: "Merge Request Hook without object_attributes.iid or project.id",
    },
    {
      what: "a GitLab Push Hook whose body is a JSON array",
      source: "gitlab",
      event: "Push Hook",
      body: "[1,2,3]",
      state: "invalid",
      detail: "body is not a JSON object",
    },
    {
      what: "a Buildkite build.finished whose build is a string",
      source: "buildkite",
      event: "build.finished",
      body: '{"event":"build.finished","build":"0190a1b2"}',
      state: "invalid",
      detail: "build.finished without a build object",
    },
  ] as const;

  it.each(cases)("$what is acknowledged and stored, processes to $state with the reason kept, and can be processed again", async (c) => {
    const response = await (c.source === "gitlab" ? postGitlab(gitlabRequest(c.event, c.body)) : postBuildkite(buildkiteRequest(c.event, c.body)));
    expect(response.status).toBe(202);
    const [stored] = await deliveries();
    expect(stored).toMatchObject({ source: c.source, event_type: c.event, processing_state: "received" });
    expect(stored!.body.toString("utf8")).toBe(c.body);

    expect(await processDelivery(pool, stored!.id)).toEqual({ state: c.state, detail: c.detail });
    const [processed] = await deliveries();
    expect(processed).toMatchObject({ processing_state: c.state, processing_error: c.detail, attempts: 1 });

    // After an upgrade, `custody replay` forces the stored delivery through processing again.
    expect(await processDelivery(pool, stored!.id, true)).toEqual({ state: c.state, detail: c.detail });
    const [again] = await deliveries();
    expect(again).toMatchObject({ processing_state: c.state, processing_error: c.detail, attempts: 2 });
    expect(again!.body.equals(stored!.body)).toBe(true);
  });
});

describe("what is stored", () => {
  it("a Buildkite delivery is stored as its exact bytes (even invalid UTF-8) with their sha256 and the signature's MAC redacted", async () => {
    const body = Buffer.concat([
      Buffer.from('{ "event" : "ping",\n\t"note": "Zoë ✓ '),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('",  "n": 1.50, "dup": 1, "dup": 2 }\r\n'),
    ]);
    const timestamp = nowSeconds();
    const mac = createHmac("sha256", secrets.buildkiteSigning).update(`${timestamp}.`).update(body).digest("hex");
    const request = new Request(BUILDKITE_URL, {
      method: "POST",
      headers: { "x-buildkite-event": "ping", "x-buildkite-signature": `timestamp=${timestamp},signature=${mac}`, "x-request-id": "req-7" },
      body: new Uint8Array(body),
    });
    expect((await postBuildkite(request)).status).toBe(202);

    const [row] = await deliveries();
    expect(row!.body.equals(body)).toBe(true);
    expect(row!.byte_length).toBe(body.byteLength);
    expect(row!.sha256).toBe(createHash("sha256").update(body).digest("hex"));
    expect(row!.headers["x-buildkite-signature"]).toBe(`timestamp=${timestamp},signature=[redacted]`);
    expect(row!.headers["x-buildkite-event"]).toBe("ping");
    expect(row!.headers["x-request-id"]).toBe("req-7");
    expect(row!.headers_text).not.toContain(mac);
    expect(row!.headers_text).not.toContain(secrets.buildkiteSigning);
  });

  it("a GitLab delivery's X-Gitlab-Token and secret-looking custom headers are stored redacted", async () => {
    const request = gitlabRequest("Push Hook", '{"object_kind":"push"}', {
      headers: { "x-gitlab-instance": "https://gitlab.acme.test", "x-acme-api-key": "acme-key-5512" },
    });
    expect((await postGitlab(request)).status).toBe(202);
    const [row] = await deliveries();
    expect(row!.headers["x-gitlab-token"]).toBe("[redacted]");
    expect(row!.headers["x-acme-api-key"]).toBe("[redacted]");
    expect(row!.headers["x-gitlab-instance"]).toBe("https://gitlab.acme.test");
    expect(row!.headers_text).not.toContain(secrets.gitlabToken);
    expect(row!.headers_text).not.toContain("acme-key-5512");
  });

  it("a Buildkite delivery's X-Buildkite-Token is stored redacted", async () => {
    const request = new Request(BUILDKITE_URL, {
      method: "POST",
      headers: { "x-buildkite-event": "ping", "x-buildkite-token": secrets.buildkiteToken },
      body: "{}",
    });
    expect((await postBuildkite(request)).status).toBe(202);
    const [row] = await deliveries();
    expect(row!.headers["x-buildkite-token"]).toBe("[redacted]");
    expect(row!.headers_text).not.toContain(secrets.buildkiteToken);
  });
});

describe("redelivery and concurrency", () => {
  it.each(["gitlab", "buildkite"] as const)("50 identical %s deliveries at once are stored once: one 202, 49 × 200 naming the same row, one job", async (source) => {
    const body = `{"object_kind":"push","ref":"refs/heads/main","n":"${randomUUID()}"}`;
    const id = randomUUID();
    const signature = buildkiteSignature(body);
    const send = () =>
      source === "gitlab" ? postGitlab(gitlabRequest("Push Hook", body, { id })) : postBuildkite(buildkiteRequest("build.finished", body, { signature }));
    const responses = await Promise.all(Array.from({ length: 50 }, send));
    const answers = await Promise.all(responses.map(async (r) => ({ status: r.status, body: (await r.json()) as { id: string } })));

    expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(49);
    const rows = await deliveries();
    expect(rows).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.id))).toEqual(new Set([rows[0]!.id]));
    // Dispatchers racing each other hand the stored delivery to the queue once.
    const dispatch = () => dispatchDeliveries(pool, { limit: 500, perJob: 20, maxWaitingJobs: 4 });
    const dispatched = await Promise.all([dispatch(), dispatch(), dispatch()]);
    expect(dispatched.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await queuedJobs()).toBe(1);
  });

  it("the dispatcher queues consecutive deliveries in batch jobs, and only as many jobs as may wait", async () => {
    for (let i = 0; i < 45; i++) {
      const response = await postGitlab(gitlabRequest("Push Hook", `{"object_kind":"push","ref":"refs/heads/main","n":${i}}`, { id: `batch-${i}` }));
      expect(response.status).toBe(202);
    }
    const { rows: stored } = await pool.query<{ id: string }>("SELECT id FROM delivery ORDER BY received_at, id");
    const jobPayloads = async () =>
      (await pool.query<{ payload: Array<{ deliveryId: string }> }>("SELECT payload FROM graphile_worker._private_jobs ORDER BY id")).rows.map(
        (row) => row.payload.map((entry) => entry.deliveryId),
      );

    // Room for one waiting job: one job of 20, the rest stays `received`.
    expect(await dispatchDeliveries(pool, { limit: 500, perJob: 20, maxWaitingJobs: 1 })).toBe(20);
    expect(await dispatchDeliveries(pool, { limit: 500, perJob: 20, maxWaitingJobs: 1 })).toBe(0);
    // Room for two more: the remaining 25 in store order, cut into 20 + 5.
    expect(await dispatchDeliveries(pool, { limit: 500, perJob: 20, maxWaitingJobs: 3 })).toBe(25);
    expect(await jobPayloads()).toEqual([stored.slice(0, 20), stored.slice(20, 40), stored.slice(40)].map((part) => part.map((row) => row.id)));
    const { rows: states } = await pool.query<{ state: string; n: number }>("SELECT processing_state::text AS state, count(*)::int AS n FROM delivery GROUP BY 1");
    expect(states).toEqual([{ state: "pending", n: 45 }]);
  });

  describe("GitLab deduplicates on webhook-id, then Idempotency-Key, then X-Gitlab-Event-UUID, then the body's sha256", () => {
    const statusOf = async (headers: Record<string, string>, body?: string) => (await postGitlab(gitlabWithHeaders(headers, body))).status;

    it("webhook-id decides when present, whatever the other ids say", async () => {
      expect(await statusOf({ "webhook-id": "w-1", "idempotency-key": "i-1", "x-gitlab-event-uuid": "u-1" })).toBe(202);
      expect(await statusOf({ "webhook-id": "w-1", "idempotency-key": "i-2", "x-gitlab-event-uuid": "u-2" })).toBe(200);
      expect(await statusOf({ "webhook-id": "w-2", "idempotency-key": "i-1", "x-gitlab-event-uuid": "u-1" })).toBe(202);
      expect(await deliveryCount()).toBe(2);
    });

    it("webhook-id and Idempotency-Key carrying the same value (as GitLab sends them) are one delivery", async () => {
      expect(await statusOf({ "webhook-id": "same-1" })).toBe(202);
      expect(await statusOf({ "idempotency-key": "same-1" })).toBe(200);
      expect(await deliveryCount()).toBe(1);
    });

    it("the same delivery id with a different body is refused with 409 and the first evidence is kept", async () => {
      expect(await statusOf({ "webhook-id": "c-1" }, '{"n":1}')).toBe(202);
      const response = await postGitlab(gitlabWithHeaders({ "webhook-id": "c-1" }, '{"n":2}'));
      expect(response.status).toBe(409);
      expect((await response.json()).detail).toMatch(/different body/);
      expect(await deliveryCount()).toBe(1);
      const { rows } = await pool.query("SELECT body FROM delivery");
      expect(Buffer.from(rows[0].body).toString()).toBe('{"n":1}');
      const counted = await pool.query("SELECT count FROM ingest_rejection WHERE reason = 'conflicting-redelivery'");
      expect(counted.rows[0]?.count).toBe(1);
    });

    it("without webhook-id, Idempotency-Key decides over X-Gitlab-Event-UUID and the body", async () => {
      expect(await statusOf({ "idempotency-key": "i-1", "x-gitlab-event-uuid": "u-1" })).toBe(202);
      expect(await statusOf({ "idempotency-key": "i-1", "x-gitlab-event-uuid": "u-2" })).toBe(200);
      expect(await statusOf({ "idempotency-key": "i-2", "x-gitlab-event-uuid": "u-1" })).toBe(202);
      expect(await deliveryCount()).toBe(2);
    });

    it("without either id, X-Gitlab-Event-UUID decides over the body", async () => {
      expect(await statusOf({ "x-gitlab-event-uuid": "u-1" })).toBe(202);
      expect(await statusOf({ "x-gitlab-event-uuid": "u-1" })).toBe(200);
      expect(await statusOf({ "x-gitlab-event-uuid": "u-2" })).toBe(202);
      expect(await deliveryCount()).toBe(2);
    });

    it("without any id header, the body's sha256 decides", async () => {
      expect(await statusOf({}, '{"n":1}')).toBe(202);
      expect(await statusOf({}, '{"n":1}')).toBe(200);
      expect(await statusOf({}, '{"n":2}')).toBe(202);
      expect(await statusOf({}, '{"n":2} ')).toBe(202);
      expect(await deliveryCount()).toBe(3);
    });
  });

  describe("Buildkite deduplicates on the event name and the body's sha256", () => {
    const body = '{"event":"build.finished","build":{"id":"0190a1b2","number":7}}';

    it("the same body re-sent later with a fresh signature is a duplicate", async () => {
      const first = await postBuildkite(buildkiteRequest("build.finished", body, { signature: buildkiteSignature(body, nowSeconds() - 120) }));
      const again = await postBuildkite(buildkiteRequest("build.finished", body, { signature: buildkiteSignature(body, nowSeconds()) }));
      expect([first.status, again.status]).toEqual([202, 200]);
      expect(await deliveryCount()).toBe(1);
    });

    it("the same body under a different event name is a second delivery, and so is a different body", async () => {
      expect((await postBuildkite(buildkiteRequest("build.finished", body))).status).toBe(202);
      expect((await postBuildkite(buildkiteRequest("build.running", body))).status).toBe(202);
      expect((await postBuildkite(buildkiteRequest("build.finished", body.replace('"number":7', '"number":8')))).status).toBe(202);
      expect((await deliveries()).map((row) => row.event_type).sort()).toEqual(["build.finished", "build.finished", "build.running"]);
    });
  });
});

// Next.js answers 405 for methods a route module does not export; that happens in the server, not in
// the handler, so it is checked against the built app over HTTP.
describe("the webhook routes served by the built app", () => {
  let app: TRunning | undefined;
  let port = 0;
  beforeAll(async () => {
    assertBuilt();
    port = await freePort();
    app = runCustody(["start", "--no-build"], {
      DATABASE_URL: inject("databaseUrl"),
      PORT: String(port),
      CUSTODY_WORKER: "off",
      GITLAB_WEBHOOK_SECRET: secrets.gitlabToken,
      BUILDKITE_WEBHOOK_SIGNING_SECRET: secrets.buildkiteSigning,
    });
    await waitForHealth(port);
  }, 90_000);
  afterAll(async () => {
    if (!app) return;
    interruptGroup(app);
    await app.exited;
  });

  it.each(["gitlab", "buildkite"])("GET /api/webhooks/%s answers 405 and stores nothing", async (source) => {
    const response = await fetch(`http://127.0.0.1:${port}/api/webhooks/${source}`, { redirect: "manual" });
    expect(response.status).toBe(405);
    expect(await deliveryCount()).toBe(0);
  });

  it.each(["gitlab", "buildkite"])("an unauthenticated POST /api/webhooks/%s answers 401, never a redirect to sign-in", async (source) => {
    const response = await fetch(`http://127.0.0.1:${port}/api/webhooks/${source}`, { method: "POST", body: "{}", redirect: "manual" });
    expect(response.status).toBe(401);
    expect(await deliveryCount()).toBe(0);
  });
});
