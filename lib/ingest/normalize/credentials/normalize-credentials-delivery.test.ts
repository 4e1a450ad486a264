import { describe, expect, it } from "vitest";
import { normalizeCredentialsDelivery } from "./normalize-credentials-delivery.ts";

// Claims as the Buildkite agent documents them (buildkite.md §4.1) and GitLab CI ID-token claims (gitlab.md §4.4).
const buildkiteClaims = {
  iss: "https://agent.buildkite.com",
  sub: "organization:acme:pipeline:payments-api-deploy:ref:refs/heads/main:commit:5fc652f697a1263b2022de426a28d99b4e96827c:step:deploy-production",
  aud: "sts.amazonaws.com",
  iat: 1789380140,
  nbf: 1789380140,
  exp: 1789380440,
  jti: "0b6f3a1e-6c1d-4c55-9d57-3c2b1f0e9a11",
  organization_slug: "acme",
  pipeline_slug: "payments-api-deploy",
  build_number: 981,
  build_branch: "main",
  build_commit: "5fc652f697a1263b2022de426a28d99b4e96827c",
  step_key: "deploy-production",
  job_id: "33675233-2580-4883-91ef-9a25fb852b87",
  agent_id: "2f9c4b7e-1a2b-4c3d-8e9f-0a1b2c3d3b4c",
  build_source: "api",
  runner_environment: "self-hosted",
};

const gitlabClaims = {
  iss: "https://gitlab.acme.test",
  sub: "project_path:acme/payments-api:ref_type:branch:ref:main",
  aud: ["sts.amazonaws.com"],
  iat: 1789380000,
  nbf: 1789379995,
  exp: 1789380300,
  jti: "b1c2d3e4-0000-4000-8000-000000000001",
  project_id: "4242",
  project_path: "acme/payments-api",
  pipeline_id: "1183467",
  job_id: "9120459",
  ref: "main",
  ref_protected: "true",
  user_login: "dave",
  environment: "production",
  sha: "5fc652f697a1263b2022de426a28d99b4e96827c",
};

const cloudTrail = (over: Record<string, unknown> = {}) => ({
  eventVersion: "1.08",
  eventTime: "2026-09-14T10:02:21Z",
  eventSource: "sts.amazonaws.com",
  eventName: "AssumeRoleWithWebIdentity",
  eventID: "7f1e2d3c-aaaa-bbbb-cccc-000000000001",
  recipientAccountId: "111122223333",
  sourceIPAddress: "203.0.113.10",
  userIdentity: {
    type: "WebIdentityUser",
    principalId: `arn:aws:iam::111122223333:oidc-provider/agent.buildkite.com:sts.amazonaws.com:${buildkiteClaims.sub}`,
    userName: buildkiteClaims.sub,
    identityProvider: "arn:aws:iam::111122223333:oidc-provider/agent.buildkite.com",
  },
  requestParameters: { roleArn: "arn:aws:iam::111122223333:role/payments-deploy", roleSessionName: "buildkite-job-33675233-2580-4883-91ef-9a25fb852b87" },
  responseElements: {
    credentials: { accessKeyId: "ASIAEXAMPLE1234567", expiration: "2026-09-14T11:02:21Z" },
    subjectFromWebIdentityToken: buildkiteClaims.sub,
    provider: "arn:aws:iam::111122223333:oidc-provider/agent.buildkite.com",
    audience: "sts.amazonaws.com",
  },
  ...over,
});

describe("credentials normalizer", () => {
  it("turns Buildkite OIDC claims into a credential joined to the Buildkite job", () => {
    const result = normalizeCredentialsDelivery({ kind: "oidc-claims", claims: buildkiteClaims });
    expect(result.status).toBe("processed");
    if (result.status !== "processed") return;
    expect(result.facts[0]).toMatchObject({
      type: "credential",
      data: {
        issuer: "https://agent.buildkite.com",
        provider: "buildkite",
        jobKey: "buildkite:job:33675233-2580-4883-91ef-9a25fb852b87",
        issuedAt: "2026-09-14T10:02:20.000Z",
        expiresAt: "2026-09-14T10:07:20.000Z",
        audience: "sts.amazonaws.com",
      },
    });
  });

  it("joins GitLab CI ID-token claims to the GitLab job of that project (ids are strings there)", () => {
    const result = normalizeCredentialsDelivery({ kind: "oidc-claims", claims: gitlabClaims });
    expect(result.status === "processed" && result.facts[0]?.data).toMatchObject({ provider: "gitlab", jobKey: "gitlab:job:4242:9120459", environment: "production", userLogin: "dave" });
  });

  it("refuses claims with missing or mistyped fields, or expiring before issue", () => {
    expect(normalizeCredentialsDelivery({ kind: "oidc-claims", claims: { ...buildkiteClaims, iss: undefined } })).toMatchObject({ status: "invalid", error: expect.stringMatching(/iss/) });
    expect(normalizeCredentialsDelivery({ kind: "oidc-claims", claims: { ...buildkiteClaims, exp: "soon" } })).toMatchObject({ status: "invalid", error: expect.stringMatching(/exp/) });
    expect(normalizeCredentialsDelivery({ kind: "oidc-claims", claims: { ...buildkiteClaims, exp: buildkiteClaims.iat - 1 } })).toMatchObject({ status: "invalid", error: expect.stringMatching(/before/) });
    expect(normalizeCredentialsDelivery({ kind: "oidc-claims" })).toMatchObject({ status: "invalid" });
  });

  it("turns AssumeRoleWithWebIdentity records into role sessions joined to the buildkite-job-<id> job", () => {
    const result = normalizeCredentialsDelivery({ Records: [cloudTrail(), cloudTrail({ eventName: "GetCallerIdentity", eventID: "x" })] });
    expect(result.status).toBe("processed");
    if (result.status !== "processed") return;
    expect(result.facts).toHaveLength(1);
    expect(result.facts[0]?.data).toMatchObject({
      roleArn: "arn:aws:iam::111122223333:role/payments-deploy",
      jobExternalId: "33675233-2580-4883-91ef-9a25fb852b87",
      sourceIp: "203.0.113.10",
      accessKeyId: "ASIAEXAMPLE1234567",
      expiresAt: "2026-09-14T11:02:21.000Z",
      subject: buildkiteClaims.sub,
    });
  });

  it("accepts a single EventBridge event and ignores files without role assumptions", () => {
    const event = { version: "0", "detail-type": "AWS API Call via CloudTrail", source: "aws.sts", detail: cloudTrail() };
    expect(normalizeCredentialsDelivery(event).status).toBe("processed");
    expect(normalizeCredentialsDelivery({ Records: [cloudTrail({ eventName: "ListBuckets" })] })).toMatchObject({ status: "ignored" });
    expect(normalizeCredentialsDelivery({ hello: "world" })).toMatchObject({ status: "invalid" });
  });
});
