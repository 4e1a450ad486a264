import { describe, expect, it } from "vitest";
import { normalizeGitlabDelivery } from "./normalize-gitlab-delivery.ts";

const at = "2026-09-14T12:00:00.000Z";
const facts = (event: string, body: unknown, url: string | null = null) => {
  const result = normalizeGitlabDelivery(event, body, at, url);
  if (result.status !== "processed") throw new Error(JSON.stringify(result));
  return result;
};

describe("GitLab REST objects read by backfill", () => {
  it("a REST deployment takes its project from the request URL and its short SHA from the full one", () => {
    const result = facts(
      "api.deployment",
      { id: 3307, sha: "5fc652f697a1263b2022de426a28d99b4e96827c", status: "success", updated_at: "2026-09-14T10:20:41.000Z", environment: { name: "production" }, deployable: { id: 9120459 }, user: { id: 104, username: "dave" } },
      "https://gitlab.acme.test/api/v4/projects/4242/deployments/3307",
    );
    expect(result.timeline).toEqual([]);
    expect(result.facts.find((f) => f.type === "deployment")).toMatchObject({
      key: "gitlab:deployment:4242:3307",
      data: { externalId: "4242:3307", status: "success", shortSha: "5fc652f6", jobExternalId: "9120459", triggeredByKey: "gitlab:user:104", finishedAt: "2026-09-14T10:20:41.000Z" },
    });
  });

  it("approvals become one approved approval per current approver, at approved_at", () => {
    const result = facts("api.merge_request_approvals", {
      iid: 17,
      project_id: 4242,
      updated_at: "2026-09-14T09:40:14.000Z",
      approved_by: [{ user: { id: 102, username: "bob" }, approved_at: "2026-09-14T09:21:02.000Z" }, { user: { id: 103, username: "carol" } }],
    });
    expect(result.facts.filter((f) => f.type === "approval").map((f) => [f.key, f.data.state, f.data.approvedAt])).toEqual([
      ["gitlab:mr-approval:4242:17:102", "approved", "2026-09-14T09:21:02.000Z"],
      ["gitlab:mr-approval:4242:17:103", "approved", "2026-09-14T09:40:14.000Z"],
    ]);
  });

  it("a merged REST merge request names its merger; an open one names none even when auto-merge is set", () => {
    const merged = facts("api.merge_request", { iid: 17, project_id: 4242, state: "merged", merged_at: "2026-09-14T09:40:14.000Z", merge_user: { id: 104 }, author: { id: 101 }, sha: "39a6bbca5c3d8fad9953235c278a0b64be67e327" });
    expect(merged.facts.find((f) => f.type === "merge_request")?.data).toMatchObject({ state: "merged", mergedByKey: "gitlab:user:104", mergedAt: "2026-09-14T09:40:14.000Z", authorKey: "gitlab:user:101" });
    const open = facts("api.merge_request", { iid: 18, project_id: 4242, state: "opened", merge_user: { id: 104 }, author: { id: 101 } });
    expect(open.facts.find((f) => f.type === "merge_request")?.data.mergedByKey).toBeUndefined();
  });

  it("an object without its ids is invalid, not guessed", () => {
    expect(normalizeGitlabDelivery("api.pipeline", { status: "success" }, at, null)).toMatchObject({ status: "invalid" });
    expect(normalizeGitlabDelivery("api.job", { id: 5 }, at, "https://gitlab.acme.test/api/v4/groups/acme/jobs")).toMatchObject({ status: "invalid" });
  });
});
