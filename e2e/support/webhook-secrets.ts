/** The webhook secrets the e2e server is configured with (playwright.config.ts) and tests sign with. */
export const webhookSecrets = {
  gitlabToken: "e2e-gitlab-webhook-token-5b1d",
  buildkiteSigning: "e2e-buildkite-signing-secret-0c7a",
  buildkiteToken: "e2e-buildkite-webhook-token-0123",
};
