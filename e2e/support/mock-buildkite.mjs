// A local server that implements the Buildkite REST v2 endpoints Custody's approvals call, with the
// documented answers and errors (/work/shared/reference/buildkite.md §3, Buildkite docs
// pages/apis/rest_api/jobs.md and builds.md):
//   GET /v2/organizations/{org}/pipelines/{pipeline}/builds/{number}                  read_builds
//   PUT /v2/organizations/{org}/pipelines/{pipeline}/builds/{number}/jobs/{id}/unblock write_builds
//       400 "This job type cannot be unblocked", 422 "Unblocker is not a valid user id for this organization",
//       422 "Jobs from canceled builds cannot be unblocked"
//   PUT /v2/organizations/{org}/pipelines/{pipeline}/builds/{number}/cancel           write_builds
//   GET /v2/organizations/{org}/pipelines/{pipeline}/builds?page&per_page             read_builds (list, Link header; backfill)
// Answers Buildkite does not document are marked ASSUMED below (already unblocked, not yet unblockable,
// the wording of 401/403/404).
//
// Used by the integration tests (startMockBuildkite) and as a Playwright webServer (`node e2e/support/mock-buildkite.mjs`,
// MOCK_BUILDKITE_PORT, MOCK_BUILDKITE_TOKEN, MOCK_BUILDKITE_ORG). Test-only control endpoints under /__mock:
//   POST /__mock/builds {pipeline, number, state?, blocked?, jobs: [{id, type, state, unblockable?}]}   add or replace a build
//   POST /__mock/users  {id}                    a user id valid as `unblocker` in the organization
//   POST /__mock/faults {on: "get"|"unblock"|"cancel", status?, body?, headers?, delayMs?, apply?, times?}
//        the next matching call(s) answer with this instead; `delayMs` holds the answer (after applying the
//        effect when `apply` is true: a request that landed but whose answer came too late)
//   POST /__mock/tokens {token, scopes: [...]}  another token with these scopes
//   GET  /__mock/calls                          every API call received, in order
//   POST /__mock/reset                          forget everything
import { createServer } from "node:http";

const finished = new Set(["passed", "failed", "canceled", "skipped", "not_run"]);

/** Starts the mock on `port` (0 = any free port); resolves to {url, close}. */
export function startMockBuildkite({ port = 0, token = "bk-test-token", org = "acme" } = {}) {
  let builds = new Map();
  let users = new Set();
  let faults = [];
  let calls = [];
  let tokens = new Map([[token, ["read_builds", "write_builds"]]]);

  const reset = () => {
    builds = new Map();
    users = new Set();
    faults = [];
    calls = [];
    tokens = new Map([[token, ["read_builds", "write_builds"]]]);
  };

  const send = (res, status, body, headers = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(body === undefined ? "" : JSON.stringify(body));
  };
  const readBody = async (req) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const text = Buffer.concat(chunks).toString("utf8");
    return text ? JSON.parse(text) : {};
  };
  const takeFault = (on) => {
    const index = faults.findIndex((f) => f.on === on);
    if (index < 0) return null;
    const fault = faults[index];
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) faults.splice(index, 1);
    return fault;
  };
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  async function handleApi(req, res, url, parts) {
    const [, , , orgSlug, , pipeline, , numberText, ...rest] = parts;
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? "");
    const scopes = auth ? tokens.get(auth[1]) : undefined;
    // ASSUMED wording: Buildkite answers 401 for a missing or unknown token.
    if (!scopes) return send(res, 401, { message: "Authentication required. Please supply a valid API Access Token" });
    if (orgSlug !== org) return send(res, 404, { message: "No organization found" });
    const op = req.method === "GET" && numberText === undefined ? "list" : req.method === "GET" && rest.length === 0 ? "get" : req.method === "PUT" && rest[0] === "jobs" && rest[2] === "unblock" ? "unblock" : req.method === "PUT" && rest[0] === "cancel" ? "cancel" : null;
    if (!op) return send(res, 404, { message: "Not Found" });
    const body = req.method === "PUT" ? await readBody(req).catch(() => null) : {};
    calls.push({ op, method: req.method, path: url.pathname, body });
    const needed = op === "get" ? "read_builds" : "write_builds";
    // ASSUMED wording for a token without the scope.
    if (!scopes.includes(needed)) return send(res, 403, { message: `Your access token doesn't have the ${needed} scope` });

    if (op === "list") {
      const all = [...builds.values()].filter((b) => b.pipeline.slug === pipeline).sort((a, b) => b.number - a.number);
      const perPage = Math.min(100, Number(url.searchParams.get("per_page") ?? 30));
      const page = Math.max(1, Number(url.searchParams.get("page") ?? 1));
      const next = new URL(url.toString(), `http://${req.headers.host}`);
      next.searchParams.set("page", String(page + 1));
      const more = page * perPage < all.length;
      return send(res, 200, all.slice((page - 1) * perPage, page * perPage), {
        "ratelimit-limit": "200",
        "ratelimit-remaining": "199",
        "ratelimit-reset": "60",
        ...(more ? { link: `<${next.toString()}>; rel="next"` } : {}),
      });
    }
    const fault = takeFault(op);
    const apply = !fault || fault.apply;
    const build = builds.get(`${pipeline}#${numberText}`);
    let status = 200;
    let answer;
    if (!build) {
      status = 404;
      answer = { message: "No build found" };
    } else if (op === "get") {
      answer = build;
    } else if (op === "cancel") {
      if (finished.has(build.state)) {
        status = 422;
        answer = { message: "Build can't be canceled because it's already finished" };
      } else {
        if (apply) {
          build.state = "canceled";
          build.blocked = false;
          for (const job of build.jobs) if (job.state === "blocked") job.state = "canceled";
        }
        answer = build;
      }
    } else {
      const job = build.jobs.find((j) => j.id === rest[1]);
      if (!job) {
        status = 404;
        answer = { message: "No job found" };
      } else if (job.type !== "manual") {
        status = 400;
        answer = { message: "This job type cannot be unblocked" };
      } else if (build.state === "canceled" || build.state === "canceling") {
        status = 422;
        answer = { message: "Jobs from canceled builds cannot be unblocked" };
      } else if (body?.unblocker !== undefined && !users.has(body.unblocker)) {
        status = 422;
        answer = { message: "Unblocker is not a valid user id for this organization" };
      } else if (job.state !== "blocked") {
        // ASSUMED: undocumented; `bk job unblock` treats it as "already unblocked".
        status = 422;
        answer = { message: "This job has already been unblocked" };
      } else if (job.unblockable === false) {
        // ASSUMED: undocumented (GraphQL: a block job "may be waiting on another job to finish").
        status = 400;
        answer = { message: "This job cannot be unblocked yet" };
      } else {
        if (apply) {
          job.state = "unblocked";
          job.unblocked_by = { id: body.unblocker, name: `user ${body.unblocker}` };
          job.unblocked_at = new Date().toISOString();
          build.blocked = false;
          build.state = "running";
          if (body.fields) build.meta_data = { ...build.meta_data, ...body.fields };
        }
        answer = job;
      }
    }
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.status) return send(res, fault.status, fault.body ?? {}, fault.headers ?? {});
    return send(res, status, answer);
  }

  async function handleMock(req, res, url) {
    if (req.method === "POST" && url.pathname === "/__mock/reset") {
      reset();
      return send(res, 204);
    }
    if (req.method === "GET" && url.pathname === "/__mock/calls") return send(res, 200, calls);
    if (req.method === "GET" && url.pathname.startsWith("/__mock/builds/")) {
      const [, , , pipeline, number] = url.pathname.split("/");
      const build = builds.get(`${pipeline}#${number}`);
      return build ? send(res, 200, build) : send(res, 404, { message: "No build found" });
    }
    const body = await readBody(req);
    if (req.method === "POST" && url.pathname === "/__mock/builds") {
      builds.set(`${body.pipeline}#${body.number}`, {
        id: body.id ?? `build-${body.pipeline}-${body.number}`,
        number: body.number,
        url: `http://127.0.0.1/v2/organizations/${org}/pipelines/${body.pipeline}/builds/${body.number}`,
        web_url: `https://buildkite.com/${org}/${body.pipeline}/builds/${body.number}`,
        pipeline: { slug: body.pipeline, name: body.pipeline },
        commit: body.commit ?? null,
        branch: body.branch ?? "main",
        // REST reports a build waiting at a block step as state "blocked" (webhooks keep its last state).
        state: body.state ?? "blocked",
        blocked: body.blocked ?? true,
        meta_data: body.meta_data ?? {},
        jobs: (body.jobs ?? []).map((j) => ({ state: "blocked", unblocked_by: null, unblocked_at: null, unblockable: true, ...j })),
      });
      return send(res, 204);
    }
    if (req.method === "POST" && url.pathname === "/__mock/users") {
      users.add(body.id);
      return send(res, 204);
    }
    if (req.method === "POST" && url.pathname === "/__mock/faults") {
      faults.push(body);
      return send(res, 204);
    }
    if (req.method === "POST" && url.pathname === "/__mock/tokens") {
      tokens.set(body.token, body.scopes ?? []);
      return send(res, 204);
    }
    return send(res, 404, { message: "unknown mock endpoint" });
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    try {
      if (url.pathname === "/health") return send(res, 200, { ok: true });
      if (url.pathname.startsWith("/__mock/")) return await handleMock(req, res, url);
      const parts = url.pathname.split("/");
      if (parts[1] === "v2" && parts[2] === "organizations" && parts[4] === "pipelines" && parts[6] === "builds") return await handleApi(req, res, url, parts);
      return send(res, 404, { message: "Not Found" });
    } catch (error) {
      return send(res, 500, { message: String(error?.message ?? error) });
    }
  });

  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      resolve({
        url: `http://127.0.0.1:${address.port}`,
        close: () => new Promise((done) => {
          server.closeAllConnections?.();
          server.close(() => done());
        }),
      });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { url } = await startMockBuildkite({
    port: Number(process.env.MOCK_BUILDKITE_PORT ?? 4020),
    token: process.env.MOCK_BUILDKITE_TOKEN ?? "bk-test-token",
    org: process.env.MOCK_BUILDKITE_ORG ?? "acme",
  });
  console.log(`mock Buildkite API at ${url}`);
}
