import { describe, expect, it } from "vitest";
import type { TDeployReceipt } from "@/lib/contracts/deployments";
import { buildReceiptFindings } from "./build-receipt-findings.ts";

type TMr = TDeployReceipt["mergeRequests"][number];

const mr = (over: Partial<TMr> = {}): TMr => ({
  iid: 17,
  project: "acme/payments-api",
  title: "Retry refunds",
  url: null,
  state: "merged",
  author: { username: "alice", name: "Alice" },
  approvers: [{ username: "bob", approvedAt: "2026-09-14T09:00:00.000Z" }],
  mergedBy: { username: "dave", name: "Dave" },
  mergedAt: "2026-09-14T09:40:00.000Z",
  commits: ["abc"],
  commitAuthorEmails: ["alice@acme.test"],
  linkedBy: "merge_commit_sha",
  ...over,
});

const receipt = (over: Partial<Omit<TDeployReceipt, "findings">> = {}): Omit<TDeployReceipt, "findings"> => ({
  id: "d",
  provider: "buildkite",
  project: "acme/payments-api",
  environment: "production",
  status: "success",
  commitSha: "abc",
  startedAt: null,
  finishedAt: null,
  occurredAt: "2026-09-14T10:00:00.000Z",
  triggeredBy: null,
  mergeRequests: [mr()],
  pipelines: [{ provider: "gitlab", id: "1", status: "success", ref: "main", sha: "abc", source: "push", url: null, triggeredBy: null, jobs: [], linkedBy: "sha" }],
  builds: [
    {
      provider: "buildkite",
      pipeline: "deploy",
      number: 1,
      state: "passed",
      url: null,
      creator: null,
      gates: [{ label: "Deploy?", state: "unblocked", unblockedBy: { name: "Erin", email: "erin@acme.test" }, unblockedAt: null }],
      linkedBy: "commit",
    },
  ],
  credentials: [],
  evidence: [],
  ...over,
});

const codes = (r: Omit<TDeployReceipt, "findings">) => buildReceiptFindings(r).map((f) => f.code);

describe("receipt findings", () => {
  it("a reviewed, approved, merged change with a green pipeline and an independent gate has no findings", () => {
    expect(codes(receipt())).toEqual([]);
  });
  it("flags a deploy with no merge request", () => {
    expect(codes(receipt({ mergeRequests: [] }))).toEqual(["no_merge_request"]);
  });
  it("flags self-approval, missing approvals and an unmerged change", () => {
    expect(codes(receipt({ mergeRequests: [mr({ approvers: [{ username: "Alice", approvedAt: null }] })] }))).toContain("self_approval");
    expect(codes(receipt({ mergeRequests: [mr({ approvers: [] })] }))).toEqual(["insufficient_approvals"]);
    expect(codes(receipt({ mergeRequests: [mr({ state: "opened" })] }))).toEqual(["unmerged_change"]);
    expect(buildReceiptFindings(receipt(), { minApprovals: 2 }).map((f) => f.code)).toEqual(["insufficient_approvals"]);
  });
  it("flags a failed pipeline and a gate opened by an author of the change", () => {
    expect(codes(receipt({ pipelines: [{ ...receipt().pipelines[0]!, status: "failed" }] }))).toEqual(["failed_pipeline"]);
    const gate = { label: "Deploy?", state: "unblocked", unblockedBy: { name: "Alice A.", email: "ALICE@acme.test" }, unblockedAt: null };
    expect(codes(receipt({ builds: [{ ...receipt().builds[0]!, gates: [gate] }] }))).toEqual(["gate_opened_by_author"]);
  });
  it("never matches people on display name alone", () => {
    const gate = { label: "Deploy?", state: "unblocked", unblockedBy: { name: "Alice", email: "someone-else@acme.test" }, unblockedAt: null };
    expect(codes(receipt({ builds: [{ ...receipt().builds[0]!, gates: [gate] }] }))).toEqual([]);
  });
});

describe("credential findings", () => {
  const credential = {
    kind: "oidc",
    issuer: "https://agent.buildkite.com",
    subject: "organization:acme:pipeline:deploy:ref:refs/heads/main:commit:abc:step:deploy",
    audience: "sts.amazonaws.com",
    issuedAt: "2026-09-14T10:00:00.000Z",
    expiresAt: "2026-09-14T10:05:00.000Z",
    lifetimeSeconds: 300,
    jobId: "job-1",
    ref: "main",
    roleSession: null,
  };
  it("a short-lived credential of an approved, merged change has no findings", () => {
    expect(codes(receipt({ credentials: [credential] }))).toEqual([]);
  });
  it("flags a long lifetime, a foreign audience, a session outside CI and a credential of an unapproved change", () => {
    expect(codes(receipt({ credentials: [{ ...credential, lifetimeSeconds: 7200 }] }))).toEqual(["credential_lifetime"]);
    expect(buildReceiptFindings(receipt({ credentials: [credential] }), { allowedAudiences: ["vault"] }).map((f) => f.code)).toEqual(["credential_audience"]);
    const session = { ...credential, kind: "aws-role-session", jobId: null, roleSession: { roleArn: "arn", sessionName: "laptop", issuedAt: null, expiresAt: null, sourceIp: "198.51.100.7" } };
    expect(codes(receipt({ credentials: [session] }))).toEqual(["role_session_without_job"]);
    expect(codes(receipt({ credentials: [credential], mergeRequests: [mr({ approvers: [] })] }))).toEqual(["insufficient_approvals", "credential_for_unapproved_change"]);
  });
  it("flags a production credential issued on a branch other than the default", () => {
    const feature = { ...credential, ref: "refs/heads/feature/x" };
    expect(buildReceiptFindings(receipt({ credentials: [feature] }), { production: true }).map((f) => f.code)).toEqual(["credential_non_default_branch"]);
    expect(buildReceiptFindings(receipt({ credentials: [feature] }), { production: false }).map((f) => f.code)).toEqual([]);
    expect(buildReceiptFindings(receipt({ credentials: [credential] }), { production: true, defaultBranches: ["trunk"] }).map((f) => f.code)).toEqual(["credential_non_default_branch"]);
  });
});
