import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeDb, db, getPool } from "@/lib/db";
import { approveGate } from "@/lib/approvals/approve-gate";
import { declineGate } from "@/lib/approvals/decline-gate";
import { findWaitingGates } from "@/lib/approvals/find-waiting-gates";
import { findGateDecisions } from "@/lib/approvals/find-gate-decisions";
import { configureAuth, truncateAuth } from "../support/auth-fixtures.ts";
import { truncateAll } from "../support/graph-snapshot.ts";
import { seedGate, signedInPrincipal, truncateApprovals } from "./seed-gate.ts";
// @ts-expect-error plain JS test server shared with Playwright
import { startMockBuildkite } from "../../e2e/support/mock-buildkite.mjs";

// Approving gates end to end below HTTP routing: real Postgres, the real Buildkite client, and a local
// server that answers like Buildkite's REST API (e2e/support/mock-buildkite.mjs).

const token = "bk-test-token";
let bk: { url: string; close: () => Promise<void> };
const client = { ip: "198.51.100.7", userAgent: "vitest" };
const mock = (path: string, body?: unknown) => fetch(`${bk.url}/__mock/${path}`, { method: body === undefined ? "GET" : "POST", body: body === undefined ? undefined : JSON.stringify(body) });
const calls = async (op?: string) => ((await (await mock("calls")).json()) as { op: string; body: { unblocker?: string; fields?: unknown } }[]).filter((c) => !op || c.op === op);
const fault = (f: Record<string, unknown>) => mock("faults", f);

function configure(policy?: unknown, extra: Record<string, string> = {}) {
  configureAuth({
    BUILDKITE_API_URL: bk.url,
    BUILDKITE_API_TOKEN: token,
    BUILDKITE_ORG: "acme",
    BUILDKITE_API_TIMEOUT: "1s",
    CUSTODY_APPROVAL_POLICY: policy === undefined ? undefined : JSON.stringify(policy),
    ...extra,
  });
}

async function gateInBuildkite(gate: { pipeline: string; number: number; jobExternalId: string }, extra: Record<string, unknown> = {}) {
  await mock("builds", { pipeline: gate.pipeline, number: gate.number, state: "blocked", blocked: true, jobs: [{ id: "job-tests", type: "script", state: "passed" }, { id: gate.jobExternalId, type: "manual", state: "blocked" }], ...extra });
}

/**
 * Bob approves while Buildkite's unblock answer times out (having applied the unblock or not) and the
 * read after it fails too, so the call's outcome is unknown. Returns Bob's answer.
 */
async function approveWithUnknownOutcome(gateId: string, bob: Awaited<ReturnType<typeof signedInPrincipal>>, applied: boolean) {
  await fault({ on: "unblock", delayMs: 1500, apply: applied });
  const first = approveGate(gateId, bob, {}, client);
  // The read before the call succeeds; the read after the timeout fails.
  await new Promise((resolve) => setTimeout(resolve, 400));
  await fault({ on: "get", status: 502, body: { message: "Bad Gateway" } });
  return first;
}

beforeAll(async () => {
  bk = await startMockBuildkite({ port: 0, token, org: "acme" });
});
beforeEach(async () => {
  configure();
  await truncateApprovals();
  await truncateAll(getPool());
  await truncateAuth(getPool());
  await mock("reset", {});
  await mock("users", { id: "bk-bob" });
  await mock("users", { id: "bk-cat" });
});
afterAll(async () => {
  await truncateApprovals();
  await truncateAll(getPool());
  await truncateAuth(getPool());
  await bk.close();
  await closeDb();
});

describe("approving a gate", () => {
  it("an independent approver unblocks the gate once, as themselves, and the decision carries the policy and verdict", async () => {
    const gate = await seedGate();
    await gateInBuildkite(gate);
    const bob = await signedInPrincipal("bob", "approver");
    const outcome = await approveGate(gate.gateId, bob, { fields: { "release-name": "r42" } }, client);
    expect(outcome.status).toBe(200);
    expect(outcome.body).toMatchObject({ state: "unblocked", approvals: 1, required: 1 });
    const unblocks = await calls("unblock");
    expect(unblocks).toHaveLength(1);
    expect(unblocks[0]!.body).toEqual({ unblocker: "bk-bob", fields: { "release-name": "r42" } });

    const decision = await db.approvalDecision.findFirstOrThrow({ where: { buildJobId: gate.gateId } });
    expect(decision).toMatchObject({ decision: "approve", actorLabel: "bob", buildkiteUserId: "bk-bob", personId: gate.people.bob });
    expect(decision.policy).toMatchObject({ requiredApprovals: 1, forbidMergeRequestAuthor: true, source: "built-in defaults defaults" });
    expect((decision.verdict as { allowed: boolean; checks: unknown[] }).allowed).toBe(true);
    expect(await db.gateAction.findUniqueOrThrow({ where: { buildJobId: gate.gateId } })).toMatchObject({ state: "done", attempts: 1 });

    const receipt = await findGateDecisions([{ pipeline: "deploy-api", number: 7 }]);
    expect(receipt).toEqual([expect.objectContaining({ gate: "deploy-api #7 Deploy to production", action: expect.objectContaining({ kind: "unblock", state: "done" }) })]);
    expect(receipt[0]!.decisions[0]).toMatchObject({ by: "bob", decision: "approve", allowed: true });
    const audit = await db.auditEntry.findMany({ where: { action: "approval_decision" } });
    expect(audit).toEqual([expect.objectContaining({ outcome: "success", actorLabel: "bob", target: "deploy-api #7 Deploy to production" })]);
  });

  it("the merge request author, a committer and the build's trigger are refused, naming the rule; nothing is called", async () => {
    const gate = await seedGate();
    await gateInBuildkite(gate);
    const ann = await signedInPrincipal("ann", "approver");
    const outcome = await approveGate(gate.gateId, ann, {}, client);
    expect(outcome.status).toBe(403);
    const body = outcome.body as { detail: string; refusedBy: string[] };
    expect(body.refusedBy).toEqual(["not_mr_author", "not_committer", "not_build_trigger"]);
    expect(body.detail).toContain("ann is the merge request author (ann (!5)); someone else must approve.");
    expect(await calls()).toHaveLength(0);
    expect(await db.approvalDecision.count()).toBe(0);
    expect(await db.auditEntry.findFirstOrThrow({ where: { action: "approval_decision" } })).toMatchObject({ outcome: "failure", actorLabel: "ann" });
  });

  it("an approver without a linked Buildkite account is told so, and a viewer is refused the role", async () => {
    const gate = await seedGate();
    await gateInBuildkite(gate);
    const dan = await signedInPrincipal("dan", "approver");
    const refused = await approveGate(gate.gateId, dan, {}, client);
    expect(refused.status).toBe(403);
    expect((refused.body as { detail: string }).detail).toContain("No Buildkite account is linked to this person");
    const vic = await signedInPrincipal("vic", "viewer");
    const viewer = await approveGate(gate.gateId, vic, {}, client);
    expect((viewer.body as { refusedBy: string[] }).refusedBy).toContain("approver_role");
    expect(await calls()).toHaveLength(0);
  });

  it("under the two-person rule the first approval is recorded and the second opens the gate", async () => {
    configure({ rules: [{ pipeline: "deploy-api", environment: "production", requiredApprovals: 2 }] });
    const gate = await seedGate();
    await gateInBuildkite(gate);
    const bob = await signedInPrincipal("bob", "approver");
    const cat = await signedInPrincipal("cat", "approver");
    const first = await approveGate(gate.gateId, bob, {}, client);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ state: "awaiting_approvals", approvals: 1, required: 2 });
    expect((first.body as { message: string }).message).toContain("One more approver (someone other than bob)");
    // The same person again is the same decision, not a second approval.
    expect((await approveGate(gate.gateId, bob, {}, client)).body).toMatchObject({ state: "awaiting_approvals", approvals: 1 });
    expect(await calls("unblock")).toHaveLength(0);
    const second = await approveGate(gate.gateId, cat, {}, client);
    expect(second.status).toBe(200);
    expect((await calls("unblock")).map((c) => c.body.unblocker)).toEqual(["bk-cat"]);
    const decisions = await db.approvalDecision.findMany({ where: { buildJobId: gate.gateId }, orderBy: { decidedAt: "asc" } });
    expect(decisions.map((d) => d.actorLabel)).toEqual(["bob", "cat"]);
    expect(decisions[0]!.policy).toMatchObject({ requiredApprovals: 2, source: expect.stringContaining("rule 1") });
  });

  it("a concurrent double approve calls unblock once", async () => {
    const gate = await seedGate();
    await gateInBuildkite(gate);
    const bob = await signedInPrincipal("bob", "approver");
    const outcomes = await Promise.all([approveGate(gate.gateId, bob, {}, client), approveGate(gate.gateId, bob, {}, client), approveGate(gate.gateId, bob, {}, client)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(expect.arrayContaining([200]));
    expect(outcomes.every((o) => o.status === 200 || o.status === 202)).toBe(true);
    expect(await calls("unblock")).toHaveLength(1);
    expect(await db.approvalDecision.count()).toBe(1);
    // A retry after success answers from the record.
    expect((await approveGate(gate.gateId, bob, {}, client)).body).toMatchObject({ state: "unblocked" });
    expect(await calls("unblock")).toHaveLength(1);
  });

  it("a timeout that landed is settled by reading the build, never by calling unblock again", async () => {
    const gate = await seedGate();
    await gateInBuildkite(gate);
    await fault({ on: "unblock", delayMs: 1500, apply: true });
    const bob = await signedInPrincipal("bob", "approver");
    const outcome = await approveGate(gate.gateId, bob, {}, client);
    expect(outcome.status).toBe(200);
    expect(outcome.body).toMatchObject({ state: "unblocked" });
    expect((await calls()).map((c) => c.op)).toEqual(["get", "unblock", "get"]);
    expect(await db.gateAction.findUniqueOrThrow({ where: { buildJobId: gate.gateId } })).toMatchObject({ state: "done" });
  });

  it("a timeout that did not land says nothing was unblocked; a retry calls again", async () => {
    const gate = await seedGate();
    await gateInBuildkite(gate);
    await fault({ on: "unblock", delayMs: 1500, apply: false });
    const bob = await signedInPrincipal("bob", "approver");
    const outcome = await approveGate(gate.gateId, bob, {}, client);
    expect(outcome.status).toBe(504);
    expect((outcome.body as { detail: string }).detail).toContain("shows the gate still closed: nothing was unblocked");
    const retry = await approveGate(gate.gateId, bob, {}, client);
    expect(retry.status).toBe(200);
    expect(await calls("unblock")).toHaveLength(2);
    expect(await db.gateAction.findUniqueOrThrow({ where: { buildJobId: gate.gateId } })).toMatchObject({ state: "done", attempts: 2 });
  });

  it("when neither the answer nor the build can be read, the next attempt reads the build instead of calling", async () => {
    const gate = await seedGate();
    await gateInBuildkite(gate);
    const bob = await signedInPrincipal("bob", "approver");
    const outcome = await approveWithUnknownOutcome(gate.gateId, bob, true);
    expect(outcome.status).toBe(504);
    expect((outcome.body as { detail: string }).detail).toContain("Custody will read the build again");
    expect(await db.gateAction.findUniqueOrThrow({ where: { buildJobId: gate.gateId } })).toMatchObject({ state: "unknown" });
    const retry = await approveGate(gate.gateId, bob, {}, client);
    expect(retry.status).toBe(200);
    expect((await calls()).map((c) => c.op)).toEqual(["get", "unblock", "get", "get"]);
  });

  it("an unknown outcome is also settled when someone opens the list, by reading the build", async () => {
    const gate = await seedGate();
    await gateInBuildkite(gate);
    const bob = await signedInPrincipal("bob", "approver");
    expect((await approveWithUnknownOutcome(gate.gateId, bob, true)).status).toBe(504);
    const list = await findWaitingGates(await signedInPrincipal("cat", "approver"));
    expect(list.items[0]!.action).toMatchObject({ kind: "unblock", state: "done" });
    expect(await calls("unblock")).toHaveLength(1);
  });
});

describe("a closed gate stays closed", () => {
  it("an approver whose unblock failed cannot open the gate after someone else declined it", async () => {
    const gate = await seedGate();
    await gateInBuildkite(gate);
    const bob = await signedInPrincipal("bob", "approver");
    await fault({ on: "unblock", status: 429, body: { message: "rate limited" }, headers: { "Retry-After": "5" } });
    expect((await approveGate(gate.gateId, bob, {}, client)).status).toBe(503);
    expect((await declineGate(gate.gateId, await signedInPrincipal("cat", "approver"), { reason: "Wrong build" }, client)).status).toBe(200);
    const again = await approveGate(gate.gateId, bob, {}, client);
    expect(again.status).toBe(409);
    expect((again.body as { detail: string }).detail).toContain("Declined by cat: Wrong build.");
    expect(await calls("unblock")).toHaveLength(1);
  });

  it("opening the list only reads: two lists settling one unknown outcome never call unblock", async () => {
    const gate = await seedGate();
    await gateInBuildkite(gate);
    const bob = await signedInPrincipal("bob", "approver");
    expect((await approveWithUnknownOutcome(gate.gateId, bob, false)).status).toBe(504);
    expect(await db.gateAction.findUniqueOrThrow({ where: { buildJobId: gate.gateId } })).toMatchObject({ state: "unknown" });
    const viewer = await signedInPrincipal("cat", "viewer");
    await Promise.all([findWaitingGates(viewer), findWaitingGates(viewer)]);
    expect(await calls("unblock")).toHaveLength(1);
    expect(await db.gateAction.findUniqueOrThrow({ where: { buildJobId: gate.gateId } })).toMatchObject({ state: "failed" });
  });
});

describe("Buildkite faults, each with a message a lead understands", () => {
  const cases: [string, Record<string, unknown>, number, string][] = [
    ["400 not unblockable", { on: "unblock", status: 400, body: { message: "This job type cannot be unblocked" } }, 409, "Buildkite refused to unblock deploy-api #7"],
    ["401 token refused", { on: "get", status: 401, body: { message: "Authentication required" } }, 502, "Buildkite refused Custody's API token (401)"],
    ["403 scope missing", { on: "unblock", status: 403, body: { message: "Your access token doesn't have the write_builds scope" } }, 502, "it needs the write_builds scope"],
    ["403 scope missing on read", { on: "get", status: 403, body: { message: "Your access token doesn't have the read_builds scope" } }, 502, "it needs the read_builds scope"],
    ["404", { on: "get", status: 404, body: { message: "No build found" } }, 404, "Buildkite has no deploy-api #7"],
    ["429 with Retry-After", { on: "unblock", status: 429, body: { message: "rate limited" }, headers: { "Retry-After": "17" } }, 503, "Try again in 17 s"],
    ["422 build canceled between the read and the call", { on: "unblock", status: 422, body: { message: "Jobs from canceled builds cannot be unblocked" } }, 409, "was canceled in Buildkite, so its gate cannot be unblocked"],
    ["5xx before the call", { on: "get", status: 503, body: { message: "down" } }, 502, "Buildkite failed (503)"],
  ];
  for (const [name, f, status, text] of cases) {
    it(name, async () => {
      const gate = await seedGate();
      await gateInBuildkite(gate);
      await fault(f);
      const outcome = await approveGate(gate.gateId, await signedInPrincipal("bob", "approver"), {}, client);
      expect(outcome.status).toBe(status);
      expect((outcome.body as { detail: string }).detail).toContain(text);
      if (status === 503) expect(outcome.headers?.["Retry-After"]).toBe("17");
      expect(await db.gateAction.findUniqueOrThrow({ where: { buildJobId: gate.gateId } })).toMatchObject({ state: "failed" });
    });
  }

  it("422 invalid unblocker names the linked account", async () => {
    const gate = await seedGate();
    await gateInBuildkite(gate);
    await mock("reset", {});
    await gateInBuildkite(gate);
    const outcome = await approveGate(gate.gateId, await signedInPrincipal("bob", "approver"), {}, client);
    expect(outcome.status).toBe(422);
    expect((outcome.body as { detail: string }).detail).toContain("does not accept the linked Buildkite account (user bk-bob)");
  });

  it("5xx from unblock that did land is settled by reading the build", async () => {
    const gate = await seedGate();
    await gateInBuildkite(gate);
    await fault({ on: "unblock", status: 500, body: { message: "oops" }, apply: true });
    const outcome = await approveGate(gate.gateId, await signedInPrincipal("bob", "approver"), {}, client);
    expect(outcome.status).toBe(200);
    expect(await calls("unblock")).toHaveLength(1);
  });

  it("a gate already unblocked elsewhere is reported with who did it, without calling unblock", async () => {
    const gate = await seedGate();
    await mock("builds", { pipeline: "deploy-api", number: 7, state: "running", blocked: false, jobs: [{ id: gate.jobExternalId, type: "manual", state: "unblocked", unblocked_by: { id: "bk-zed", name: "Zed" } }] });
    const outcome = await approveGate(gate.gateId, await signedInPrincipal("bob", "approver"), {}, client);
    expect(outcome.status).toBe(409);
    expect((outcome.body as { detail: string }).detail).toContain("already unblocked in Buildkite by Zed, outside Custody");
    expect(await calls("unblock")).toHaveLength(0);
  });

  it("a build canceled meanwhile is reported without calling unblock", async () => {
    const gate = await seedGate();
    await gateInBuildkite(gate, { state: "canceled" });
    const outcome = await approveGate(gate.gateId, await signedInPrincipal("bob", "approver"), {}, client);
    expect(outcome.status).toBe(409);
    expect((outcome.body as { detail: string }).detail).toContain("was canceled in Buildkite meanwhile");
  });

  it("an expired gate is refused by policy", async () => {
    configure({ defaults: { maxGateAge: "1h" } });
    const gate = await seedGate({ waitingSince: new Date(Date.now() - 2 * 3600_000) });
    const outcome = await approveGate(gate.gateId, await signedInPrincipal("bob", "approver"), {}, client);
    expect(outcome.status).toBe(403);
    expect((outcome.body as { refusedBy: string[] }).refusedBy).toEqual(["gate_age"]);
  });

  it("Buildkite not configured is said plainly", async () => {
    configureAuth({ CUSTODY_APPROVAL_POLICY: undefined, BUILDKITE_API_TOKEN: undefined, BUILDKITE_ORG: undefined });
    const gate = await seedGate();
    const outcome = await approveGate(gate.gateId, await signedInPrincipal("bob", "approver"), {}, client);
    expect(outcome.status).toBe(503);
    expect((outcome.body as { detail: string }).detail).toContain("an admin must set BUILDKITE_API_TOKEN and BUILDKITE_ORG");
  });
});

describe("declining and listing", () => {
  it("a decline records the reason, cancels the build when the policy says so, and closes the gate", async () => {
    configure({ rules: [{ pipeline: "deploy-api", declineCancelsBuild: true }] });
    const gate = await seedGate();
    await gateInBuildkite(gate);
    const bob = await signedInPrincipal("bob", "approver");
    const outcome = await declineGate(gate.gateId, bob, { reason: "Release freeze" }, client);
    expect(outcome.status).toBe(200);
    expect(await calls("cancel")).toHaveLength(1);
    expect(await db.approvalDecision.findFirstOrThrow()).toMatchObject({ decision: "decline", reason: "Release freeze" });
    const cat = await approveGate(gate.gateId, await signedInPrincipal("cat", "approver"), {}, client);
    expect(cat.status).toBe(409);
    expect((cat.body as { detail: string }).detail).toContain("Declined by bob: Release freeze.");
  });

  it("a decline without cancel leaves Buildkite alone", async () => {
    const gate = await seedGate();
    await gateInBuildkite(gate);
    const outcome = await declineGate(gate.gateId, await signedInPrincipal("bob", "approver"), { reason: "Not today" }, client);
    expect(outcome.status).toBe(200);
    expect(await calls()).toHaveLength(0);
  });

  it("the waiting list shows the change, earlier deploys and each caller's own verdict before any button", async () => {
    const gate = await seedGate();
    const project = await db.project.findFirstOrThrow({ where: { path: "acme/api" } });
    await db.deployment.create({ data: { provider: "gitlab", externalId: "d-1", projectId: project.id, environment: "production", status: "success", commitSha: "b".repeat(40), occurredAt: new Date("2026-11-01T10:00:00Z") } });
    const ann = await findWaitingGates(await signedInPrincipal("ann", "approver"));
    expect(ann.items).toHaveLength(1);
    const item = ann.items[0]!;
    expect(item).toMatchObject({ id: gate.gateId, pipeline: "deploy-api", buildNumber: 7, environment: "production", triggeredBy: ["ci-bot", "ann"] });
    expect(item.mergeRequests).toEqual([expect.objectContaining({ project: "acme/api", iid: 5, author: "ann" })]);
    expect(item.pipelines).toEqual([expect.objectContaining({ id: "900", status: "success" })]);
    expect(item.earlierDeploys).toEqual([expect.objectContaining({ environment: "production", status: "success", commitSha: "b".repeat(40) })]);
    expect(item.verdict.allowed).toBe(false);
    const bob = await findWaitingGates(await signedInPrincipal("bob", "approver"));
    expect(bob.items[0]!.verdict).toMatchObject({ allowed: true, opensGate: true, approvalsRequired: 1 });
    expect(bob.configured).toBe(true);
  });
});
