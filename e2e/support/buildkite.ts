// The local Buildkite REST API of the end-to-end run (e2e/support/mock-buildkite.mjs) and the webhooks
// that tell Custody about blocked builds (the shared story fixtures, tests/fixtures/story.ts).
import { randomUUID } from "node:crypto";
import { buildStory, buildStoryIds } from "../../tests/fixtures/story.ts";
import { appUrl, gitlabPort } from "./gitlab.ts";
import { webhookSecrets } from "./webhook-secrets.ts";

export const buildkitePort = Number(process.env.E2E_BUILDKITE_PORT ?? gitlabPort + 1);
export const buildkiteUrl = `http://127.0.0.1:${buildkitePort}`;
export const buildkiteToken = "e2e-buildkite-api-token";
/** Pipelines whose production gates need two approvers in the end-to-end policy. */
export const twoPersonPipeline = "payments-api-deploy-2p";
export const approvalPolicy = JSON.stringify({ defaults: { maxGateAge: "3650d" }, rules: [{ pipeline: twoPersonPipeline, requiredApprovals: 2 }] });

/** The Buildkite users of the fixture approvers; their emails are the ones the mock GitLab's SSO gives. */
export const buildkiteUsers = {
  bob: { id: "7d0c3f4e-0b0b-4b0b-8b0b-000000000102", name: "Bob Approver", email: "bob@example.test" },
  carol: { id: "7d0c3f4e-0c0c-4c0c-8c0c-000000000103", name: "Carol Auditor", email: "carol@example.test" },
} as const;

export async function mockBuildkite(path: string, body?: unknown): Promise<Response> {
  return fetch(`${buildkiteUrl}/__mock/${path}`, { method: body === undefined ? "GET" : "POST", body: body === undefined ? undefined : JSON.stringify(body) });
}

export async function unblockCalls(jobId: string): Promise<{ unblocker?: string }[]> {
  const calls = (await (await mockBuildkite("calls")).json()) as { op: string; path: string; body: { unblocker?: string } }[];
  return calls.filter((c) => c.op === "unblock" && c.path.includes(jobId)).map((c) => c.body);
}

async function post(source: "gitlab" | "buildkite", event: string, body: string): Promise<void> {
  const headers: Record<string, string> =
    source === "gitlab"
      ? { "content-type": "application/json", "x-gitlab-event": event, "x-gitlab-token": webhookSecrets.gitlabToken, "idempotency-key": randomUUID() }
      : { "content-type": "application/json", "x-buildkite-event": event, "x-buildkite-token": webhookSecrets.buildkiteToken };
  const response = await fetch(`${appUrl}/api/webhooks/${source}`, { method: "POST", headers, body });
  if (![200, 202].includes(response.status)) throw new Error(`${source} ${event} answered ${response.status}: ${await response.text()}`);
}

/**
 * Tells Custody, through its webhooks, the story of change `seed` up to the build blocking at its gate
 * (merge request by alice, pipelines, Buildkite build created by the CI bot), and puts the same build in
 * the Buildkite mock, waiting at the block step. Returns the ids to find it by.
 */
export async function storyUpToGate(seed: number, pipeline = "payments-api-deploy") {
  const ids = buildStoryIds({ seed });
  const story = buildStory({ seed });
  const blocked = story.findIndex((d) => d.source === "buildkite" && d.event === "build.finished");
  for (const delivery of story.slice(0, blocked + 1)) {
    if (delivery.event === "Member Hook") continue;
    await post(delivery.source, delivery.event, delivery.source === "buildkite" ? delivery.body.replaceAll("payments-api-deploy", pipeline) : delivery.body);
  }
  await mockBuildkite("builds", {
    pipeline,
    number: ids.buildkite.buildNumber,
    id: ids.buildkite.buildId,
    commit: ids.gitlab.mergeCommitSha,
    jobs: [
      { id: ids.buildkite.jobs.tests, type: "script", state: "passed" },
      { id: ids.buildkite.jobs.blockStep, type: "manual", label: ":rocket: Deploy to production?", step_key: "approve-production", state: "blocked" },
    ],
  });
  return { ids, story, blocked, pipeline, title: `${pipeline} #${ids.buildkite.buildNumber} — :rocket: Deploy to production?` };
}

/** What Buildkite sends after the unblock Custody asked for: job.activated naming the approver, then the deploy. */
export async function storyAfterGate(story: ReturnType<typeof buildStory>, blocked: number, unblocker: { id: string; name: string; email: string }): Promise<void> {
  for (const delivery of story.slice(blocked + 1)) {
    if (delivery.source !== "buildkite") continue;
    if (delivery.event === "job.activated") {
      const body = JSON.parse(delivery.body) as { job: { unblocked_by: Record<string, unknown> } };
      body.job.unblocked_by = { ...body.job.unblocked_by, ...unblocker };
      await post("buildkite", delivery.event, JSON.stringify(body));
    } else {
      await post("buildkite", delivery.event, delivery.body);
    }
  }
}

/** A finished build created by `who`, so Custody learns their Buildkite account (linked to them by SSO email). */
export async function buildkiteAccountOf(who: keyof typeof buildkiteUsers, number: number): Promise<void> {
  const story = buildStory({ seed: 40 + number });
  const finished = story.find((d) => d.source === "buildkite" && d.event === "build.finished")!;
  const body = JSON.parse(finished.body) as { build: Record<string, unknown> };
  body.build = { ...body.build, id: randomUUID(), number: 5000 + number, blocked: false, state: "passed", creator: { ...buildkiteUsers[who], created_at: "2025-01-01T00:00:00.000Z" } };
  await post("buildkite", "build.finished", JSON.stringify(body).replaceAll("payments-api-deploy", "accounts-seed"));
  await mockBuildkite("users", { id: buildkiteUsers[who].id });
}
