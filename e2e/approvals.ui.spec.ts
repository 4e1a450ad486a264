import { expect, test, type Page } from "@playwright/test";
import { buildkiteAccountOf, buildkitePort, buildkiteUsers, storyAfterGate, storyUpToGate, twoPersonPipeline, unblockCalls } from "./support/buildkite.ts";
import { appUrl, resetGitlab, roleGroups, setGitlabUser } from "./support/gitlab.ts";
import { signInWithGitLab } from "./support/sign-in.ts";

// Approving gated builds from Custody: webhooks announce the blocked builds, the Buildkite mock answers
// the REST calls, people sign in through the mock GitLab.

test.describe.configure({ mode: "serial" });

/** The card of one gate on /approvals, once the worker has folded the webhooks. */
async function gateCard(page: Page, title: string) {
  const card = page.getByRole("region", { name: `Gate ${title}` });
  await expect(async () => {
    await page.goto("/approvals");
    await expect(card).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  return card;
}

test.beforeAll(async () => {
  await buildkiteAccountOf("bob", 1);
  await buildkiteAccountOf("carol", 2);
});
test.afterAll(async () => {
  await resetGitlab();
});

test("an approver approves a gate; Buildkite is asked once with them as unblocker, and the receipt shows them", async ({ page }) => {
  const gate = await storyUpToGate(2);
  await signInWithGitLab(page, "bob", "/approvals");
  const card = await gateCard(page, gate.title);
  // The change and the verdict are on the page before any button.
  await expect(card.getByRole("table", { name: "Change" })).toContainText(`acme/payments-api!${gate.ids.gitlab.mrIid}`);
  await expect(card.getByRole("table", { name: "Change" })).toContainText("author alice");
  const verdict = card.getByRole("region", { name: "Policy verdict" });
  await expect(verdict).toContainText("You may approve.");
  await expect(verdict).toContainText("your approval opens the gate");
  await card.getByRole("button", { name: "Approve" }).click();
  await expect(card.getByRole("status")).toContainText(`Unblocked ${gate.pipeline} #${gate.ids.buildkite.buildNumber}`);
  expect(await unblockCalls(gate.ids.buildkite.jobs.blockStep)).toEqual([{ unblocker: buildkiteUsers.bob.id }]);

  // Buildkite then reports the unblock (naming Bob) and the deploy.
  await storyAfterGate(gate.story, gate.blocked, buildkiteUsers.bob);
  let deploymentId = "";
  await expect(async () => {
    const list = (await (await page.request.get("/api/v1/deployments?environment=production&limit=200")).json()) as { items: { id: string; commitSha: string | null; provider: string }[] };
    deploymentId = list.items.find((d) => d.commitSha === gate.ids.gitlab.mergeCommitSha && d.provider === "buildkite")?.id ?? "";
    expect(deploymentId).not.toBe("");
  }).toPass({ timeout: 30_000 });
  await page.goto(`/deploys/${deploymentId}`);
  const decisions = page.getByRole("table", { name: "Gate decisions" });
  await expect(decisions).toContainText("approved");
  await expect(decisions).toContainText("bob");
  await expect(decisions).toContainText("allowed by CUSTODY_APPROVAL_POLICY defaults");
  await expect(decisions).toContainText("Buildkite unblock");
  await expect(page.locator("section", { has: page.getByRole("heading", { name: "Gates", exact: true }) })).toContainText("Bob Approver");
});

test("the merge request author is refused, with the rule named, in the page and through the API", async ({ page }) => {
  const gate = await storyUpToGate(3);
  await signInWithGitLab(page, "alice", "/approvals");
  const card = await gateCard(page, gate.title);
  const verdict = card.getByRole("region", { name: "Policy verdict" });
  await expect(verdict).toContainText("You may not approve.");
  await expect(verdict).toContainText("alice is the merge request author");
  await expect(card.getByRole("button", { name: "Approve" })).toBeDisabled();
  const gateId = ((await (await page.request.get("/api/v1/approvals")).json()) as { items: { id: string; buildNumber: number }[] }).items.find((g) => g.buildNumber === gate.ids.buildkite.buildNumber)!.id;
  // Even a hand-made same-origin request is refused by the policy.
  const answer = await page.evaluate(async (id) => {
    const response = await fetch(`/api/v1/approvals/${id}/approve`, { method: "POST", headers: { "content-type": "application/json", "x-custody-request": "1" }, body: "{}" });
    return { status: response.status, body: (await response.json()) as { detail: string; refusedBy: string[] } };
  }, gateId);
  expect(answer.status).toBe(403);
  expect(answer.body.refusedBy).toContain("not_mr_author");
  expect(await unblockCalls(gate.ids.buildkite.jobs.blockStep)).toEqual([]);
});

test("under the two-person rule the first approval is recorded and a second approver opens the gate", async ({ page, browser }) => {
  const gate = await storyUpToGate(4, twoPersonPipeline);
  await signInWithGitLab(page, "bob", "/approvals");
  const card = await gateCard(page, gate.title);
  await expect(card.getByRole("region", { name: "Policy verdict" })).toContainText("2 approvals needed, 0 by others so far; your approval will be recorded and another approver is still needed.");
  await card.getByRole("button", { name: "Approve" }).click();
  await expect(card.getByRole("status")).toContainText("Approval recorded: 1 of 2. One more approver (someone other than bob)");
  expect(await unblockCalls(gate.ids.buildkite.jobs.blockStep)).toEqual([]);

  // Carol joins the release leads and approves as the second person.
  await setGitlabUser("carol", { groups: ["acme", roleGroups.approver] });
  const context = await browser.newContext({ baseURL: appUrl });
  const carol = await context.newPage();
  await signInWithGitLab(carol, "carol", "/approvals");
  const carolCard = await gateCard(carol, gate.title);
  await expect(carolCard.getByRole("table", { name: "Change" })).toContainText("Approved by bob");
  await expect(carolCard.getByRole("region", { name: "Policy verdict" })).toContainText("your approval opens the gate");
  await carolCard.getByRole("button", { name: "Approve" }).click();
  await expect(carolCard.getByRole("status")).toContainText("Unblocked");
  expect(await unblockCalls(gate.ids.buildkite.jobs.blockStep)).toEqual([{ unblocker: buildkiteUsers.carol.id }]);
  await context.close();
});

test("a cross-site request cannot approve, even while the approver is signed in", async ({ page }) => {
  const gate = await storyUpToGate(5);
  await signInWithGitLab(page, "bob", "/approvals");
  await gateCard(page, gate.title);
  const gateId = ((await (await page.request.get("/api/v1/approvals")).json()) as { items: { id: string; buildNumber: number }[] }).items.find((g) => g.buildNumber === gate.ids.buildkite.buildNumber)!.id;
  // A page on another site (localhost is a different site from 127.0.0.1) posts a form (text/plain,
  // no preflight) at the approve endpoint, and tries a fetch with the custom header (needs a preflight).
  await page.goto(`http://localhost:${buildkitePort}/health`);
  const viaFetch = await page.evaluate(async (url) => {
    try {
      const response = await fetch(url, { method: "POST", credentials: "include", headers: { "content-type": "application/json", "x-custody-request": "1" }, body: "{}" });
      return String(response.status);
    } catch {
      return "blocked by the browser";
    }
  }, `${appUrl}/api/v1/approvals/${gateId}/approve`);
  expect(viaFetch).toBe("blocked by the browser");
  await page.setContent(
    `<form method="post" enctype="text/plain" action="${appUrl}/api/v1/approvals/${gateId}/approve"><input name='{"a":"' value='"}'><button>go</button></form>`,
  );
  const [response] = await Promise.all([page.waitForResponse((r) => r.url().includes(`/api/v1/approvals/${gateId}/approve`)), page.getByRole("button", { name: "go" }).click()]);
  expect([401, 403]).toContain(response.status());
  expect(await unblockCalls(gate.ids.buildkite.jobs.blockStep)).toEqual([]);
  const after = ((await (await page.request.get(`${appUrl}/api/v1/approvals`)).json()) as { items: { id: string; decisions: unknown[] }[] }).items.find((g) => g.id === gateId)!;
  expect(after.decisions).toEqual([]);
});
