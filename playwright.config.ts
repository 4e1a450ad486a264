import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";
import { approvalPolicy, buildkitePort, buildkiteToken, buildkiteUrl } from "./e2e/support/buildkite.ts";
import { appPort, appUrl, gitlabPort, gitlabUrl, recheckSeconds, roleGroups } from "./e2e/support/gitlab.ts";
import { ledgerSigningKey } from "./e2e/support/ledger-key.ts";
import { webhookSecrets } from "./e2e/support/webhook-secrets.ts";

// E2E runs the built app on a real Postgres database that scripts/e2e-server.mjs creates, signing in
// through a local OpenID provider with GitLab's paths and claims (e2e/support/mock-gitlab.mjs).
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

if (!existsSync(chromium)) {
  throw new Error(
    `End-to-end tests need Chromium at ${chromium}. Install it (Debian/Ubuntu: apt-get install -y chromium) ` +
      "or set CHROMIUM_PATH; browser downloads are not used.",
  );
}

const oauthClient = { id: "custody-e2e", secret: "custody-e2e-secret-0123456789" };

/** Custody configured for GitLab sign-in against the mock, with short intervals so tests can wait them out. */
const appEnv = {
  GITLAB_URL: gitlabUrl,
  GITLAB_CLIENT_ID: oauthClient.id,
  GITLAB_CLIENT_SECRET: oauthClient.secret,
  NEXTAUTH_URL: appUrl,
  NEXTAUTH_SECRET: "e2e-session-secret-that-is-long-enough-0123456789",
  CUSTODY_ADMIN_GROUPS: roleGroups.admin,
  CUSTODY_APPROVER_GROUPS: roleGroups.approver,
  CUSTODY_AUDITOR_GROUPS: roleGroups.auditor,
  CUSTODY_VIEWER_GROUPS: roleGroups.viewer,
  CUSTODY_ROLE_RECHECK_INTERVAL: `${recheckSeconds}s`,
  // Every test signs in from 127.0.0.1; the limit itself is tested in tests/auth.
  CUSTODY_SIGNIN_RATE_LIMIT: "10000",
  // UI tests seed data by posting webhook deliveries (e2e/support/webhooks.ts, e2e/support/buildkite.ts);
  // approvals call the Buildkite mock.
  GITLAB_WEBHOOK_SECRET: webhookSecrets.gitlabToken,
  BUILDKITE_WEBHOOK_SIGNING_SECRET: webhookSecrets.buildkiteSigning,
  BUILDKITE_WEBHOOK_TOKEN: webhookSecrets.buildkiteToken,
  BUILDKITE_API_URL: buildkiteUrl,
  BUILDKITE_API_TOKEN: buildkiteToken,
  BUILDKITE_ORG: "acme",
  CUSTODY_APPROVAL_POLICY: approvalPolicy,
  // Backfill reads one pipeline of the Buildkite mock that only the backfill test seeds; no schedule.
  BUILDKITE_BACKFILL_PIPELINES: "backfill-e2e",
  CUSTODY_RECONCILE_INTERVAL: "0",
  // Checkpoints are signed with a throwaway key; Settings shows its fingerprint.
  CUSTODY_SIGNING_KEY: ledgerSigningKey,
};

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    baseURL: appUrl,
    trace: "off",
    launchOptions: {
      executablePath: chromium,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  projects: [
    { name: "api", testMatch: /.*\.api\.spec\.ts/ },
    { name: "ui", testMatch: /.*\.ui\.spec\.ts/, use: { browserName: "chromium" } },
  ],
  webServer: [
    {
      command: "node e2e/support/mock-gitlab.mjs",
      url: `${gitlabUrl}/health`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      env: {
        MOCK_GITLAB_PORT: String(gitlabPort),
        MOCK_GITLAB_CLIENT_ID: oauthClient.id,
        MOCK_GITLAB_CLIENT_SECRET: oauthClient.secret,
        MOCK_GITLAB_REDIRECT_URIS: `${appUrl}/api/auth/callback/gitlab`,
        // GitLab's access tokens live 2 h; here a few seconds, so sessions must refresh them while tests run.
        MOCK_GITLAB_ACCESS_TOKEN_TTL: String(recheckSeconds + 3),
      },
    },
    {
      command: "node e2e/support/mock-buildkite.mjs",
      url: `${buildkiteUrl}/health`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      env: { MOCK_BUILDKITE_PORT: String(buildkitePort), MOCK_BUILDKITE_TOKEN: buildkiteToken, MOCK_BUILDKITE_ORG: "acme" },
    },
    {
      command: "node scripts/e2e-server.mjs",
      url: `${appUrl}/api/health`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe",
      env: { PORT: String(appPort), HOST: "127.0.0.1", NEXT_TELEMETRY_DISABLED: "1", E2E_EXTRA_ENV: JSON.stringify(appEnv) },
    },
  ],
});
