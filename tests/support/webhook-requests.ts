import { createHmac, randomUUID } from "node:crypto";

export const secrets = {
  gitlabToken: "gitlab-test-token-9f2c",
  gitlabSigning: `whsec_${Buffer.from("0123456789abcdef0123456789abcdef").toString("base64")}`,
  buildkiteSigning: "buildkite-test-signing-secret-77",
  buildkiteToken: "buildkite-test-token-31",
};

export function configureWebhookSecrets(): void {
  Object.assign(process.env, {
    GITLAB_WEBHOOK_SECRET: secrets.gitlabToken,
    GITLAB_WEBHOOK_SIGNING_TOKEN: "",
    BUILDKITE_WEBHOOK_SIGNING_SECRET: secrets.buildkiteSigning,
    BUILDKITE_WEBHOOK_TOKEN: secrets.buildkiteToken,
  });
}

export function gitlabRequest(event: string, body: string, options: { token?: string; id?: string; headers?: Record<string, string> } = {}): Request {
  return new Request("http://127.0.0.1/api/webhooks/gitlab", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-gitlab-event": event,
      "x-gitlab-token": options.token ?? secrets.gitlabToken,
      "idempotency-key": options.id ?? randomUUID(),
      ...options.headers,
    },
    body,
  });
}

export function buildkiteSignature(body: string, timestamp = Math.floor(Date.now() / 1000), secret = secrets.buildkiteSigning): string {
  const signature = createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex");
  return `timestamp=${timestamp},signature=${signature}`;
}

export function buildkiteRequest(event: string, body: string, options: { signature?: string; headers?: Record<string, string> } = {}): Request {
  return new Request("http://127.0.0.1/api/webhooks/buildkite", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-buildkite-event": event,
      "x-buildkite-signature": options.signature ?? buildkiteSignature(body),
      ...options.headers,
    },
    body,
  });
}
