import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { verifyPack } from "../lib/evidence/pack/verify-pack.mjs";
import { signInWithGitLab } from "./support/sign-in.ts";

test("an auditor picks a period and downloads the change-management report as CSV and PDF; a viewer is refused", async ({ page, browser }) => {
  await signInWithGitLab(page, "carol", "/reports");
  await expect(page.getByRole("heading", { name: "Reports", level: 1 })).toBeVisible();
  await page.getByLabel("First day (UTC)").fill("2026-09-01");
  await page.getByLabel("Last day (UTC)").fill("2026-09-30");
  await page.getByRole("textbox", { name: "Environments" }).fill("production");

  const section = page.getByRole("region", { name: "Change management" });
  const link = section.getByRole("link", { name: "CSV" });
  await expect(link).toHaveAttribute("href", "/api/v1/reports/change-management?from=2026-09-01T00%3A00%3A00Z&to=2026-10-01T00%3A00%3A00.000Z&format=csv&environment=production");
  const csvDownload = page.waitForEvent("download");
  await link.click();
  const csv = await readFile((await (await csvDownload).path())!, "utf8");
  expect(csv.split("\r\n")[0]).toBe("occurred_at,deployment_id,environment,project,status,commit_sha,deployer,merge_requests,authors,approvers,merged_by,pipelines,builds,gates,credentials,findings,finding_details");

  const pdfDownload = page.waitForEvent("download");
  await page.getByRole("region", { name: "Ingest completeness" }).getByRole("link", { name: "PDF" }).click();
  const pdf = await readFile((await (await pdfDownload).path())!);
  expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");

  const pack = page.getByRole("link", { name: "Download evidence pack (.zip)" });
  await expect(pack).toHaveAttribute("href", "/api/v1/evidence?from=2026-09-01T00%3A00%3A00Z&to=2026-10-01T00%3A00%3A00.000Z&environment=production");
  const packDownload = page.waitForEvent("download");
  await pack.click();
  const verified = verifyPack(await readFile((await (await packDownload).path())!));
  expect(verified.ok ? "ok" : verified.problem).toBe("ok");

  await page.getByLabel("First day (UTC)").fill("2026-10-05");
  await expect(page.getByRole("alert").filter({ hasText: "first day" })).toHaveText("The first day must not be after the last day.");
  await expect(section.getByRole("link", { name: "CSV" })).toHaveCount(0);

  const viewer = await browser.newPage();
  await signInWithGitLab(viewer, "dave", "/");
  const refused = await viewer.request.get("/api/v1/reports/credentials?from=2026-09-01T00:00:00Z&to=2026-10-01T00:00:00Z");
  expect(refused.status()).toBe(403);
  await viewer.goto("/reports");
  await expect(viewer.getByText("This page needs the auditor role; you are viewer.")).toBeVisible();
  await viewer.close();
});
