import { expect, test } from "@playwright/test";
import { mockBuildkite } from "./support/buildkite.ts";
import { signInWithGitLab } from "./support/sign-in.ts";

test("an admin backfills Buildkite from Settings and watches the run finish with the gaps it filled", async ({ page }) => {
  // A build no webhook ever announced: it passed after Erin opened its gate.
  const seeded = await mockBuildkite("builds", {
    pipeline: "backfill-e2e",
    number: 7,
    id: "0b0f5e1a-7c3d-4e8f-9a2b-backfill0007",
    state: "passed",
    blocked: false,
    jobs: [{ id: "5d6e7f80-1a2b-4c3d-8e9f-backfilljob7", type: "manual", label: "Deploy?", state: "unblocked", unblocked_by: { id: "erin-e2e", name: "Erin Lead" }, unblocked_at: "2026-09-14T10:02:31.540Z" }],
  });
  expect(seeded.status).toBe(204);

  await signInWithGitLab(page, "alice", "/settings");
  const panel = page.getByRole("region", { name: "Backfill and reconciliation" });
  const form = panel.getByRole("form", { name: "Start a backfill" });
  await form.getByLabel("Source").selectOption("buildkite");
  await form.getByLabel("Since").fill("2026-01-01");
  await form.getByRole("button", { name: "Start backfill" }).click();

  const runs = panel.getByRole("table", { name: "Backfill runs" });
  const row = runs.getByRole("row").filter({ hasText: "buildkite" }).first();
  await expect(row).toContainText("by ", { timeout: 10_000 });
  // The worker picks the run up; the progress bar and counts refresh by themselves until it is done.
  await expect(row).toContainText("done", { timeout: 30_000 });
  await expect(row).toContainText("2 gaps filled");
  const bar = row.getByRole("progressbar");
  await expect(bar).toHaveAttribute("value", (await bar.getAttribute("max")) ?? "");
});
