import { expect, test } from "@playwright/test";
import { signInWithGitLab } from "./support/sign-in.ts";

test("the shell navigates between every section with the keyboard and mouse", async ({ page }) => {
  await signInWithGitLab(page, "alice");
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const section of ["Timeline", "Deploys", "Approvals", "Reports", "Ingest", "Settings"]) {
    await nav.getByRole("link", { name: section }).click();
    await expect(page.getByRole("heading", { level: 1, name: section })).toBeVisible();
    await expect(nav.getByRole("link", { name: section })).toHaveAttribute("aria-current", "page");
  }
  await nav.getByRole("link", { name: "Overview" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
});
