import { expect, test } from "@playwright/test";
import { appUrl } from "./support/gitlab.ts";
import { signInWithGitLab } from "./support/sign-in.ts";

test("a token created in Settings works as Bearer on /api/v1 with its role's rights, and stops working when revoked", async ({ page, playwright }) => {
  await signInWithGitLab(page, "alice", "/settings");
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  const name = `ci-reader-${Date.now()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Role").selectOption("viewer");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  expect(token).toMatch(/^cst_[A-Za-z0-9_-]{43}$/);
  const row = page.getByRole("table", { name: "API tokens" }).getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("active");
  await expect(row).toContainText(token.slice(0, 12));
  await expect(row).not.toContainText(token);

  const api = await playwright.request.newContext({ baseURL: appUrl, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  const deployments = await api.get("/api/v1/deployments");
  expect(deployments.status()).toBe(200);
  expect(await deployments.json()).toMatchObject({ items: expect.any(Array) });
  expect((await api.get("/api/v1/me")).status()).toBe(200);
  expect((await api.get("/api/v1/tokens")).status()).toBe(403);
  expect((await api.post("/api/v1/deliveries/replay", { data: { failed: true } })).status()).toBe(403);

  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await expect(row).toContainText("revoked");
  const after = await api.get("/api/v1/deployments");
  expect(after.status()).toBe(401);
  expect(after.headers()["www-authenticate"]).toContain('error="invalid_token"');
  await api.dispose();

  // Both changes are in the audit trail.
  await page.reload();
  const audit = page.getByRole("table", { name: "Audit trail" });
  await expect(audit.getByRole("row").filter({ hasText: "token_created" }).filter({ hasText: name })).toHaveCount(1);
  await expect(audit.getByRole("row").filter({ hasText: "token_revoked" }).filter({ hasText: name })).toHaveCount(1);
});

test("an admin token can replay deliveries, and the replay is audited", async ({ page, playwright }) => {
  await signInWithGitLab(page, "alice", "/settings");
  await page.getByLabel("Name").fill("replayer");
  await page.getByLabel("Role").selectOption("admin");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  const api = await playwright.request.newContext({ baseURL: appUrl, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  const replay = await api.post("/api/v1/deliveries/replay", { data: { failed: true } });
  expect(replay.status()).toBe(202);
  expect(await replay.json()).toEqual({ queued: expect.any(Number) });
  expect((await api.post("/api/v1/deliveries/replay", { data: { ids: ["not-a-uuid"] } })).status()).toBe(400);
  await api.dispose();
  await page.reload();
  await expect(page.getByRole("table", { name: "Audit trail" }).getByRole("row").filter({ hasText: "replay" }).filter({ hasText: "token:replayer" }).first()).toBeVisible();
});
