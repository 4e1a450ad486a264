import { expect, test } from "@playwright/test";
import { ledgerKeyFingerprint } from "./support/ledger-key.ts";
import { signInWithGitLab } from "./support/sign-in.ts";

test("Settings shows the ledger's public signing key with its SHA-256 fingerprint, and the worker signs a checkpoint", async ({ page }) => {
  await signInWithGitLab(page, "alice", "/settings");
  const panel = page.getByRole("region", { name: "Ledger signing key" });
  await expect(panel.getByTestId("ledger-fingerprint")).toHaveText(ledgerKeyFingerprint);
  await expect(panel.getByLabel("Ledger public key")).toContainText("-----BEGIN PUBLIC KEY-----");
  await expect(panel).toContainText("a signed checkpoint is written every 1 h");
  // The worker writes the first checkpoint as soon as it starts (there is none yet).
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("region", { name: "Ledger signing key" })).toContainText(/newest checkpoint #\d+ covers \d+ entries/);
  }).toPass({ timeout: 30_000 });
});
