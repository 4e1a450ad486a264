import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { freePort, interruptGroup, runCustody, waitForHealth, type TRunning } from "../tests/support/spawn-custody.ts";

// A second Custody with no GitLab sign-in configured: the zero-configuration demo mode.
const serverUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const database = `custody_e2e_demo_${process.pid}_${randomBytes(3).toString("hex")}`;
let demo: TRunning | undefined;
let demoUrl = "";

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  await admin(`CREATE DATABASE "${database}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  const port = await freePort();
  demoUrl = `http://127.0.0.1:${port}`;
  demo = runCustody(["start", "--no-build"], { DATABASE_URL: url.toString(), PORT: String(port), HOST: "127.0.0.1", CUSTODY_WORKER: "off" });
  await waitForHealth(port, 90_000);
});

test.afterAll(async () => {
  if (demo) {
    interruptGroup(demo);
    await demo.exited;
  }
  await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
});

test("without GitLab sign-in configured, a banner says so and one click signs in as the local admin", async ({ page }) => {
  await page.goto(`${demoUrl}/settings`);
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fsettings/);
  await expect(page.getByRole("status").filter({ hasText: "SSO is not configured — demo mode" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in with GitLab" })).toHaveCount(0);
  await page.getByRole("button", { name: "Sign in as local admin (demo)" }).click();
  await expect(page).toHaveURL(`${demoUrl}/settings`);
  await expect(page.getByTestId("user-name")).toHaveText("local-admin");
  await expect(page.getByTestId("user-role")).toHaveText("admin");
  await expect(page.getByText("SSO is not configured: anyone who reaches this address signs in as the local admin.")).toBeVisible();
  await expect(page.getByRole("table", { name: "Audit trail" }).getByRole("row").nth(1)).toContainText("sign_in");
  expect(demo!.output()).toContain("sign-in: demo mode");
});
