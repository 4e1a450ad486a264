import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { signInWithGitLab } from "./support/sign-in.ts";

test("an auditor exports a report in the background, sees its progress and downloads the same file as the direct link", async ({ page }) => {
  await signInWithGitLab(page, "carol", "/reports");
  await page.getByLabel("First day (UTC)").fill("2026-09-01");
  await page.getByLabel("Last day (UTC)").fill("2026-09-30");

  const panel = page.getByRole("region", { name: "Export in background" });
  const before = await panel.locator("tbody tr").count();
  await panel.getByText("Change management:").getByRole("button", { name: "CSV" }).click();
  const row = panel.locator("tbody tr").first();
  await expect(panel.locator("tbody tr")).toHaveCount(before + 1);
  await expect(row.getByRole("cell", { name: "change-management.csv" })).toBeVisible();
  // Queued or running shows a progress bar; done shows the size and a download.
  await expect(row.getByRole("progressbar").or(row.getByRole("link", { name: "Download" }))).toBeVisible();
  const link = row.getByRole("link", { name: "Download" });
  await expect(link).toBeVisible({ timeout: 30_000 });
  await expect(row.getByRole("cell", { name: "done" })).toBeVisible();

  const download = page.waitForEvent("download");
  await link.click();
  const background = await readFile((await (await download).path())!, "utf8");
  const direct = await (await page.request.get("/api/v1/reports/change-management?from=2026-09-01T00:00:00Z&to=2026-10-01T00:00:00.000Z&format=csv")).text();
  expect(background).toBe(direct);
  expect(background.split("\r\n")[0]).toMatch(/^occurred_at,deployment_id,/);
});
