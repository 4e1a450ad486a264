import { expect, test } from "@playwright/test";
import { appUrl, gitlabStats, recheckSeconds, resetGitlab, roleGroups, setGitlabUser } from "./support/gitlab.ts";
import { signInWithGitLab } from "./support/sign-in.ts";

// Roles are re-read from GitLab's userinfo every CUSTODY_ROLE_RECHECK_INTERVAL (here recheckSeconds),
// and at once before exports and replays.
const afterNextCheck = () => new Promise((resolve) => setTimeout(resolve, (recheckSeconds + 1) * 1000));

test.afterEach(async () => {
  await resetGitlab();
});

test("a user removed from every allowed GitLab group loses access at the next check", async ({ page }) => {
  await signInWithGitLab(page, "frank");
  await expect(page.getByTestId("user-role")).toHaveText("viewer");
  await setGitlabUser("frank", { groups: ["acme"] });
  await afterNextCheck();
  await page.goto("/timeline");
  await expect(page).toHaveURL(`${appUrl}/no-access?reason=removed`);
  await expect(page.getByText("You are no longer in a GitLab group that grants access to Custody")).toBeVisible();
  // The session is over for good: being added back needs a new sign-in.
  await setGitlabUser("frank", { groups: ["acme", roleGroups.viewer] });
  expect((await page.request.get("/api/v1/me")).status()).toBe(401);
});

test("a user blocked in GitLab loses the session at the next check", async ({ page }) => {
  await signInWithGitLab(page, "gina");
  await setGitlabUser("gina", { blocked: true });
  await afterNextCheck();
  await page.goto("/deploys");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fdeploys&reason=revoked/);
  await expect(page.getByText("Your session was ended.")).toBeVisible();
});

test("a role change in GitLab applies at the next check", async ({ page }) => {
  await signInWithGitLab(page, "bob");
  await expect(page.getByTestId("user-role")).toHaveText("approver");
  await setGitlabUser("bob", { groups: ["acme", roleGroups.admin] });
  await afterNextCheck();
  await page.goto("/settings");
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await expect(page.getByTestId("user-role")).toHaveText("admin");
});

test("a session outlives GitLab's short-lived access token by refreshing it", async ({ page }) => {
  await signInWithGitLab(page, "dave");
  const before = await gitlabStats();
  // The mock's access tokens live recheckSeconds + 3 s; two checks later the first one has expired.
  await afterNextCheck();
  await afterNextCheck();
  await page.goto("/deploys");
  await expect(page.getByRole("heading", { level: 1, name: "Deploys" })).toBeVisible();
  const after = await gitlabStats();
  expect(after.refreshGrants).toBeGreaterThan(before.refreshGrants);
});

test("an export re-checks the role with GitLab at once, without waiting for the interval", async ({ page }) => {
  await signInWithGitLab(page, "carol");
  await setGitlabUser("carol", { groups: ["acme"] });
  // Within the interval ordinary reads still use the role read at sign-in…
  expect((await page.request.get("/api/v1/me")).status()).toBe(200);
  // …but an export asks GitLab first.
  const exported = await page.request.get("/api/v1/audit/export?format=json");
  expect(exported.status()).toBe(401);
  expect((await exported.json()).detail).toContain("not in any GitLab group");
});
