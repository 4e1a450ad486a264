import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { signInWithGitLab } from "./support/sign-in.ts";

test("sign-ins, failed sign-ins and exports are recorded, listed newest first, exportable and on the timeline", async ({ page, browser }) => {
  // A failed sign-in from another browser.
  const other = await browser.newPage();
  await other.goto("/");
  await other.getByRole("button", { name: "Sign in with GitLab" }).click();
  await other.locator("#user_login").fill("erin");
  await other.locator("#user_password").fill("password");
  await other.locator("#sign_in").click();
  await other.waitForURL(/\/no-access/);
  await other.close();

  await signInWithGitLab(page, "alice", "/settings");
  const audit = page.getByRole("table", { name: "Audit trail" });
  await expect(audit.getByRole("row").nth(1)).toContainText("sign_in");
  await expect(audit.getByRole("row").nth(1)).toContainText("alice");
  await expect(audit.getByRole("row").filter({ hasText: "sign_in_failed" }).filter({ hasText: "erin" }).first()).toBeVisible();

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "CSV" }).click();
  const csv = await readFile((await (await download).path())!, "utf8");
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toBe("occurred_at,id,actor_type,actor_label,actor_id,action,outcome,target,ip,user_agent,details");
  expect(lines.some((line) => line.includes(",erin,") && line.includes(",sign_in_failed,failure,"))).toBe(true);

  await page.reload();
  await expect(audit.getByRole("row").nth(1)).toContainText("export");

  const timeline = await page.request.get("/api/v1/timeline?limit=200");
  expect(timeline.status()).toBe(200);
  const kinds = ((await timeline.json()) as { items: { kind: string }[] }).items.map((item) => item.kind);
  expect(kinds).toEqual(expect.arrayContaining(["audit.sign_in", "audit.sign_in_failed", "audit.export"]));
});
