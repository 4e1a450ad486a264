import { readFile } from "node:fs/promises";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { buildStory, buildStoryIds } from "../tests/fixtures/story.ts";
import { signInWithGitLab } from "./support/sign-in.ts";
import { postDelivery, postStory } from "./support/webhooks.ts";

// The dashboard over real deliveries: a story of MR → pipeline → Buildkite build with a gate →
// production deploy, posted as signed webhooks and folded by the app's own worker.

const SEED = 41;
const ids = buildStoryIds({ seed: SEED });
const sha = ids.gitlab.mergeCommitSha;

async function waitForDeploys(request: APIRequestContext, q: string, count: number): Promise<{ id: string }[]> {
  let deployments: { id: string }[] = [];
  await expect(async () => {
    const response = await request.get(`/api/v1/timeline?q=${q}&limit=1`);
    expect(response.status()).toBe(200);
    deployments = ((await response.json()) as { deployments: { id: string }[] }).deployments;
    expect(deployments).toHaveLength(count);
  }).toPass({ timeout: 30_000 });
  return deployments;
}

test.beforeAll(async () => {
  // Only Buildkite deploys this commit (GitLab's own deployment events are left out), so its SHA names one deploy.
  await postStory({ seed: SEED, skip: (d) => d.event === "Deployment Hook" });
});

test("searching a short SHA on the timeline lands on the deploy receipt", async ({ page }) => {
  await signInWithGitLab(page, "dave", "/timeline");
  const [deployment] = await waitForDeploys(page.request, sha, 1);
  // "/" reaches the search box from anywhere on the page.
  await page.getByRole("link", { name: "Clear" }).focus();
  await page.keyboard.press("/");
  await expect(page.getByRole("searchbox", { name: "Search" })).toBeFocused();
  await page.keyboard.type(sha.slice(0, 8));
  await page.getByRole("searchbox", { name: "Search" }).press("Enter");
  await expect(page).toHaveURL(new RegExp(`/deploys/${deployment!.id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Deploy to production");
  await expect(page.getByText(sha).first()).toBeVisible();
});

test("filters narrow the timeline, live in the URL and survive a reload", async ({ page }) => {
  await signInWithGitLab(page, "dave", "/timeline");
  await waitForDeploys(page.request, sha, 1);
  const rows = page.locator("tbody tr[data-kind]");
  await expect(rows.first()).toBeVisible();
  const kindsBefore = new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-kind"))));
  expect(kindsBefore.size).toBeGreaterThan(2);

  await page.getByLabel("Kind").selectOption("gate");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/kind=gate/);
  const check = async () => {
    await expect(rows.first()).toBeVisible();
    const kinds = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-kind")));
    expect(kinds.length).toBeGreaterThan(0);
    for (const kind of kinds) expect(kind).toMatch(/^gate(\.|$)/);
    await expect(page.getByLabel("Kind")).toHaveValue("gate");
  };
  await check();
  await expect(rows.filter({ hasText: `payments-api-deploy #${ids.buildkite.buildNumber}` }).first()).toContainText("unblocked");

  await page.reload();
  await check();
  // A second filter narrows further, and both survive a reload.
  await page.getByLabel("Environment").fill("no-such-environment");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/environment=no-such-environment/);
  await expect(page.getByText("Nothing matches.")).toBeVisible();
  await page.reload();
  await expect(page.getByText("Nothing matches.")).toBeVisible();
  await expect(page.getByLabel("Kind")).toHaveValue("gate");
  await expect(page.getByLabel("Environment")).toHaveValue("no-such-environment");
  await page.goBack();
  await check();
  // The row links to the build it is about, and that page names who opened the gate.
  await page.getByRole("link", { name: new RegExp(`^Gate .* of payments-api-deploy #${ids.buildkite.buildNumber} unblocked`) }).first().click();
  await expect(page).toHaveURL(new RegExp(`/builds/payments-api-deploy/${ids.buildkite.buildNumber}$`));
  await expect(page.getByRole("table", { name: "Gates" })).toContainText("Erin Lead");
});

test("a delivery posted while the timeline is open appears without a reload", async ({ page }) => {
  await signInWithGitLab(page, "dave", "/timeline");
  await expect(page.getByRole("status").filter({ hasText: "Live" })).toBeVisible({ timeout: 15_000 });
  // A marker on the window: it survives re-rendering, not a reload.
  await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
  // An agent event is stamped when it arrives, so it lands at the top of the timeline.
  const connected = buildStory({ seed: 43 }).find((d) => d.event === "agent.connected")!;
  const title = `Agent ${(JSON.parse(connected.body) as { agent: { name: string } }).agent.name} connected`;
  await expect(page.getByRole("cell", { name: title })).toHaveCount(0);
  await postDelivery(connected);
  await expect(page.getByRole("cell", { name: title }).first()).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole("status").filter({ hasText: /new fact/ })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
});

test("the receipt shows who unblocked the gate, links every identifier and exports a PDF", async ({ page }) => {
  await signInWithGitLab(page, "carol", "/deploys");
  const [deployment] = await waitForDeploys(page.request, sha, 1);
  await page.goto(`/deploys/${deployment!.id}`);
  const gates = page.locator("section", { has: page.getByRole("heading", { name: "Gates" }) });
  await expect(gates).toContainText("Erin Lead");
  await expect(gates).toContainText("erin@acme.test");
  await expect(gates.getByRole("row").nth(1)).toContainText("unblocked");

  const change = page.locator("section", { has: page.getByRole("heading", { name: "Change" }) });
  await change.getByRole("link", { name: `acme/payments-api!${ids.gitlab.mrIid}` }).click();
  await expect(page).toHaveURL(new RegExp(`/merge-requests/acme/payments-api/${ids.gitlab.mrIid}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`acme/payments-api!${ids.gitlab.mrIid}`);
  await expect(page.getByRole("table", { name: "Review" })).toContainText("bob");
  await expect(page.getByRole("table", { name: "Deployments" })).toContainText("production");
  await page.goBack();

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download PDF" }).click();
  const pdf = await readFile((await (await download).path())!, "latin1");
  expect(pdf.startsWith("%PDF-1.4")).toBe(true);
  expect(pdf).toContain("(Erin Lead <erin@acme.test>");
  expect(pdf).toMatch(/startxref\n\d+\n%%EOF\n$/);

  // Keyboard: the first evidence row's delivery opens from the keyboard.
  const evidence = page.getByRole("table").last();
  await evidence.getByRole("link").first().focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/deliveries\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: "Body" })).toBeVisible();
});

test("an identifier Custody has not seen gets a designed not-found page", async ({ page }) => {
  await signInWithGitLab(page, "dave", "/merge-requests/acme/payments-api/99999");
  await expect(page.getByRole("heading", { name: "No such merge request" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Search the timeline" })).toBeVisible();
});
