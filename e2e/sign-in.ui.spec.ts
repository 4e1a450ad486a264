import { expect, test } from "@playwright/test";
import { appUrl, roleGroups } from "./support/gitlab.ts";
import { signInWithGitLab } from "./support/sign-in.ts";

const sectionsByRole = {
  admin: ["Overview", "Timeline", "Deploys", "People", "Approvals", "Reports", "Ingest", "Settings"],
  approver: ["Overview", "Timeline", "Deploys", "People", "Approvals", "Ingest"],
  auditor: ["Overview", "Timeline", "Deploys", "People", "Approvals", "Reports", "Ingest"],
  viewer: ["Overview", "Timeline", "Deploys", "People", "Approvals", "Ingest"],
} as const;

for (const [username, role] of [["alice", "admin"], ["bob", "approver"], ["carol", "auditor"], ["dave", "viewer"]] as const) {
  test(`${username} signs in through GitLab and is ${role} by group membership`, async ({ page }) => {
    await signInWithGitLab(page, username, "/timeline");
    await expect(page).toHaveURL(`${appUrl}/timeline`);
    await expect(page.getByTestId("user-name")).toHaveText(username);
    await expect(page.getByTestId("user-role")).toHaveText(role);
    const links = page.getByRole("navigation", { name: "Main" }).getByRole("link");
    await expect(links).toHaveText([...sectionsByRole[role]]);
    const me = await page.request.get("/api/v1/me");
    expect(await me.json()).toEqual({ kind: "user", name: username, role, provider: "gitlab" });
  });
}

test("a GitLab user in no allowed group gets the no-access page naming the groups that grant access, and no session", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("button", { name: "Sign in with GitLab" }).click();
  await page.locator("#user_login").fill("erin");
  await page.locator("#user_password").fill("password");
  await page.locator("#sign_in").click();
  await expect(page).toHaveURL(`${appUrl}/no-access`);
  await expect(page.getByRole("heading", { level: 1, name: "No access" })).toBeVisible();
  for (const group of Object.values(roleGroups)) await expect(page.getByText(group)).toBeVisible();
  expect((await page.request.get("/api/v1/me")).status()).toBe(401);
  await page.goto("/timeline");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Ftimeline/);
});

test("a viewer opening an admin page is refused with 403 and told which role it needs", async ({ page }) => {
  await signInWithGitLab(page, "dave");
  const response = await page.goto("/settings");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1, name: "Forbidden" })).toBeVisible();
  await expect(page.getByText("This page needs the admin role; you are viewer.")).toBeVisible();
});

test("signing out ends the session on the server: the old cookie no longer works", async ({ page, playwright }) => {
  await signInWithGitLab(page, "dave");
  const cookie = (await page.context().cookies()).find((c) => c.name === "custody.session-token");
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe("Lax");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in\?signedOut=1/);
  await expect(page.getByText("You are signed out.")).toBeVisible();
  const replay = await playwright.request.newContext({ baseURL: appUrl });
  const response = await replay.get("/api/v1/me", { headers: { cookie: `custody.session-token=${cookie!.value}` } });
  expect(response.status()).toBe(401);
  await replay.dispose();
});

test("after sign-in the browser returns to the page it asked for, never to another site", async ({ page }) => {
  await page.goto("/sign-in?callbackUrl=https%3A%2F%2Fevil.example%2F");
  await page.getByRole("button", { name: "Sign in with GitLab" }).click();
  await page.locator("#user_login").fill("dave");
  await page.locator("#user_password").fill("password");
  await page.locator("#sign_in").click();
  await page.waitForURL((url) => url.origin === appUrl && url.pathname === "/");
});

test("an admin ends another user's session from Settings; that user is signed out at the next request", async ({ browser }) => {
  const daveContext = await browser.newContext();
  const dave = await daveContext.newPage();
  await signInWithGitLab(dave, "dave");
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInWithGitLab(admin, "alice", "/settings");
  const sessions = admin.getByRole("table", { name: "Sessions" });
  const endButtons = sessions.getByRole("button", { name: "End session of dave" });
  await expect(endButtons.first()).toBeVisible();
  // dave may have sessions from earlier tests too; end them all.
  for (let left = await endButtons.count(); left > 0; left -= 1) {
    await endButtons.first().click();
    await expect(endButtons).toHaveCount(left - 1);
  }
  await dave.goto("/deploys");
  await expect(dave).toHaveURL(/\/sign-in\?callbackUrl=%2Fdeploys&reason=revoked/);
  await admin.reload();
  await expect(admin.getByRole("table", { name: "Audit trail" }).getByRole("row").filter({ hasText: "session_revoked" }).first()).toContainText("dave");
  await daveContext.close();
  await adminContext.close();
});
